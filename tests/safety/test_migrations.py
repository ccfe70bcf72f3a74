"""Schema migrations: an older database is backed up, then migrated with every review kept;
a newer one is refused and left byte-identical; a failed migration changes nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from quizapp.errors import QuizappError
from quizapp.storage.engine import Store, make_engine, open_store
from quizapp.storage.models import Base
from quizapp.storage.quickstart import HEAD_REVISION
from quizapp.storage.schema import SchemaState, head_revision, schema_status, upgrade

from .conftest import (
    REVIEW_COLUMNS_0001,
    assert_clean_failure,
    fill,
    integrity,
    quizapp,
    sql_rows,
)

TABLES = ("decks", "cards", "card_state", "review_log")


def _first_schema_database(path: Path, answers: int) -> dict[str, list[tuple[object, ...]]]:
    """A database at revision 0001 with `answers` answers; its rows, table by table."""
    engine = make_engine(str(path))
    upgrade(engine, revision="0001")
    with Store(engine, str(path)) as store:
        assert len(fill(store, answers)) == answers
    return _contents(path)


def _contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: sql_rows(
            path,
            f"SELECT {REVIEW_COLUMNS_0001 if table == 'review_log' else '*'} FROM {table}"
            " ORDER BY 1, 2",
        )
        for table in TABLES
    }


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
        ("ix_review_log_event_id",),
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


# --- a database is quizapp's only when its tables are ------------------------------------


def _alembic_app(path: Path, revision: str) -> None:
    """Another program's database that uses Alembic too, with revision names like ours."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    conn.execute("CREATE TABLE decks (id INTEGER PRIMARY KEY, owner INTEGER)")
    conn.execute("INSERT INTO users (name) VALUES ('ada')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("revision", ["0001", "0002", "3f1c2a9b7d10"])
def test_another_apps_alembic_database_is_refused_byte_identical(
    tmp_path: Path, cli_env: dict[str, str], revision: str
) -> None:
    path = tmp_path / "other-app.db"
    _alembic_app(path, revision)
    before = path.read_bytes()
    for command in (["decks"], ["backup"]) if revision == "0001" else (["stats"],):
        line = assert_clean_failure(
            quizapp(cli_env, "--db", str(path), *command),
            f"{path} is not a quizapp database",
            "choose another file with --db",
        )
        assert "newer quizapp" not in line
    assert path.read_bytes() == before  # still in rollback-journal mode: no switch to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-app.db"]  # no copy either


def _altered(tmp_path: Path, name: str, *statements: str) -> Path:
    path = tmp_path / f"{name}.db"
    with open_store(str(path)) as store:
        fill(store, 12)
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    ("statements", "problem"),
    [
        (["DROP TABLE card_state"], "no table card_state"),
        (
            ["ALTER TABLE review_log RENAME TO answers"],
            "no table review_log; a table answers quizapp did not create",
        ),
        (
            ["INSERT INTO alembic_version VALUES ('0001')"],
            f"2 schema versions recorded in alembic_version ({HEAD_REVISION}, 0001)",
        ),
        (["ALTER TABLE cards ADD COLUMN mine TEXT"], "table cards has a column mine"),
        (
            ["ALTER TABLE decks RENAME COLUMN title TO name"],
            "table decks has no column title, a column name",
        ),
    ],
    ids=["dropped", "renamed", "two-versions", "extra-column", "renamed-column"],
)
def test_a_quizapp_database_changed_outside_quizapp_is_one_line_and_untouched(
    tmp_path: Path, cli_env: dict[str, str], statements: list[str], problem: str
) -> None:
    path = _altered(tmp_path, "progress", *statements)
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    for command in (["decks"],):
        assert_clean_failure(
            quizapp(cli_env, "--db", str(path), *command),
            f"{path} was changed outside quizapp ({problem})",
            "there is no backup of it",
        )
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files


