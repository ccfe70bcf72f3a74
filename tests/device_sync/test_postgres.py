"""Device sync against a real PostgreSQL (started by the tests, see tests/pgserver.py)."""

from __future__ import annotations

import tempfile
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from quizapp.storage.device_sync import SyncError, init_remote, remote_count, sync
from quizapp.storage.engine import Store, open_store
from quizapp.storage.repository import record_answer, review_log
from quizapp.storage.sync import sync_decks
from tests.device_sync.older_remote import make_version_1
from tests.pgserver import PgServer
from tests.storage.helpers import basic, deck

DECK = deck("net", basic("a"), basic("b"), content_hash="fixed")
DAY = date(2026, 3, 2)


def _store(folder: Path, name: str, decks: list = [DECK]) -> Store:  # noqa: B006
    store = open_store(str(folder / f"{name}.db"))
    sync_decks(store, decks)
    return store


def _answer(store: Store, item: str, grade: int, minutes: int) -> None:
    at = datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(minutes=minutes)
    record_answer(
        store,
        deck_id="net",
        item_id=item,
        grade=grade,
        typed_answer=None,
        correct=None,
        duration_ms=500,
        now=at,
        today=at.date(),
    )


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # `_folder`s go away with tmp_path


def _folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="quizapp-pgsync-"))


def test_two_devices_converge_through_postgresql(pg_server: PgServer, pg_db: str) -> None:
    pg_server.role("learner", "s3cret", pg_db)
    url = pg_server.url(pg_db, "learner", "s3cret")
    assert "created the sync tables in schema learner at version 2" in init_remote(url)
    folder = _folder()
    laptop, desktop = _store(folder, "laptop"), _store(folder, "desktop")
    _answer(laptop, "a", 4, 0)
    _answer(desktop, "a", 2, 5)  # the same card, the same day, on the other device: a repeat
    _answer(desktop, "b", 5, 6)
    first = sync(laptop, url)
    assert (first.pushed, first.pulled) == (1, 0)
    second = sync(desktop, url)
    assert (second.pushed, second.pulled, second.applied) == (2, 1, 1)
    third = sync(laptop, url)
    assert (third.pushed, third.pulled) == (0, 2)  # its own answer is not new to it
    assert sync(laptop, url).pushed == 0  # idempotent: nothing twice
    assert remote_count(url) == 3
    logs = [
        [(r.item_id, r.grade, r.repeat, r.after) for r in review_log(s)] for s in (laptop, desktop)
    ]
    assert sorted(logs[0]) == sorted(logs[1])
    assert ("a", 2, True) in {(i, g, rep) for i, g, rep, _ in logs[0]}
    laptop.close()
    desktop.close()


def test_two_roles_cannot_read_or_change_each_others_events(
    pg_server: PgServer, pg_db: str
) -> None:
    pg_server.role("alice", "pa", pg_db)
    pg_server.role("bob", "pb", pg_db)
    alice, bob = pg_server.url(pg_db, "alice", "pa"), pg_server.url(pg_db, "bob", "pb")
    init_remote(alice)
    init_remote(bob)
    folder = _folder()
    store = _store(folder, "alice")
    _answer(store, "a", 4, 0)
    sync(store, alice)
    store.close()
    with psycopg.connect(host=pg_server.socket, dbname=pg_db, user="bob", password="pb") as conn:
        for statement in (
            "SELECT count(*) FROM alice.quizapp_events",
            "DELETE FROM alice.quizapp_events",
            "INSERT INTO alice.quizapp_events (event_id, device, kind, at)"
            " VALUES ('x', 'y', 'bury', now())",
            "UPDATE alice.quizapp_events SET grade = 0",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)  # type: ignore[arg-type]
            conn.rollback()
    assert remote_count(alice) == 1
    assert remote_count(bob) == 0


