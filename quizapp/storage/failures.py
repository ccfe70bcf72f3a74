"""Write failures the learner must hear about: an answer that could not be saved.

SQLite reports a full disk, a read-only file or folder, or an I/O error as an
OperationalError. The write transaction was rolled back, so the database is as it was
before; the learner needs to know that this answer is NOT in it. `NotSavedError` says so,
and being a QuizappError it is printed as one line by the CLI, never as a traceback.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from quizapp.errors import QuizappError

_REASONS = (
    ("full", "the disk is full"),
    ("readonly", "the database or its folder is read-only"),
    ("read-only", "the database or its folder is read-only"),
    ("disk i/o", "the disk reported an I/O error"),
    ("unable to open", "the database file cannot be opened for writing"),
    ("locked", "another quizapp kept the database busy for too long"),
    ("busy", "another quizapp kept the database busy for too long"),
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