def test_a_changed_database_names_its_newest_backup(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from quizapp.storage.backup import make_backup

    path = tmp_path / "progress.db"
    with open_store(str(path)) as store:
        fill(store, 5)
    made = [make_backup(path, now=datetime(2026, 3, day, 9, tzinfo=UTC)) for day in (1, 2, 3)]
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE review_log")
    conn.close()
    with pytest.raises(QuizappError) as refused:
        open_store(str(path))
    assert refused.value.message == (
        f"{path} was changed outside quizapp (no table review_log); restore the newest backup "
        f"with: quizapp restore {made[2]} --db {path} (newest backups: {made[2].name}, "
        f"{made[1].name}, {made[0].name})"
    )


def test_an_unknown_revision_on_quizapp_tables_is_a_newer_quizapp_on_others_is_foreign(
    tmp_path: Path,
) -> None:
    ours = _altered(tmp_path, "ours", "UPDATE alembic_version SET version_num = '0003'")
    theirs = _altered(
        tmp_path,
        "theirs",
        "UPDATE alembic_version SET version_num = '0003'",
        "DROP TABLE review_log",
        "DROP TABLE card_state",
    )
    with pytest.raises(QuizappError, match="written by a newer quizapp"):
        open_store(str(ours))
    with pytest.raises(QuizappError, match=r"theirs\.db is not a quizapp database") as refused:
        open_store(str(theirs))
    assert "newer" not in refused.value.message


def test_the_models_tables_are_the_migrations_tables() -> None:
    """The head layout is built from the models (no Alembic at start); it must be exactly
    what the migrations create, or every current database would be refused."""
    from sqlalchemy import create_engine

    from quizapp.storage.schema import expected_layout, read_layout

    engine = create_engine("sqlite://")
    upgrade(engine)
    with engine.connect() as conn:
        migrated = read_layout(lambda sql: conn.exec_driver_sql(sql).fetchall())
    engine.dispose()
    head = expected_layout(head_revision())
    assert head.objects == migrated.objects
    assert dict(head.columns) == dict(migrated.columns)
    assert "card_state" in head.tables and ("index", "ix_review_log_kind_day") in head.objects
    assert ("index", "ix_review_log_kind_day") not in expected_layout("0001").objects


# --- the user's own views and triggers, Ctrl-C, one copy per schema step -------------------


def _no_decks(tmp_path: Path) -> str:
    folder = tmp_path.parent / f"{tmp_path.name}-no-decks"
    folder.mkdir(exist_ok=True)
    return str(folder)


def _user_objects(path: Path) -> list[tuple[object, ...]]:
    return sql_rows(
        path, "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY 2"
    )


def test_the_users_views_and_triggers_are_kept_through_a_migration(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = tmp_path / "progress.db"
    before = _first_schema_database(path, 30)
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE VIEW my_counts AS SELECT deck_id, count(*) AS n FROM review_log GROUP BY 1"
    )
    conn.execute("CREATE TRIGGER my_audit AFTER UPDATE ON card_state BEGIN SELECT 1; END")
    conn.execute("CREATE TRIGGER my_log AFTER INSERT ON review_log BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    for _ in range(2):
        result = quizapp(cli_env, "--db", str(path), "--decks", _no_decks(tmp_path), "decks")
        assert result.returncode == 0, result.stderr
    assert _revision(path) == [(HEAD_REVISION,)]
    assert _contents(path)["review_log"] == before["review_log"]
    assert _user_objects(path) == [
        ("trigger", "my_audit"),
        ("view", "my_counts"),
        ("trigger", "my_log"),
    ]
    assert sql_rows(path, "SELECT * FROM my_counts") == [("safety-study", 30)]
    copies = list((tmp_path / "backups").glob("*-before-migration-0001.db"))
    assert len(copies) == 1


def test_a_users_object_that_no_longer_fits_refuses_the_upgrade_unchanged(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    """A view named like the index revision 0002 creates: it cannot be made again."""
    path = tmp_path / "progress.db"
    before = _first_schema_database(path, 10)
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIEW ix_review_log_kind_day AS SELECT 1")
    conn.commit()
    conn.close()
    for _ in range(2):
        assert_clean_failure(
            quizapp(cli_env, "--db", str(path), "--decks", _no_decks(tmp_path), "decks"),
            f"cannot upgrade {path}: your own view ix_review_log_kind_day does not fit",
            "DROP VIEW ix_review_log_kind_day",
            "nothing was changed",
        )
    assert _revision(path) == [("0001",)]
    assert _contents(path) == before
    assert _user_objects(path) == [("view", "ix_review_log_kind_day")]
    assert len(list((tmp_path / "backups").iterdir())) == 1  # one copy, not one a start


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_late_in_a_migration_rolls_it_back_and_the_next_start_finishes_it(
    tmp_path: Path, signum: int
) -> None:
    """The signal comes while review_log is being rebuilt (its old table just dropped)."""
    from sqlalchemy import event

    import quizapp.storage.schema as schema_module

    path = tmp_path / "progress.db"
    before = _first_schema_database(path, 40)
    real_upgrade = schema_module._migrate
    sent: list[str] = []

    def migrate_and_signal(conn: Any, *args: Any) -> None:
        @event.listens_for(conn, "after_cursor_execute")
        def _late(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
            if statement.strip().startswith("DROP TABLE review_log") and not sent:
                sent.append(statement)
                os.kill(os.getpid(), signum)

        real_upgrade(conn, *args)

    expected: type[BaseException] = KeyboardInterrupt if signum == signal.SIGINT else SystemExit
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schema_module, "_migrate", migrate_and_signal)
        with pytest.raises(expected):
            open_store(str(path))
    assert sent
    assert _revision(path) == [("0001",)]
    assert _contents(path) == before
    assert integrity(path) == ["ok"]
    assert sql_rows(path, "SELECT name FROM sqlite_master WHERE name LIKE '%alembic_tmp%'") == []

    open_store(str(path)).close()
    assert _revision(path) == [(HEAD_REVISION,)]
    assert _contents(path) == before
    (copy,) = (tmp_path / "backups").iterdir()  # one per schema step, not one per attempt
    assert copy.name.endswith("-before-migration-0001.db")


def test_a_new_answer_since_the_last_attempt_makes_a_fresh_copy_in_place_of_the_old(
    tmp_path: Path,
) -> None:
    from quizapp.storage.backup import backup_before_migration

    path = tmp_path / "progress.db"
    _first_schema_database(path, 10)
    first = backup_before_migration(path, "0001")
    assert backup_before_migration(path, "0001") == first
    conn = sqlite3.connect(path)
    conn.execute("UPDATE card_state SET last_review = '2026-03-09 10:00:00.000000'")
    conn.execute(
        "INSERT INTO review_log SELECT 11, deck_id, item_id, reviewed_at, day, grade, "
        "typed_answer, correct, duration_ms, session_kind, repeat, repetitions_before, "
        "interval_before, easiness_milli_before, due_before, lapses_before, "
        "last_review_before, repetitions_after, interval_after, easiness_milli_after, "
        "due_after, lapses_after FROM review_log WHERE id = 1"
    )
    conn.commit()
    conn.close()
    fresh = backup_before_migration(path, "0001")
    assert fresh != first
    assert sorted((tmp_path / "backups").iterdir()) == [fresh]
    assert len(sql_rows(fresh, "SELECT id FROM review_log")) == 11
