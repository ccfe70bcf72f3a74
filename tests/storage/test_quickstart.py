"""The start without SQLAlchemy is taken only when a normal start would write nothing.

`open_current` gives a connection only for a plain path to a quizapp database at the newest
revision in WAL mode; `decks_in_sync` is True only when `sync_decks` would change nothing.
Anything else goes the normal way (open, migrate, sync), so each refusal is pinned here, and
so is the fact that the check itself never writes.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.storage.engine import open_store
from quizapp.storage.quickstart import HEAD_REVISION, decks_in_sync, open_current
from quizapp.storage.repository import sync_decks

from .helpers import basic, deck

DECKS = [
    deck("one", basic("a"), basic("b"), content_hash="h1", title="One"),
    deck("two", basic("c"), content_hash="h2", title="Two"),
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def synced(tmp_path: Path) -> Path:
    path = tmp_path / "progress.db"
    with open_store(str(path)) as store:
        sync_decks(store, DECKS)
    return path


def test_a_synced_current_database_opens_and_nothing_is_written(synced: Path) -> None:
    before = digest(synced)
    conn = open_current(str(synced))
    assert conn is not None
    try:
        assert conn.isolation_level is None
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert conn.execute("PRAGMA busy_timeout").fetchone() == (5000,)
        assert decks_in_sync(conn, DECKS)
    finally:
        conn.close()
    assert digest(synced) == before


def test_a_relative_path_and_a_tilde_path_are_resolved(
    synced: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(synced.parent)
    monkeypatch.setenv("HOME", str(synced.parent))
    for given in ("progress.db", "~/progress.db"):
        conn = open_current(given)
        assert conn is not None
        conn.close()


@pytest.mark.parametrize(
    "given", ["sqlite:///{path}", "sqlite+pysqlite:///{path}", "c:{path}", "{missing}"]
)
def test_urls_and_missing_files_take_the_normal_path(synced: Path, given: str) -> None:
    missing = synced.parent / "nothing-here.db"
    assert open_current(given.format(path=synced, missing=missing)) is None
    assert not missing.exists()


def test_a_file_that_is_not_sqlite_is_left_to_the_normal_path(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database")
    assert open_current(str(path)) is None
    assert open_current(str(tmp_path)) is None  # a folder


def test_an_older_or_newer_or_foreign_database_is_left_to_the_normal_path(synced: Path) -> None:
    for revision in ("0001", "9999"):
        with sqlite3.connect(synced) as raw:
            raw.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        assert open_current(str(synced)) is None
    with sqlite3.connect(synced) as raw:
        raw.execute("DROP TABLE alembic_version")
    assert open_current(str(synced)) is None
    with sqlite3.connect(synced) as raw:
        raw.execute("CREATE TABLE alembic_version (version_num TEXT)")
        raw.execute("INSERT INTO alembic_version VALUES (?)", (HEAD_REVISION,))
    conn = open_current(str(synced))
    assert conn is not None
    conn.close()


def test_a_database_not_in_wal_mode_is_left_to_the_normal_path(synced: Path) -> None:
    raw = sqlite3.connect(synced, isolation_level=None)
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.close()
    assert open_current(str(synced)) is None


def test_decks_out_of_sync_are_noticed(synced: Path) -> None:
    conn = open_current(str(synced))
    assert conn is not None
    one, two = DECKS
    three = deck("three", basic("d"), content_hash="h3")
    try:
        assert not decks_in_sync(conn, [one])  # two would be deactivated
        assert not decks_in_sync(conn, [*DECKS, three])  # three would be added
        assert not decks_in_sync(conn, [deck("one", basic("a"), content_hash="x"), two])
        assert not decks_in_sync(conn, [replace(one, title="Renamed"), two])
        assert not decks_in_sync(conn, [replace(one, path=Path("/elsewhere/one.yaml")), two])
        assert decks_in_sync(conn, [replace(one, cards=()), two])  # same file hash: unchanged
        assert not decks_in_sync(conn, [deck("one", basic("a"), content_hash=""), two])
        conn.execute("UPDATE decks SET active = 0 WHERE id = 'two'")
        assert not decks_in_sync(conn, DECKS)  # two would be reactivated
        assert decks_in_sync(conn, [one])  # an inactive deck left out changes nothing
    finally:
        conn.close()


def test_the_check_agrees_with_sync_decks(synced: Path) -> None:
    """Whatever the decks, `decks_in_sync` is True exactly when a sync writes nothing."""
    variants = [
        DECKS,
        DECKS[:1],
        [DECKS[1], DECKS[0]],
        [deck("one", basic("a"), basic("b"), content_hash="h1", title="Renamed"), DECKS[1]],
        [*DECKS, deck("three", basic("d"), content_hash="h3")],
    ]
    for decks in variants:
        conn = open_current(str(synced))
        assert conn is not None
        expected = decks_in_sync(conn, decks)
        conn.close()
        with open_store(str(synced)) as store:
            report = sync_decks(store, decks)
        assert expected is not report.changed, decks
