"""FSRS state replays from synced events like SM-2's; a server that goes away mid-sync, and a
sync killed mid-way, lose nothing and converge when run again."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.scheduling.settings import Settings
from quizapp.storage import device_sync
from quizapp.storage.device_sync import SyncError, init_remote, remote_count, sync
from quizapp.storage.engine import Store, open_store
from quizapp.storage.fsrs_schedule import fsrs_after_item
from quizapp.storage.fsrs_store import deck_config, item_fsrs_state, reconcile, record
from quizapp.storage.repository import progress, record_answer, review_log
from quizapp.storage.sync import sync_decks
from tests.pgserver import PgServer
from tests.storage.helpers import basic, deck

FSRS = Settings(scheduler="fsrs")
DECK = deck("net", *(basic(f"c{n}") for n in range(30)), content_hash="fixed")
START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _device(folder: Path, name: str, settings: Settings = FSRS) -> Store:
    store = open_store(str(folder / f"{name}.db"))
    sync_decks(store, [DECK])
    reconcile(store, ["net"], settings)
    return store


def _dues(store: Store) -> dict[str, object]:
    return {p.item_id: p.due for p in progress(store) if p.due is not None}


def test_fsrs_state_replays_from_the_synced_events(tmp_path: Path) -> None:
    remote = str(tmp_path / "remote.db")
    init_remote(remote)
    laptop, desktop = _device(tmp_path, "laptop"), _device(tmp_path, "desktop")
    after = fsrs_after_item(FSRS)
    for day in range(4):  # both study c0 and c1 on alternate days, offline, then sync
        at = START + timedelta(days=day)
        for store, item, grade in (
            (laptop, "c0", 3 + day % 2),
            (desktop, "c0", 1 + day % 3),
            (desktop, "c1", 4),
            (laptop, "c1", 2),
        ):
            record(
                store,
                FSRS,
                deck_id="net",
                item_id=item,
                grade=grade,
                typed_answer=None,
                correct=None,
                duration_ms=800,
                now=at + timedelta(minutes=len(item) + grade),
                today=at.date(),
            )
    for store in (laptop, desktop, laptop):
        sync(store, remote, after_item=after)
    config = deck_config(laptop, FSRS, "net")
    assert config is not None
    for item in ("c0", "c1"):
        a = item_fsrs_state(laptop, "net", item, config)
        b = item_fsrs_state(desktop, "net", item, config)
        assert a is not None and a == b
        assert _dues(laptop)[item] == _dues(desktop)[item] == a.due_day(FSRS.rollover_hour)


def test_a_server_that_goes_away_mid_sync_loses_nothing(
    pg_server: PgServer, pg_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pg_server.role("ivy", "pi", pg_db)
    url = pg_server.url(pg_db, "ivy", "pi")
    init_remote(url)
    folder = tmp_path
    store = _device(folder, "ivy", Settings())
    for n in range(30):
        record_answer(
            store,
            deck_id="net",
            item_id=f"c{n}",
            grade=4,
            typed_answer=None,
            correct=None,
            duration_ms=1,
            now=START + timedelta(seconds=n),
            today=START.date(),
        )
    monkeypatch.setattr(device_sync, "CHUNK", 10)
    sends = [0]
    original = device_sync._send

    def send_then_cut(conn, statement, values):  # type: ignore[no-untyped-def]
        sends[0] += 1
        if sends[0] == 2:  # the server drops every connection of this role mid-sync
            pg_server.sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'ivy'",
                pg_db,
            )
        original(conn, statement, values)

    monkeypatch.setattr(device_sync, "_send", send_then_cut)
    with pytest.raises(SyncError) as caught:
        sync(store, url)
    assert "\n" not in str(caught.value) and "pi@" not in str(caught.value)
    assert "failed while exchanging events" in str(caught.value)
    assert remote_count(url) == 10  # the first chunk got there
    assert len(review_log(store)) == 30  # nothing lost locally
    monkeypatch.setattr(device_sync, "_send", original)
    result = sync(store, url)
    assert result.pushed == 20
    assert remote_count(url) == 30
    store.close()


KILLED = """
import sys, time
from quizapp.storage import device_sync
device_sync.CHUNK = 50
original = device_sync._send
def slow(conn, statement, values):
    original(conn, statement, values)
    print("sent", flush=True)
    time.sleep(0.3)
device_sync._send = slow
from quizapp.storage.engine import open_store
with open_store(sys.argv[1]) as store:
    device_sync.sync(store, sys.argv[2])
"""


def test_a_sync_killed_mid_way_converges_when_run_again(tmp_path: Path) -> None:
    remote = str(tmp_path / "remote.db")
    init_remote(remote)
    store = _device(tmp_path, "killed", Settings())
    for n in range(300):
        record_answer(
            store,
            deck_id="net",
            item_id=f"c{n % 30}",
            grade=3 + n % 3,
            typed_answer=None,
            correct=None,
            duration_ms=1,
            now=START + timedelta(days=n // 30, seconds=n),
            today=(START + timedelta(days=n // 30)).date(),
        )
    store.close()
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(tmp_path / "killed.db"), remote],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "sent\n"
    child.send_signal(signal.SIGKILL)
    child.wait()
    time.sleep(0.1)
    killed_count = remote_count(remote)
    assert 50 <= killed_count < 300
    store = open_store(str(tmp_path / "killed.db"))
    result = sync(store, remote)
    assert remote_count(remote) == 300  # every event once: none twice, none lost
    assert result.pushed >= 300 - killed_count
    other = _device(tmp_path, "other", Settings())
    sync(other, remote)
    assert _dues(other) == _dues(store)
    assert len(review_log(other)) == 300
    store.close()
    other.close()
