"""`[sync] auto = true`: the study app syncs with the remote in the background, at start
(once the first screen is up) and at quit, and the home screen says how sync stands.

Studying never waits on the network: the sync runs on a thread of its own with its own
connection to the local database, and the app quits after at most `QUIT_WAIT` seconds even
when the server hangs (the thread is a daemon; a sync cut short converges next time, see
`storage.device_sync`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from quizapp.context import AppContext
from quizapp.scheduling.settings import Settings

CONNECT_TIMEOUT = 5
"""Seconds the background sync waits for the server to answer a connection."""
QUIT_WAIT = 5.0
"""Seconds quitting waits for the last sync before leaving it (nothing is lost)."""


def sync_url(settings: Settings) -> str | None:
    """The remote the app syncs with: QUIZAPP_SYNC_URL, else `[sync] url`; None: no sync."""
    from quizapp.config import SYNC_URL_VARIABLE

    return os.environ.get(SYNC_URL_VARIABLE) or settings.sync_url


@dataclass(frozen=True, slots=True)
class SyncStatus:
    last_sync: str | None
    """ISO UTC time of the last successful sync."""
    waiting: int
    """Local events not sent yet."""
    error: str | None
    """Why the last attempt failed (None if it did not)."""

    def line(self, now: datetime | None = None) -> str:
        """One line for the home screen."""
        if self.last_sync is None:
            when = "never synced"
        else:
            at = datetime.fromisoformat(self.last_sync).astimezone()
            when = f"last synced {at:%Y-%m-%d %H:%M}"
        noun = "answer waits" if self.waiting == 1 else "answers wait"
        text = f"Sync: {when} · {self.waiting} {noun} to be sent"
        if self.error:
            reason = self.error.split(" failed while ", 1)[-1]
            text += f" · not reachable: {reason}"
        return text


def read_status(conn: sqlite3.Connection) -> SyncStatus:
    """The sync status, on a plain sqlite3 connection to the local store."""
    from quizapp.storage.device_sync import status

    return SyncStatus(*status(conn))


class AutoSync:
    """Background syncs for one app run."""

    def __init__(self, ctx: AppContext, settings: Settings, url: str) -> None:
        self.ctx = ctx
        self.settings = settings
        self.url = url
        self._thread: threading.Thread | None = None

    def start(self, done: Callable[[], None] | None = None) -> None:
        """Sync now on a daemon thread (unless one is running); `done` runs after it, on it."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(
            target=self._run, args=(done,), name="quizapp-sync", daemon=True
        )
        self._thread.start()

    def _run(self, done: Callable[[], None] | None) -> None:
        from quizapp.paths import db_file
        from quizapp.storage.device_sync import sync
        from quizapp.storage.engine import open_store
        from quizapp.storage.fsrs_schedule import fsrs_after_item

        # Nothing here may stop studying: a failed sync is recorded (`last_error`, shown on
        # the home screen) by `sync` itself; a local store that cannot be opened is the
        # app's to report, on its own thread.
        with (
            contextlib.suppress(Exception),  # the store could not be opened
            open_store(self.ctx.db) as store,
            contextlib.suppress(Exception),  # the sync failed (and said why in last_error)
        ):
            sync(
                store,
                self.url,
                after_item=fsrs_after_item(self.settings),
                local=db_file(self.ctx.db),
                timeout=CONNECT_TIMEOUT,  # read at each sync (tests set it)
            )
        if done is not None:
            with contextlib.suppress(Exception):  # the app may be gone
                done()

    def finish(self, wait: float | None = None) -> None:
        """At quit: wait for a sync under way, then sync once more; never longer than `wait`."""
        end = time.monotonic() + (QUIT_WAIT if wait is None else wait)
        if self._thread is not None:
            self._thread.join(max(0.0, end - time.monotonic()))
            if self._thread.is_alive():
                return
        self._thread = None
        self.start()
        assert self._thread is not None
        self._thread.join(max(0.0, end - time.monotonic()))
