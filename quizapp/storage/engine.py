"""Opening the progress database: URL resolution, SQLite pragmas, schema creation at head.

`open_store` is the only way in; it refuses what is not a quizapp database without
touching it, and brings a new database to the current Alembic revision.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


class Store:
    """An open progress database: its engine and a sessionmaker. Close it, or use `with`."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_store(db: str) -> Store:
    """Open (creating if needed) the database at `db`: a file path or a SQLAlchemy URL."""
    raise NotImplementedError
