"""Failures the learner must hear about: an answer not saved, a database that cannot be used.

SQLite reports a full disk, a read-only file or folder, or an I/O error as an
OperationalError. The write transaction was rolled back, so the database is as it was
before; the learner needs to know that this answer is NOT in it. `NotSavedError` says so,
and being a QuizappError it is printed as one line by the CLI, never as a traceback.

A database SQLite finds damaged ("database disk image is malformed"), at opening or at any
statement later, is named with the exact `quizapp restore` command for its newest backup.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event

from quizapp.errors import QuizappError
from quizapp.storage.dberrors import (
    DamagedDatabaseError,
    NotSavedError,
    UnreadableValueError,
    UnusableDatabaseError,
    is_damage,
    not_saved,
    opened,
    reason,
    restore_advice,
)
from quizapp.storage.quickstart import BUSY_TIMEOUT_MS

if TYPE_CHECKING:
    from quizapp.storage.engine import Store

__all__ = [
    "DamagedDatabaseError",
    "NotSavedError",
    "UnreadableValueError",
    "UnusableDatabaseError",
    "damaged",
    "explain",
    "explain_damage",
    "explain_unexpected",
    "file_is_damaged",
    "is_damage",
    "not_saved",
    "reason",
    "refuse_if_damaged",
    "restore_advice",
    "unusable",
    "why_not_writable",
]


def damaged(shown: str, db_file: Path | None, error: BaseException) -> DamagedDatabaseError:
    original = getattr(error, "orig", None) or error
    if not is_damage(original):
        original = _MALFORMED
    return DamagedDatabaseError(f"{shown} is damaged ({original}); {restore_advice(db_file)}")


def unusable(error: BaseException, shown: str, db_file: Path | None) -> QuizappError:
    """The error for a database SQLite would not open or read: damaged, read-only, full."""
    if is_damage(error):
        return damaged(shown, db_file, error)
    said = reason(error)
    if db_file is not None and said in _NOT_WRITABLE:
        return QuizappError(
            f"cannot open the database {shown}: {why_not_writable(db_file)}; quizapp writes "
            "to it at every start (even for stats): make it writable, or copy it to a "
            "writable folder and give the copy with --db"
        )
    if said == str(getattr(error, "orig", None) or error):
        return QuizappError(f"cannot open the database {shown}: {said}")
    return QuizappError(f"cannot open the database {shown}: {said}{_REMEDY.get(said, '')}")


_NOT_WRITABLE = (
    "the database or its folder is read-only",
    "the database file cannot be opened for writing",
)


def why_not_writable(db_file: Path) -> str:
    """Why SQLite could not write `db_file` or create its -wal/-shm beside it, in words."""
    folder = db_file.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return f"it is on a read-only file system ({folder})"
        if db_file.exists() and not os.access(db_file, os.W_OK):
            return "the file is read-only"
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"its folder {folder} is read-only"
    except OSError as error:
        return error.strerror or str(error)
    return "the database or its folder is read-only"


_REMEDY = {
    "the disk is full": "; free some space and try again",
    "the database or its folder is read-only": (
        "; make both writable, or give --db a writable copy"
    ),
    "the disk reported an I/O error": "; check the disk, then try again",
}


def explain_damage(engine: Engine, shown: str, db_file: Path | None) -> None:
    """Any statement of `engine` that finds the file damaged raises `damaged(...)` instead."""
    if db_file is not None:
        opened[db_file] = shown

    @event.listens_for(engine, "handle_error")
    def _damage(context: Any) -> BaseException | None:
        if is_damage(context.original_exception):
            return damaged(shown, db_file, context.original_exception)
        return None


def _read_only(db_file: Path) -> sqlite3.Connection:
    return sqlite3.connect(
        f"{db_file.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
    )


def file_is_damaged(db_file: Path) -> bool:
    """Whether SQLite finds `db_file` damaged (a read-only quick check; changes nothing)."""
    try:
        conn = sqlite3.connect(
            f"{db_file.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error:
        return False
    try:
        return [row[0] for row in conn.execute("PRAGMA quick_check")] != ["ok"]
    except sqlite3.DatabaseError as error:
        return is_damage(error)
    finally:
        conn.close()


def explain(
    error: BaseException, db_file: Path | None, shown: str | None = None
) -> QuizappError | None:
    """The error to show for an unexpected `error` of work on `db_file`, when the reason is
    the file: damaged (SQLite said so, or a quick check finds it: a damaged page may also be
    read as rows that cannot be, a NULL key, and fail in Python), or its tables are not
    quizapp's (changed by hand while or since it was opened). None: not so."""
    if isinstance(error, QuizappError):
        return error
    if is_damage(error) or (db_file is not None and file_is_damaged(db_file)):
        return damaged(shown or str(db_file), db_file, _MALFORMED)
    if db_file is not None:
        return _schema_refusal(db_file, shown or str(db_file))
    return None


def _schema_refusal(db_file: Path, shown: str) -> QuizappError | None:
    """Why quizapp must not use `db_file` as it is now (a table dropped or changed since it
    was opened, say), judged as `open_store` judges it; None if it is fine."""
    from quizapp.storage.schema import refusal, status_of

    try:
        conn = sqlite3.connect(
            f"{db_file.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            status = status_of(lambda sql: conn.execute(sql).fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return refusal(status, shown, restore_advice(db_file))


def explain_unexpected(error: BaseException) -> QuizappError | None:
    """`explain` for the databases this process opened (the CLI's last resort)."""
    for db_file, shown in reversed(list(opened.items())):
        explained = explain(error, db_file, shown)
        if explained is not None:
            return explained
    return None


_MALFORMED = sqlite3.DatabaseError("database disk image is malformed")


def refuse_if_damaged(store: Store) -> None:
    """Raise a QuizappError if SQLite finds the store's file damaged, or it holds a date
    quizapp cannot read; before a write that is not an answer (a deck sync, rare), so such
    a database is never written to (every row is read: it costs about a second a 100 MB)."""
    from quizapp.storage.schema import unreadable_values
    from quizapp.storage.urls import sqlite_file

    def check(conn: sqlite3.Connection) -> str | None:
        try:
            if [row[0] for row in conn.execute("PRAGMA quick_check")] != ["ok"]:
                return "damaged"
        except sqlite3.DatabaseError as error:
            if is_damage(error):
                return "damaged"
            raise
        return unreadable_values(lambda sql: conn.execute(sql).fetchall())

    db_file = sqlite_file(store.engine.url)
    found = store.read_dbapi(check)
    if found == "damaged":
        raise damaged(store.url, db_file, _MALFORMED)
    if found is not None:
        raise UnusableDatabaseError(
            f"{store.url} was changed outside quizapp: {found}; {restore_advice(db_file)}"
        )
