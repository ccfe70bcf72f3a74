"""Background jobs whose failures are told to the learner, never a traceback over the screen.

A worker that raises would take the whole app down; a study app should instead say what went
wrong and keep going (the database is still consistent: each answer is its own transaction).
`QUIZAPP_DEBUG=1` lets the error through, for developers.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable

from textual.dom import DOMNode
from textual.worker import Worker

from quizapp.textsafe import visible


async def reported(node: DOMNode, job: Awaitable[None]) -> None:
    """Await `job`; if it fails, show the error as a notification instead of crashing."""
    try:
        await job
    except Exception as problem:
        from quizapp.tui.fatal import stop_if_unusable

        if stop_if_unusable(node.app, problem):  # damaged: no screen can work on it
            return
        if os.environ.get("QUIZAPP_DEBUG"):
            raise
        node.app.notify(
            visible(f"{type(problem).__name__}: {problem}", newline=True),
            title="That did not work",
            severity="error",
            markup=False,
            timeout=10,
        )


def run_reported(
    node: DOMNode, job: Awaitable[None], *, group: str = "default", exclusive: bool = False
) -> Worker[None]:
    """`node.run_worker(job)`, with failures reported (see `reported`)."""
    return node.run_worker(reported(node, job), group=group, exclusive=exclusive)
