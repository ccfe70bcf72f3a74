"""What a `--db` value names: a SQLAlchemy URL (SQLite only), and the database file behind it.

Plain functions of the value, below the engine, so that the backups and the failure messages
can find the file without opening a store.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from quizapp.errors import QuizappError
from quizapp.storage.quickstart import URL_SCHEME

PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")
"""The password in scheme://user:password@host: never echoed."""


def without_password(value: str) -> str:
    """`value` with the password of its `user:password@` part (if any) shown as ***."""
    return PASSWORD.sub(r"\1***@", value)


def database_url(db: str) -> URL:
    """`db` as a SQLAlchemy URL: a string with "://" is a URL, anything else a file path."""
    if "://" in db:
        try:
            url = make_url(db)
        except (ArgumentError, ValueError):  # ValueError: a port that is not a number
            raise QuizappError(
                f"--db {without_password(db)!r} is not a valid database URL"
            ) from None
    elif URL_SCHEME.match(db):
        raise QuizappError(
            f"--db {db!r} looks like a URL but has no '://' "
            "(write sqlite:////absolute/path.db, or give a plain file path)"
        )
    else:
        url = URL.create("sqlite", database=str(Path(db).expanduser().resolve()))
    try:
        url.get_dialect()
    except NoSuchModuleError:
        raise QuizappError(
            f"unknown database URL scheme {url.drivername!r} in --db/QUIZAPP_DB "
            "(use a file path or a URL such as sqlite:///path/to/quizapp.db)"
        ) from None
    except ImportError as error:
        raise QuizappError(
            f"the database driver for {url.drivername!r} is not installed: {error}"
        ) from None
    if url.get_backend_name() != "sqlite" or url.get_driver_name() != "pysqlite":
        # One way to the database: every query is SQLite's SQL on the sqlite3 connection.
        raise QuizappError(
            f"quizapp keeps its progress in SQLite; {url.drivername!r} in --db/QUIZAPP_DB is "
            "not supported (use a file path or a URL such as sqlite:///path/to/quizapp.db)"
        )
    file = sqlite_file(url)
    if file is not None and not file.is_absolute():
        # sqlite:///quizapp.db is relative to the current folder; SQLite's file: URIs, the
        # one way quizapp opens the file, take absolute paths only.
        url = url.set(database=str(file.expanduser().resolve()))
    return url


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL; None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)
