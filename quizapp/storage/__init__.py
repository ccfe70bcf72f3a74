"""The progress store: SQLAlchemy models, Alembic migrations, and repository functions.

Import the public API from `quizapp.storage.repository` (dataclasses and functions),
`quizapp.storage.engine` (`open_store`, `Store`) and `quizapp.storage.sync` (`sync_decks`).
"""
