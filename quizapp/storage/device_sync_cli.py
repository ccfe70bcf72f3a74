"""`quizapp sync [URL]` and `quizapp sync --init URL`: device sync from the command line.

The URL comes from the command line, else QUIZAPP_SYNC_URL, else `[sync] url` in config.toml.
Output is one line per fact; a failure is one line (`SyncError`), never a password.
"""

from __future__ import annotations

import os
import sqlite3
from typing import TYPE_CHECKING, TextIO

from quizapp.scheduling.settings import Settings

if TYPE_CHECKING:
    from quizapp.context import AppContext
    from quizapp.storage.events import AfterItem

SYNC_URL_VARIABLE = "QUIZAPP_SYNC_URL"


def fsrs_after_item(settings: Settings) -> AfterItem:
    """After an item of an FSRS deck was replayed: its due day is FSRS's, from the new log
    (FSRS state is the replay of the synced answers, as SM-2's is)."""
    from quizapp.storage.dbapi import conversions
    from quizapp.storage.fsrs_schedule import _rows, config_of, item_state

    date_in = conversions(_sqlite_dialect()).date_in  # type: ignore[arg-type]
    configs: dict[str, object] = {}

    def after(conn: sqlite3.Connection, deck_id: str, item_id: str) -> None:
        if settings.scheduler_for(deck_id) != "fsrs":
            return
        if deck_id not in configs:
            configs[deck_id] = config_of(_rows(conn), settings, deck_id)
        config = configs[deck_id]
        if config is None:
            return
        state = item_state(conn, deck_id, item_id, config)  # type: ignore[arg-type]
        due = None if state is None else state.due_day(settings.rollover_hour)
        conn.execute(
            "UPDATE card_state SET due = ? WHERE deck_id = ? AND item_id = ?",
            (date_in(due), deck_id, item_id),
        )

    return after


def _sqlite_dialect() -> object:
    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    return SQLiteDialect_pysqlite()


def run_sync(ctx: AppContext, argument: str | None, init: bool, out: TextIO) -> int:
    from quizapp.paths import config_file, db_file
    from quizapp.scheduling.settings import load_settings
    from quizapp.storage.device_sync import init_remote, remote_url, resolve_url, sync

    settings = load_settings(config_file(), ctx.overrides)
    value = resolve_url(argument, os.environ.get(SYNC_URL_VARIABLE), settings.sync_url)
    local = db_file(ctx.db)
    if init:
        out.write(init_remote(value, local) + "\n")
        return 0
    remote_url(value, local)  # a bad URL is said before the local database is opened
    from quizapp.storage.repository import load_app_data

    data = load_app_data(ctx)
    try:
        result = sync(data.store, value, after_item=fsrs_after_item(data.settings), local=local)
    finally:
        data.store.close()
    out.write(
        f"synced with {result.shown}: sent {result.pushed} events, received {result.pulled}"
        f" ({result.applied} answers applied)\n"
    )
    if result.waiting:
        out.write(
            f"{result.waiting} received answers wait for cards this device does not have: "
            "get their decks, then sync again\n"
        )
    return 0
