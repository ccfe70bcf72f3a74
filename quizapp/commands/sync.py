"""`quizapp sync [URL]` and `quizapp sync --init URL`: device sync from the command line.

The URL comes from the command line, else QUIZAPP_SYNC_URL, else `[sync] url` in config.toml.
Output is one line per fact; a failure is one line (`SyncError`), never a password.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from quizapp.context import AppContext


def run_sync(ctx: AppContext, argument: str | None, init: bool, out: TextIO) -> int:
    from quizapp.config import load_settings
    from quizapp.paths import SYNC_URL_VARIABLE, config_file, db_file
    from quizapp.storage.device_sync import init_remote, remote_url, resolve_url, sync
    from quizapp.storage.fsrs_schedule import fsrs_after_item
    from quizapp.wording import counted

    settings = load_settings(config_file(), ctx.overrides)
    value = resolve_url(argument, os.environ.get(SYNC_URL_VARIABLE), settings.sync_url)
    local = db_file(ctx.db)
    if init:
        out.write(init_remote(value, local) + "\n")
        return 0
    remote_url(value, local)  # a bad URL is said before the local database is opened
    from quizapp.storage.appdata import load_app_data

    data = load_app_data(ctx)
    try:
        result = sync(data.store, value, after_item=fsrs_after_item(data.settings), local=local)
    finally:
        data.store.close()
    out.write(
        f"synced with {result.shown}: sent {counted(result.pushed, 'event')}, received"
        f" {result.pulled} ({counted(result.applied, 'answer')} applied)\n"
    )
    if result.waiting:
        waits = "waits" if result.waiting == 1 else "wait"
        out.write(
            f"{counted(result.waiting, 'received answer')} {waits} for cards this device does"
            " not have: get their decks, then sync again\n"
        )
    return 0
