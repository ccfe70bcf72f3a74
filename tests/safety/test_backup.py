"""Backups: daily at start (at most one a day, the newest 7 kept), `quizapp backup`, and
`quizapp restore FILE`, which checks FILE first and keeps the current database."""

from __future__ import annotations

import io
import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.context import AppContext
from quizapp.errors import QuizappError
from quizapp.storage.backup import (
    daily_backup,
    list_backups,
    make_backup,
    run_restore,
)
from quizapp.storage.engine import open_store
from quizapp.storage.quickstart import HEAD_REVISION

from .conftest import assert_clean_failure, fill, integrity, quizapp, sql_rows

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def _reviews(path: Path) -> list[tuple[object, ...]]:
    return sql_rows(path, "SELECT * FROM review_log ORDER BY id")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_is_a_compact_owner_only_copy_of_every_review(filled_db: Path) -> None:
    made = make_backup(filled_db, now=T0)
    assert made == filled_db.parent / "backups" / "progress-2026-03-01T10-00-00Z.db"
    assert _reviews(made) == _reviews(filled_db)
    assert len(_reviews(made)) == 100
    assert integrity(made) == ["ok"]
    assert sql_rows(made, "PRAGMA journal_mode") == [("delete",)]
    assert sql_rows(made, "PRAGMA freelist_count") == [(0,)]
    assert _mode(made) == 0o600
    assert _mode(made.parent) == 0o700
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]  # no -wal, no .partial


