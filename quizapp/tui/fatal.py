"""A database that cannot be used ends the study app with the CLI's one line.

A damaged database ("database disk image is malformed"), one changed by hand or not
quizapp's fails every screen the same way: a notification at each card, or a spinner that
never stops, helps nobody. The app ends instead, and the CLI prints the line that names the
newest backup and the exact `quizapp restore` command.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from quizapp.errors import QuizappError


def unusable_database(app: App[Any], problem: BaseException) -> QuizappError | None:
    """The CLI's one line when `problem` came from a database that cannot be used (damaged,
    changed by hand, not quizapp's); None when it did not."""
    from quizapp.storage.failures import UnusableDatabaseError, explain
    from quizapp.storage.urls import database_url, sqlite_file

    if isinstance(problem, UnusableDatabaseError):
        return problem
    if isinstance(problem, QuizappError):
        return None
    ctx = getattr(app, "ctx", None)
    try:
        db_file = sqlite_file(database_url(ctx.db)) if ctx is not None else None
    except QuizappError:
        db_file = None
    return explain(problem, db_file)


def stop_if_unusable(app: App[Any], problem: BaseException) -> bool:
    """End `app` with the error (as `QuizApp.error`) if `problem` came from a database that
    cannot be used; False, doing nothing, otherwise."""
    explained = unusable_database(app, problem)
    if explained is None:
        return False
    app.error = explained  # type: ignore[attr-defined]
    app.exit(return_code=explained.exit_code)
    return True
