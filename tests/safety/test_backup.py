"""Backups: daily at start (at most one a day, the newest 7 kept), `quizapp backup`, and
`quizapp restore FILE`, which checks FILE first and keeps the current database."""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import subprocess
import sys
import time
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
        from quizapp.commands.backup import run_backup

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


_HOLDER = """
import sys
from quizapp.storage.engine import open_store
from quizapp.storage.repository import stats
from datetime import date
with open_store(sys.argv[1]) as store:
    stats(store, date(2026, 3, 1), None, None)
    print("open", flush=True)
    sys.stdin.readline()
"""


def test_restore_refuses_while_another_quizapp_has_the_database_open(filled_db: Path) -> None:
    """An idle store in another process keeps its shared lock: restore says so, changes
    nothing, and works once that process has quit."""
    saved = make_backup(filled_db, now=T0)
    with open_store(str(filled_db)) as store:
        fill(store, 5)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(filled_db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline() == "open\n"
    ctx = AppContext(db=str(filled_db), deck_dirs=())
    backups = sorted((filled_db.parent / "backups").iterdir())
    with pytest.raises(QuizappError, match=r"another quizapp has .*progress\.db open"):
        run_restore(ctx, saved, io.StringIO())
    assert len(_reviews(filled_db)) == 105
    assert sorted((filled_db.parent / "backups").iterdir()) == backups
    holder.communicate("quit\n", timeout=30)
    assert run_restore(ctx, saved, io.StringIO()) == 0
    assert len(_reviews(filled_db)) == 100


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
        foreign: "is not a quizapp database (no schema version; it holds notes)",
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


def test_a_backup_killed_midway_leaves_no_backup_and_its_leftovers_are_cleaned(
    filled_db: Path,
) -> None:
    """What a SIGKILL left (a `.partial` and SQLite's `.partial-journal`, whatever their age)
    is removed by the next backup: no other backup can be under way while it holds the lock.
    Another database's leftovers in the same folder are not its to remove."""
    folder = filled_db.parent / "backups"
    folder.mkdir()
    leftovers = [
        folder / "progress-2026-02-27T10-00-00Z.db.partial",
        folder / "progress-2026-03-01T09-59-00Z.db.partial",
        folder / "progress-2026-03-01T09-59-00Z.db.partial-journal",
        folder / "progress-2026-03-01T09-59-00Z-before-restore.db.partial",
    ]
    other = folder / "progress-old-2026-03-01T09-59-00Z.db.partial"
    for partial in [*leftovers, other]:
        partial.write_bytes(b"half a backup")
    assert list_backups(filled_db) == []
    made = daily_backup(filled_db, T0)
    assert made is not None
    assert sorted(p.name for p in folder.iterdir()) == sorted([made.name, other.name])


def test_restoring_an_older_schema_backup_migrates_it_on_next_open(
    filled_db: Path, tmp_path: Path
) -> None:
    from .conftest import REVIEW_COLUMNS_0001
    from .test_migrations import _first_schema_database

    old = tmp_path / "old" / "progress.db"
    old.parent.mkdir()
    rows = _first_schema_database(old, 30)
    out = io.StringIO()
    assert run_restore(AppContext(db=str(filled_db), deck_dirs=()), old, out) == 0
    assert sql_rows(filled_db, "SELECT version_num FROM alembic_version") == [("0001",)]
    open_store(str(filled_db)).close()
    assert sql_rows(filled_db, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    columns = REVIEW_COLUMNS_0001  # (0005 added the event columns)
    assert (
        sql_rows(filled_db, f"SELECT {columns} FROM review_log ORDER BY id") == rows["review_log"]
    )
    names = sorted(p.name for p in (filled_db.parent / "backups").iterdir())
    assert sorted(n.rsplit("Z-", 1)[1] for n in names) == [
        "before-migration-0001.db",
        "before-restore.db",
    ]


# --- days, the future, concurrency ----------------------------------------------------------


def test_a_backup_dated_in_the_future_is_not_todays_and_is_pruned_as_the_oldest(
    filled_db: Path,
) -> None:
    future = make_backup(filled_db, now=T0 + timedelta(days=400))  # the clock was wrong once
    today = daily_backup(filled_db, T0)
    assert today is not None and today.name == "progress-2026-03-01T10-00-00Z.db"
    assert daily_backup(filled_db, T0 + timedelta(hours=5)) is None  # today's exists now
    made = [today]
    for day in range(1, 6):
        backup = daily_backup(filled_db, T0 + timedelta(days=day))
        assert backup is not None
        made.append(backup)
    assert future.exists()  # seven days with a backup, the future one among them
    last = daily_backup(filled_db, T0 + timedelta(days=6))
    assert last is not None
    assert not future.exists()
    assert [b.path for b in list_backups(filled_db)] == [*made, last]


def test_pruning_keeps_every_backup_of_the_seven_most_recent_days(filled_db: Path) -> None:
    from quizapp.storage.backup import prune_backups

    made = []
    for day in range(9):
        for hour in (9, 18):
            made.append(make_backup(filled_db, now=T0 + timedelta(days=day, hours=hour - 10)))
    special = make_backup(filled_db, now=T0, reason="before-migration-0001")
    removed = prune_backups(filled_db, now=T0 + timedelta(days=8, hours=12))
    assert sorted(removed) == sorted(made[:4])
    assert [b.path for b in list_backups(filled_db)] == made[4:]
    assert special.exists()


def test_five_starts_at_once_make_one_daily_backup(filled_db: Path) -> None:
    script = (
        "import sys, time\n"
        "from datetime import datetime, UTC\n"
        "from pathlib import Path\n"
        "from quizapp.storage.backup import daily_backup\n"
        "start = float(sys.argv[2])\n"
        "time.sleep(max(0.0, start - time.time()))\n"
        "made = daily_backup(Path(sys.argv[1]), datetime(2026, 3, 1, 10, tzinfo=UTC))\n"
        "print(made or '')\n"
    )
    start = time.time() + 2.0
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(filled_db), str(start)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
        for _ in range(5)
    ]
    outputs = [run.communicate(timeout=60)[0].strip() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len([out for out in outputs if out]) == 1
    (backup,) = (filled_db.parent / "backups").iterdir()
    assert integrity(backup) == ["ok"]


# --- temporary files: Ctrl-C, SIGTERM, SIGKILL -----------------------------------------------


def _killed_midway(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter (which signals itself at the point it chooses)."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


_BACKUP_SIGNALLED = """
import os, signal, sys
from pathlib import Path
import quizapp.storage.backup as backup
real = backup._fsync
def fsync_then_signal(path):
    real(path)
    if path.name.endswith('.partial'):
        os.kill(os.getpid(), getattr(signal, sys.argv[2]))
backup._fsync = fsync_then_signal
try:
    backup.make_backup(Path(sys.argv[1]))
except KeyboardInterrupt:
    sys.exit(130)
"""


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_signal_during_a_backup_leaves_no_file_behind(
    filled_db: Path, name: str, code: int
) -> None:
    run = _killed_midway(_BACKUP_SIGNALLED, str(filled_db), name)
    assert run.returncode == code, run.stderr
    assert list((filled_db.parent / "backups").iterdir()) == []


_RESTORE_SIGNALLED = """
import io, os, signal, sys
from pathlib import Path
import quizapp.storage.backup as backup
from quizapp.context import AppContext
real = backup.check_database
def check_then_signal(path, shown=None):
    checked = real(path, shown)
    os.kill(os.getpid(), getattr(signal, sys.argv[3]))
    return checked
backup.check_database = check_then_signal
try:
    backup.run_restore(AppContext(db=sys.argv[1], deck_dirs=()), Path(sys.argv[2]), io.StringIO())
except KeyboardInterrupt:
    sys.exit(130)
"""


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_signal_during_a_restore_leaves_no_copy_behind(
    filled_db: Path, tmp_path: Path, name: str, code: int
) -> None:
    saved = make_backup(filled_db, now=T0)
    db_before = filled_db.read_bytes()
    run = _killed_midway(_RESTORE_SIGNALLED, str(filled_db), str(saved), name)
    assert run.returncode == code, run.stderr
    assert not list(tmp_path.glob(".restore-*"))
    assert filled_db.read_bytes() == db_before


def test_what_a_sigkill_left_is_removed_by_the_next_run(
    filled_db: Path, cli_env: dict[str, str]
) -> None:
    folder = filled_db.parent / "backups"
    folder.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftovers = [
        folder / "progress-2026-03-01T09-59-00Z.db.partial",
        folder / "progress-2026-03-01T09-59-00Z.db.partial-journal",
        filled_db.parent / f".restore-{dead.pid}.db",
        filled_db.parent / f".restore-{dead.pid}.db-wal",
    ]
    alive = filled_db.parent / f".restore-{os.getpid()}.db"  # a restore under way: kept
    for leftover in [*leftovers, alive]:
        leftover.write_bytes(b"the whole history, half copied")
    empty = filled_db.parent / "no-decks"
    empty.mkdir()
    result = quizapp(cli_env, "--db", str(filled_db), "--decks", str(empty), "decks")
    assert result.returncode == 0, result.stderr
    assert not any(leftover.exists() for leftover in leftovers)
    assert alive.exists()
    assert [p.name.endswith("Z.db") for p in folder.iterdir()] == [True]


# --- restore refuses what quizapp did not make ----------------------------------------------


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (
            ["CREATE TRIGGER wipe AFTER INSERT ON review_log BEGIN DELETE FROM review_log; END"],
            "(trigger wipe)",
        ),
        (
            [
                "CREATE TRIGGER later AFTER UPDATE ON card_state BEGIN "
                "UPDATE card_state SET due = '2999-01-01'; END",
                "CREATE VIEW everything AS SELECT * FROM review_log",
            ],
            "(trigger later, view everything)",
        ),
        (["CREATE INDEX mine ON cards (kind)"], "(index mine)"),
        (["CREATE TABLE extra (x)"], "(a table extra quizapp did not create)"),
    ],
    ids=["trigger", "trigger-and-view", "index", "table"],
)
def test_restore_refuses_a_backup_with_schema_objects_quizapp_did_not_create(
    filled_db: Path, tmp_path: Path, statements: list[str], named: str
) -> None:
    hostile = tmp_path / "hostile.db"
    hostile.write_bytes(make_backup(filled_db, now=T0).read_bytes())
    conn = sqlite3.connect(hostile)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    hostile_bytes, db_bytes = hostile.read_bytes(), filled_db.read_bytes()
    with pytest.raises(QuizappError) as refused:
        run_restore(AppContext(db=str(filled_db), deck_dirs=()), hostile, io.StringIO())
    assert named in refused.value.message
    assert refused.value.message.startswith(f"{hostile} ")
    assert hostile.read_bytes() == hostile_bytes
    assert filled_db.read_bytes() == db_bytes
    assert not list((filled_db.parent / "backups").glob("*-before-restore.db"))


def test_restore_refuses_a_backup_with_a_date_quizapp_cannot_read(
    filled_db: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "edited.db"
    edited.write_bytes(make_backup(filled_db, now=T0).read_bytes())
    conn = sqlite3.connect(edited)
    conn.execute("UPDATE card_state SET due = 'soon' WHERE rowid = 2")
    conn.commit()
    conn.close()
    with pytest.raises(QuizappError, match=r"edited\.db is damaged: card_state\.due holds 'soon'"):
        run_restore(AppContext(db=str(filled_db), deck_dirs=()), edited, io.StringIO())


def test_backup_and_restore_name_what_a_path_is_when_it_is_not_a_file(
    tmp_path: Path, filled_db: Path, cli_env: dict[str, str]
) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.db"
    folder.mkdir()
    db_before = filled_db.read_bytes()
    for path, what in (
        (folder, "a folder"),
        (fifo, "a named pipe (FIFO)"),
        ("/dev/null", "a device"),
    ):
        assert_clean_failure(
            quizapp(cli_env, "--db", str(path), "backup", timeout=30),
            f"{path} is {what}, not a quizapp database: nothing to back up",
        )
        result = quizapp(cli_env, "--db", str(filled_db), "restore", str(path), timeout=30)
        assert_clean_failure(result, f"{path} is {what}, not a backup file")
        assert result.returncode == 2
    assert filled_db.read_bytes() == db_before
    assert not (filled_db.parent / "backups").exists()