def test_a_backup_is_consistent_while_another_process_writes(filled_db: Path) -> None:
    writer = sqlite3.connect(filled_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM review_log WHERE id > 50")
    made = make_backup(filled_db, now=T0)  # the write lock is held: the backup still runs
    writer.execute("COMMIT")
    writer.close()
    assert len(_reviews(made)) == 100
    assert len(_reviews(filled_db)) == 50


def test_at_most_one_daily_backup_a_day_and_the_newest_seven_are_kept(filled_db: Path) -> None:
    first = daily_backup(filled_db, T0)
    assert first is not None and first.name == "progress-2026-03-01T10-00-00Z.db"
    assert daily_backup(filled_db, T0.replace(hour=23, minute=59)) is None
    special = make_backup(filled_db, now=T0, reason="before-restore")
    made = [first]
    for day in range(1, 9):
        backup = daily_backup(filled_db, T0 + timedelta(days=day, hours=-9, seconds=1))
        assert backup is not None
        made.append(backup)
        assert daily_backup(filled_db, T0 + timedelta(days=day, hours=13)) is None
    kept = [backup.path for backup in list_backups(filled_db)]
    assert kept == made[2:]
    assert kept[0].name == "progress-2026-03-03T01-00-01Z.db"
    assert special.exists()
    assert sorted(p.name for p in filled_db.parent.joinpath("backups").iterdir()) == sorted(
        [p.name for p in kept] + [special.name]
    )


def test_a_failing_daily_backup_does_not_stop_the_app(filled_db: Path) -> None:
    (filled_db.parent / "backups").write_text("a file where the folder should be")
    assert daily_backup(filled_db, T0) is None


def test_the_app_start_makes_the_daily_backup_in_the_user_data_dir(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    for _ in range(2):
        result = quizapp(cli_env, "--decks", str(tmp_path / "none"), "decks")
        assert result.returncode == 0, result.stderr
    data = Path(cli_env["XDG_DATA_HOME"]) / "quizapp"
    db = data / "quizapp.db"
    (backup,) = (data / "backups").iterdir()
    assert backup.name.startswith("quizapp-") and backup.name.endswith("Z.db")
    assert _mode(db) == 0o600
    assert _mode(backup) == 0o600
    assert integrity(backup) == ["ok"]


def test_quizapp_backup_prints_the_path_of_a_new_backup(
    filled_db: Path, cli_env: dict[str, str]
) -> None:
    result = quizapp(cli_env, "--db", str(filled_db), "backup")
    assert result.returncode == 0, result.stderr
    made = Path(result.stdout.strip())
    assert result.stdout == f"{made}\n"
    assert made.parent == filled_db.parent / "backups"
    assert _reviews(made) == _reviews(filled_db)
    assert _mode(made) == 0o600


def test_quizapp_backup_without_a_database_or_on_memory_is_a_clear_error(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    missing = tmp_path / "missing.db"
    assert_clean_failure(
        quizapp(cli_env, "--db", str(missing), "backup"), "no database at", "nothing to back up"
    )
    assert not missing.exists()
    with pytest.raises(QuizappError, match="backup works on a SQLite database file"):
        from quizapp.storage.backup import run_backup

        run_backup(AppContext(db="sqlite://", deck_dirs=()), io.StringIO())


def test_restore_replaces_the_database_and_keeps_the_current_one(
    filled_db: Path, cli_env: dict[str, str]
) -> None:
    saved = make_backup(filled_db, now=T0)
    saved_bytes = saved.read_bytes()
    with open_store(str(filled_db)) as store:
        fill(store, 10)  # ten more answers after the backup (ids 101-110)
    current = _reviews(filled_db)
    assert len(current) == 110
    result = quizapp(cli_env, "--db", str(filled_db), "restore", str(saved))
    assert result.returncode == 0, result.stderr
    assert _reviews(filled_db) == _reviews(saved)
    assert len(_reviews(filled_db)) == 100
    assert integrity(filled_db) == ["ok"]
    assert _mode(filled_db) == 0o600
    (kept,) = (filled_db.parent / "backups").glob("*-before-restore.db")
    assert _reviews(kept) == current
    assert result.stdout == (
        f"Restored {filled_db} from {saved} (100 reviews).\n"
        f"The previous database is kept as {kept}\n"
    )
    assert saved.read_bytes() == saved_bytes


def test_restore_reaches_a_quizapp_that_has_the_database_open(filled_db: Path) -> None:
    saved = make_backup(filled_db, now=T0)
    with open_store(str(filled_db)) as open_elsewhere:
        fill(open_elsewhere, 5)
        ctx = AppContext(db=str(filled_db), deck_dirs=())
        assert run_restore(ctx, saved, io.StringIO()) == 0
        with open_elsewhere.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM review_log").scalar() == 100


def test_restore_over_a_damaged_database_keeps_its_bytes(filled_db: Path) -> None:
    saved = make_backup(filled_db, now=T0)
    for extra in ("-wal", "-shm"):
        Path(f"{filled_db}{extra}").unlink(missing_ok=True)
    garbage = b"this was a database once" * 100
    filled_db.write_bytes(garbage)
    out = io.StringIO()
    assert run_restore(AppContext(db=str(filled_db), deck_dirs=()), saved, out) == 0
    assert len(_reviews(filled_db)) == 100
    (kept,) = (filled_db.parent / "backups").glob("*-before-restore.db")
    assert kept.read_bytes() == garbage
    assert _mode(kept) == 0o600


def _damaged(good: Path, target: Path) -> Path:
    data = bytearray(good.read_bytes())
    data[4096 + 16 : 4096 + 3000] = os.urandom(2984)
    data[3 * 4096 + 8 : 3 * 4096 + 200] = b"\x00" * 192
    target.write_bytes(bytes(data))
    return target


def test_restore_refuses_bad_files_and_changes_nothing(
    tmp_path: Path, filled_db: Path, cli_env: dict[str, str]
) -> None:
    good = make_backup(filled_db, now=T0)
    (tmp_path / "text.db").write_text("just text\n")
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    newer = tmp_path / "newer.db"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    cases = {
        tmp_path / "text.db": "is not a quizapp database (not an SQLite file)",
        _damaged(good, tmp_path / "damaged.db"): "damaged.db is damaged (integrity check: ",
        foreign: "is not a quizapp database (no schema version)",
        newer: "written by a newer quizapp (schema 0099",
    }
    db_before = filled_db.read_bytes()
    backups_before = sorted((filled_db.parent / "backups").iterdir())
    for file, message in cases.items():
        file_before = file.read_bytes()
        result = quizapp(cli_env, "--db", str(filled_db), "restore", str(file))
        assert_clean_failure(result, message)
        assert file.read_bytes() == file_before
        assert filled_db.read_bytes() == db_before
        assert sorted((filled_db.parent / "backups").iterdir()) == backups_before
    missing = quizapp(cli_env, "--db", str(filled_db), "restore", str(tmp_path / "nope.db"))
    assert_clean_failure(missing, "nope.db: no such file")
    assert missing.returncode == 2
    assert filled_db.read_bytes() == db_before


def test_a_backup_killed_midway_leaves_no_backup_and_its_leftover_is_cleaned(
    filled_db: Path,
) -> None:
    folder = filled_db.parent / "backups"
    folder.mkdir()
    stale = folder / "progress-2026-02-27T10-00-00Z.db.partial"
    fresh = folder / "progress-2026-03-01T09-59-00Z.db.partial"
    for partial, age in ((stale, 3601), (fresh, 60)):
        partial.write_bytes(b"half a backup")
        os.utime(partial, (T0.timestamp() - age, T0.timestamp() - age))
    assert list_backups(filled_db) == []
    made = daily_backup(filled_db, T0)
    assert made is not None
    assert sorted(p.name for p in folder.iterdir()) == sorted([made.name, fresh.name])


def test_restoring_an_older_schema_backup_migrates_it_on_next_open(
    filled_db: Path, tmp_path: Path
) -> None:
    from .test_migrations import _first_schema_database

    old = tmp_path / "old" / "progress.db"
    old.parent.mkdir()
    rows = _first_schema_database(old, 30)
    out = io.StringIO()
    assert run_restore(AppContext(db=str(filled_db), deck_dirs=()), old, out) == 0
    assert sql_rows(filled_db, "SELECT version_num FROM alembic_version") == [("0001",)]
    open_store(str(filled_db)).close()
    assert sql_rows(filled_db, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert _reviews(filled_db) == rows["review_log"]
    names = sorted(p.name for p in (filled_db.parent / "backups").iterdir())
    assert sorted(n.rsplit("Z-", 1)[1] for n in names) == [
        "before-migration-0001.db",
        "before-restore.db",
    ]
