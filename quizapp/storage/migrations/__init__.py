"""Alembic migrations of the progress database (run programmatically by `storage.schema`)."""