def test_a_wrong_password_is_one_line_without_the_password(pg_server: PgServer, pg_db: str) -> None:
    pg_server.role("carol", "right-pw", pg_db)
    init_remote(pg_server.url(pg_db, "carol", "right-pw"))
    store = _store(_folder(), "carol")
    _answer(store, "a", 4, 0)
    with pytest.raises(SyncError) as caught:
        sync(store, pg_server.url(pg_db, "carol", "wrong-pw"))
    message = str(caught.value)
    assert "\n" not in message and "wrong-pw" not in message
    assert "password authentication failed" in message
    assert len(review_log(store)) == 1  # nothing lost
    store.close()


def test_no_server_a_newer_remote_and_missing_tables_are_one_line(
    pg_server: PgServer, pg_db: str
) -> None:
    pg_server.role("dave", "pd", pg_db)
    url = pg_server.url(pg_db, "dave", "pd")
    store = _store(_folder(), "dave")
    with pytest.raises(SyncError, match="no quizapp sync tables: run `quizapp sync --init URL`"):
        sync(store, url)
    init_remote(url)
    pg_server.sql("UPDATE dave.quizapp_meta SET value = '9' WHERE key = 'version'", pg_db)
    with pytest.raises(SyncError, match="version 9, newer than this quizapp's"):
        sync(store, url)
    gone = f"postgresql://dave:pd@/{pg_db}?host=/nonexistent-{uuid.uuid4().hex}"
    with pytest.raises(SyncError, match="failed while connecting") as caught:
        sync(store, gone, timeout=2)
    assert "pd@" not in str(caught.value) and "\n" not in str(caught.value)
    store.close()


def test_tls_settings_reach_psycopg(pg_server: PgServer, pg_db: str) -> None:
    pg_server.role("erin", "pe", pg_db)
    # libpq ignores TLS on a unix socket, so a value only libpq checks shows the pass-through
    url = pg_server.url(pg_db, "erin", "pe") + "&sslmode=verify-everything"
    with pytest.raises(SyncError, match='invalid sslmode value: "verify-everything"'):
        init_remote(url)
    ok = pg_server.url(pg_db, "erin", "pe") + "&sslmode=prefer&sslrootcert=/nonexistent"
    assert "created the sync tables" in init_remote(ok)


def test_answers_of_unknown_cards_wait_then_apply(pg_server: PgServer, pg_db: str) -> None:
    pg_server.role("frank", "pf", pg_db)
    url = pg_server.url(pg_db, "frank", "pf")
    init_remote(url)
    folder = _folder()
    other = deck("other", basic("x"), content_hash="o")
    full = _store(folder, "full", [DECK, other])
    record_answer(
        full,
        deck_id="other",
        item_id="x",
        grade=5,
        typed_answer=None,
        correct=None,
        duration_ms=1,
        now=datetime(2026, 3, 2, 9, tzinfo=UTC),
        today=DAY,
    )
    sync(full, url)
    partial = _store(folder, "partial")
    result = sync(partial, url)
    assert (result.pulled, result.applied, result.waiting) == (1, 0, 1)
    sync_decks(partial, [DECK, other])
    result = sync(partial, url)
    assert (result.applied, result.waiting) == (1, 0)
    assert [r.item_id for r in review_log(partial)] == ["x"]
    full.close()
    partial.close()


def test_init_migrates_an_older_remote_and_sync_asks_for_it(
    pg_server: PgServer, pg_db: str
) -> None:
    pg_server.role("gus", "pg", pg_db)
    url = pg_server.url(pg_db, "gus", "pg")
    make_version_1(url)
    store = _store(_folder(), "gus")
    _answer(store, "a", 4, 0)
    with pytest.raises(
        SyncError, match=r"version 1, older than this quizapp's \(2\): run `quizapp"
    ):
        sync(store, url)
    assert init_remote(url).endswith("migrated the sync tables from version 1 to 2")
    assert init_remote(url).endswith("the sync tables are current (version 2)")
    assert sync(store, url).pushed == 1
    with psycopg.connect(host=pg_server.socket, dbname=pg_db, user="postgres") as conn:
        columns = conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'gus' AND table_name = 'quizapp_events'"
        ).fetchall()
    assert ("payload",) in columns
    store.close()
