"""Schema migrations: an older database is backed up, then migrated with every review kept;
a newer one is refused and left byte-identical; a failed migration changes nothing."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from quizapp.errors import QuizappError
from quizapp.storage.engine import Store, make_engine, open_store
from quizapp.storage.models import Base
from quizapp.storage.quickstart import HEAD_REVISION
from quizapp.storage.schema import SchemaState, head_revision, schema_status, upgrade

from .conftest import assert_clean_failure, fill, integrity, quizapp, sql_rows

TABLES = ("decks", "cards", "card_state", "review_log")


def _first_schema_database(path: Path, answers: int) -> dict[str, list[tuple[object, ...]]]:
    """A database at revision 0001 with `answers` answers; its rows, table by table."""
    engine = make_engine(str(path))
    upgrade(engine, revision="0001")
    with Store(engine, str(path)) as store:
        assert len(fill(store, answers)) == answers
    return _contents(path)


def _contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    return {table: sql_rows(path, f"SELECT * FROM {table} ORDER BY 1, 2") for table in TABLES}


def _revision(path: Path) -> list[tuple[object, ...]]:
    return sql_rows(path, "SELECT version_num FROM alembic_version")


def test_the_newest_schema_is_the_second_revision() -> None:
    assert head_revision() == HEAD_REVISION


def test_an_older_database_is_backed_up_then_migrated_with_every_review(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    before = _first_schema_database(path, 150)
    assert len(before["review_log"]) == 150
    assert _revision(path) == [("0001",)]

    open_store(str(path)).close()

    assert _revision(path) == [(HEAD_REVISION,)]
    assert _contents(path) == before
    assert integrity(path) == ["ok"]
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.name.startswith("progress-") and backup.name.endswith(
        "Z-before-migration-0001.db"
    )
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert _revision(backup) == [("0001",)]
    assert _contents(backup) == before
    assert integrity(backup) == ["ok"]
    engine = make_engine(str(path))
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert schema_status(engine).state is SchemaState.CURRENT
    engine.dispose()
    indexes = sql_rows(
        path,
        "SELECT name FROM sqlite_master WHERE tbl_name = 'review_log' "
        "AND name LIKE 'ix_%' ORDER BY name",
    )
    assert indexes == [
        ("ix_review_log_day",),
        ("ix_review_log_item",),
        ("ix_review_log_kind_day",),
        ("ix_review_log_reviewed_at",),
    ]
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="ck_review_log_duration_ms"):
        conn.execute("UPDATE review_log SET duration_ms = -1 WHERE id = 1")
    conn.close()

    open_store(str(path)).close()  # current now: no second backup
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_the_cli_migrates_an_older_database(tmp_path: Path, cli_env: dict[str, str]) -> None:
    path = tmp_path / "old.db"
    before = _first_schema_database(path, 45)
    no_decks = tmp_path / "no-decks"
    no_decks.mkdir()  # an empty folder: a missing one is (rightly) warned about on stderr
    result = quizapp(cli_env, "--db", str(path), "--decks", str(no_decks), "stats")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert _revision(path) == [(HEAD_REVISION,)]
    assert _contents(path)["review_log"] == before["review_log"]
    names = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert len(names) == 2  # the one before the migration, then the daily one
    assert names[0].endswith("-before-migration-0001.db") or names[1].endswith(
        "-before-migration-0001.db"
    )


def test_a_failed_migration_changes_nothing(tmp_path: Path) -> None:
    """A row the new CHECK refuses makes the migration fail: all of it is rolled back."""
    path = tmp_path / "progress.db"
    _first_schema_database(path, 20)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE review_log SET duration_ms = -5 WHERE id = 3")
    conn.commit()
    conn.close()
    before = _contents(path)
    with pytest.raises(QuizappError):
        open_store(str(path)).close()
    assert _revision(path) == [("0001",)]
    assert _contents(path) == before
    assert integrity(path) == ["ok"]


def test_a_database_from_a_newer_quizapp_is_refused_byte_identical(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = tmp_path / "newer.db"
    with open_store(str(path)) as store:
        fill(store, 10)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0007_from_the_future'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for command in (["decks"], ["backup"]):
        result = quizapp(cli_env, "--db", str(path), *command)
        assert_clean_failure(
            result, "written by a newer quizapp (schema 0007_from_the_future", "upgrade quizapp"
        )
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()
