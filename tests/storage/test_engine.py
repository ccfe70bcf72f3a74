"""Opening databases: pragmas, owner-only files, schema at head, and refusing what isn't ours."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from quizapp.errors import QuizappError
from quizapp.storage.engine import Store, database_url, open_store
from quizapp.storage.models import Base
from quizapp.storage.quickstart import HEAD_REVISION
from quizapp.storage.schema import SchemaState, head_revision, schema_status

from .helpers import rows


def test_sqlite_pragmas_are_set_on_every_connection(store: Store) -> None:
    with store.engine.connect() as conn:
        values = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    assert values == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 5000,
        "synchronous": 2,
    }


def test_new_database_is_owner_only_in_a_created_folder(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "quizapp.db"
    open_store(str(path)).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"SQLite format 3\x00")


def test_new_database_is_created_at_head_with_every_table(store: Store) -> None:
    assert head_revision() == HEAD_REVISION
    assert rows(store, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    tables = rows(store, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    assert tables == [
        ("alembic_version",),
        ("card_state",),
        ("cards",),
        ("deck_scheduler",),
        ("decks",),
        ("fsrs_seed",),
        ("review_log",),
        ("sync_events",),
        ("sync_state",),
    ]
    indexes = rows(
        store,
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%' ORDER BY name",
    )
    assert indexes == [
        ("ix_card_state_deck_due",),
        ("ix_review_log_day",),
        ("ix_review_log_event_id",),
        ("ix_review_log_item",),
        ("ix_review_log_kind_day",),
        ("ix_review_log_reviewed_at",),
        ("ix_sync_events_item",),
        ("ix_sync_events_target",),
        ("ix_sync_events_unsent",),
    ]
    assert schema_status(store.engine).state is SchemaState.CURRENT


def test_the_migrations_build_exactly_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_reopening_keeps_the_data_and_the_revision(tmp_path: Path) -> None:
    path = str(tmp_path / "q.db")
    with open_store(path) as first, first.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO decks VALUES ('d', 'D', NULL, 'h', 1)")
    with open_store(path) as second:
        assert rows(second, "SELECT * FROM decks") == [("d", "D", None, "h", 1)]


def test_a_sqlalchemy_url_works_as_well_as_a_path(tmp_path: Path) -> None:
    path = tmp_path / "via-url.db"
    with open_store(f"sqlite:///{path}") as opened:
        assert rows(opened, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_unknown_url_scheme_is_a_clear_error() -> None:
    with pytest.raises(QuizappError, match=r"unknown database URL scheme 'nosuchdb'"):
        open_store("nosuchdb://host/x")


def test_a_path_is_made_absolute() -> None:
    assert database_url("rel/q.db").database == str(Path("rel/q.db").resolve())


def test_a_relative_sqlite_url_opens_the_file_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sqlite:///q.db (the README's URL form) once failed: "relative path can't be expressed
    as a file URI", an internal error."""
    monkeypatch.chdir(tmp_path)
    assert database_url("sqlite:///rel/q.db").database == str(tmp_path / "rel" / "q.db")
    with open_store("sqlite:///q.db") as opened:
        assert rows(opened, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert (tmp_path / "q.db").is_file()


@pytest.mark.parametrize(
    ("db", "shown"),
    [
        ("sqlite://u:s3cret@host:port/q.db", "'sqlite://u:***@host:port/q.db'"),
        ("://u:s3cret@host/q.db", "'://u:***@host/q.db'"),
    ],
)
def test_a_malformed_url_is_one_line_without_its_password(db: str, shown: str) -> None:
    with pytest.raises(QuizappError) as raised:
        database_url(db)
    assert str(raised.value) == f"--db {shown} is not a valid database URL"


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"my precious notes\n" * 100)
    with pytest.raises(QuizappError, match=r"notes.txt is not a quizapp database"):
        open_store(str(path))
    assert path.read_bytes() == b"my precious notes\n" * 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_another_programs_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(QuizappError, match=r"other.db is not a quizapp database"):
        open_store(str(path))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_corrupt_database_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.db"
    open_store(str(good)).close()
    damaged = bytearray(good.read_bytes())
    damaged[100:4000] = b"\xff" * 3900
    bad = tmp_path / "bad.db"
    bad.write_bytes(bytes(damaged))
    with pytest.raises(
        QuizappError, match=r"bad.db is damaged \(database disk image is malformed\)"
    ):
        open_store(str(bad))
    assert bad.read_bytes() == bytes(damaged)


def test_a_database_from_a_newer_quizapp_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(QuizappError, match=r"written by a newer quizapp \(schema 9999"):
        open_store(str(path))
    assert path.read_bytes() == before


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(QuizappError, match=r"is a folder, not a quizapp database"):
        open_store(str(tmp_path))


def test_a_new_file_another_process_is_writing_is_opened_once_it_lets_go(tmp_path: Path) -> None:
    """SQLite refuses the switch to WAL at once (no busy wait) while another connection holds
    the write lock of a new file, as a second quizapp creating the schema does."""
    import threading

    path = tmp_path / "shared.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, other.execute, args=("COMMIT",))
    release.start()
    try:
        with open_store(str(path)) as store:
            assert store.read_dbapi(lambda c: c.execute("PRAGMA journal_mode").fetchone()) == (
                "wal",
            )
    finally:
        release.join()
        other.close()


def test_a_connection_handed_to_the_store_is_its_first_pooled_connection(tmp_path: Path) -> None:
    """The study app's quick start hands its connection over: one connection to the file."""
    from quizapp.storage.quickstart import connect

    path = tmp_path / "handed.db"
    open_store(str(path)).close()
    quick = connect(path)
    with open_store(str(path), connection=quick) as store:
        pooled = store.engine.raw_connection()
        try:
            assert pooled.driver_connection is quick
            assert quick.execute("PRAGMA busy_timeout").fetchone() == (5000,)
        finally:
            pooled.close()
    with pytest.raises(sqlite3.ProgrammingError):  # closed with the store
        quick.execute("SELECT 1")


def test_a_handed_connection_is_closed_when_the_file_is_refused(tmp_path: Path) -> None:
    from quizapp.storage.quickstart import connect

    good = tmp_path / "good.db"
    open_store(str(good)).close()
    quick = connect(good)
    with pytest.raises(QuizappError, match="is a folder"):
        open_store(str(tmp_path), connection=quick)
    with pytest.raises(sqlite3.ProgrammingError):
        quick.execute("SELECT 1")
