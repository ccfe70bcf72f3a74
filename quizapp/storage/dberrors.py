"""The storage errors themselves, and the words for a failed write or a damaged file.

The lowest layer of storage: the models, the schema checks, the engine and the backups all
raise these, and this imports none of them (only where backups are, `backup_names`).
"""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from quizapp.errors import QuizappError

opened: dict[Path, str] = {}
"""The database files this process opened (`failures.explain_damage`), by their shown name:
for `failures.explain_unexpected` and the advice of `UnreadableValueError`."""

_REASONS = (
    ("full", "the disk is full"),
    ("readonly", "the database or its folder is read-only"),
    ("read-only", "the database or its folder is read-only"),
    ("disk i/o", "the disk reported an I/O error"),
    ("unable to open", "the database file cannot be opened for writing"),
    ("locked", "another quizapp kept the database busy for too long"),
    ("busy", "another quizapp kept the database busy for too long"),
)


class UnusableDatabaseError(QuizappError):
    """The database cannot be used at all (not quizapp's, changed by hand, damaged): the
    study app ends with this line rather than fail at every card."""


class UnreadableValueError(UnusableDatabaseError):
    """A stored value quizapp cannot read back: text edited into the database by hand."""

    def __init__(self, value: object, what: str) -> None:
        # The value's column knows no file; the database this process opened last does.
        where = "the progress database"
        advice = (
            "restore a backup with: quizapp restore FILE (the backups are in the backups "
            "folder next to the database)"
        )
        if opened:
            db_file, where = list(opened.items())[-1]
            advice = restore_advice(db_file)
        super().__init__(
            f"{where} holds {value!r} where {what} belongs: it was changed outside "
            f"quizapp; {advice}"
        )


class NotSavedError(QuizappError):
    """A write was rolled back: nothing of it is in the database, and nothing else changed."""


def reason(error: DBAPIError | BaseException) -> str:
    """A short, plain reason for a failed write (the SQLite text when none fits)."""
    original = getattr(error, "orig", None) or error
    text = str(original).lower()
    for needle, said in _REASONS:
        if needle in text:
            return said
    return str(original)


def not_saved(error: DBAPIError | BaseException, where: str) -> NotSavedError:
    """The error to raise when a write transaction on `where` failed and was rolled back."""
    return NotSavedError(f"not saved: {reason(error)} ({where}); the database is unchanged")


# --- a database that cannot be used: damaged, read-only, on a full disk ----------------------

_DAMAGE = ("malformed", "not a database", "database corrupt", "disk image")


class DamagedDatabaseError(UnusableDatabaseError):
    """SQLite found the file damaged: only a backup brings the progress back."""


def is_damage(error: BaseException) -> bool:
    """Whether `error` (SQLAlchemy's or sqlite3's) says the database file is damaged."""
    original = getattr(error, "orig", None) or error
    return isinstance(original, sqlite3.DatabaseError) and any(
        needle in str(original).lower() for needle in _DAMAGE
    )


def restore_advice(db_file: Path | None) -> str:
    """What to do about a damaged database: the exact restore command, with its newest backup."""
    if db_file is None:
        return "restore a backup with: quizapp restore FILE"
    from quizapp.storage.backup_names import all_backups, backup_dir

    backups = [backup.path for backup in reversed(all_backups(db_file))]
    if not backups:
        return f"there is no backup of it in {backup_dir(db_file)}; move it aside to start afresh"
    command = f"quizapp restore {shlex.quote(str(backups[0]))}"
    if db_file != _default_db():
        command += f" --db {shlex.quote(str(db_file))}"
    newest = ", ".join(path.name for path in backups[:3])
    return f"restore the newest backup with: {command} (newest backups: {newest})"


def _default_db() -> Path | None:
    from quizapp.paths import resolve_db

    try:
        return Path(resolve_db(None)).expanduser().resolve()
    except (OSError, ValueError):
        return None
