"""Background jobs whose failures are told to the learner, never a traceback over the screen.

A worker that raises would take the whole app down; a study app should instead say what went
wrong and keep going (the database is still consistent: each answer is its own transaction).
`QUIZAPP_DEBUG=1` lets the error through, for developers. A damaged database is the
exception: the app ends with the CLI's one line naming the backup to restore.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable

from textual.app import App
from textual.dom import DOMNode
from textual.worker import Worker

from quizapp.errors import QuizappError


async def reported(node: DOMNode, job: Awaitable[None]) -> None:
    """Await `job`; if it fails, show the error as a notification instead of crashing."""
    try:
        await job
    except Exception as problem:
        if os.environ.get("QUIZAPP_DEBUG"):
            raise
        if stop_if_damaged(node.app, problem):
            return
        node.notify(
            f"{type(problem).__name__}: {problem}",
            title="That did not work",
            severity="error",
            markup=False,
            timeout=10,
        )


def damage(app: App[object], problem: BaseException) -> QuizappError | None:
    """The CLI's one line when `problem` came from a database that cannot be used: damaged,
    changed by hand, not quizapp's (else None)."""
    from quizapp.storage.engine import database_url, sqlite_file
    from quizapp.storage.failures import UnusableDatabaseError, explain

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


def stop_if_damaged(app: App[object], problem: BaseException) -> bool:
    """A damaged database ends the app with its one line (the newest backup and the restore
    command), as the CLI prints it: no screen can work on it. False: not damaged."""
    explained = damage(app, problem)
    if explained is None:
        return False
    app.error = explained  # type: ignore[attr-defined]
    app.exit(return_code=explained.exit_code)
    return True


def run_reported(
    node: DOMNode, job: Awaitable[None], *, group: str = "default", exclusive: bool = False
) -> Worker[None]:
    """`node.run_worker(job)`, with failures reported (see `reported`)."""
    return node.run_worker(reported(node, job), group=group, exclusive=exclusive)
