"""Pure deck model and YAML loading: no textual, sqlalchemy or genanki here."""
