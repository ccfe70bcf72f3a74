"""Bad input never gives a traceback and never touches data, tried through the CLI.

Every case: a non-zero exit (or a normal run, where the input is legitimately usable), one
`quizapp: error:` line on stderr, no traceback, and the database byte-identical afterwards.
Read-only files and full disks are real: `chattr +i`, a read-only tmpfs and a tiny tmpfs
when the tests run as root (they are skipped otherwise), and SQLite's max_page_count.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from quizapp.errors import QuizappError
from quizapp.storage.engine import Store, open_store
from quizapp.storage.failures import NotSavedError
from quizapp.storage.repository import record_answer
from tests.tui.conftest import settle

from .conftest import (
    DATA,
    DAY0,
    assert_clean_failure,
    card_front,
    fill,
    integrity,
    noon,
    quizapp,
    sql_rows,
)

DECK_BAD = Path(__file__).resolve().parents[1] / "data" / "deck" / "bad"


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes (to prove nothing changed)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_file_that_is_not_sqlite_is_refused_untouched(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"# my notes\nnot a database\n")
    assert_clean_failure(
        quizapp(cli_env, "--db", str(path), "decks"), "is not a quizapp database (not an SQLite"
    )
    assert _files(tmp_path) == {"notes.db": b"# my notes\nnot a database\n"}


def test_a_corrupt_database_is_refused_untouched(filled_db: Path, cli_env: dict[str, str]) -> None:
    data = bytearray(filled_db.read_bytes())
    data[100:4096] = b"\xa5" * 3996  # the schema page
    filled_db.write_bytes(bytes(data))
    for extra in ("-wal", "-shm"):
        Path(f"{filled_db}{extra}").unlink(missing_ok=True)
    before = _files(filled_db.parent)
    assert_clean_failure(quizapp(cli_env, "--db", str(filled_db), "decks"), str(filled_db))
    assert _files(filled_db.parent) == before


def test_an_unknown_db_url_scheme_is_one_clear_line(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    assert_clean_failure(
        quizapp(cli_env, "--db", "mongodb://localhost/quiz", "decks"),
        "unknown database URL scheme 'mongodb'",
    )
    assert not Path(cli_env["XDG_DATA_HOME"]).exists()


def test_a_url_whose_driver_is_missing_is_a_clear_error() -> None:
    with pytest.raises(QuizappError, match=r"not installed|unknown database URL scheme"):
        open_store("mysql+nosuchdriver://user@localhost/quiz")


def test_a_missing_decks_folder_is_no_error_and_changes_no_progress(
    filled_db: Path, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(DATA / "study.yaml", decks)
    reviews = sql_rows(filled_db, "SELECT * FROM review_log")
    cli_env["QUIZAPP_DECKS"] = str(tmp_path / "gone-too")
    result = quizapp(
        cli_env, "--db", str(filled_db), "--decks", str(decks), "--decks", str(tmp_path / "gone"),
        "decks",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "safety-study" in result.stdout
    assert sql_rows(filled_db, "SELECT * FROM review_log") == reviews


def test_every_bad_deck_is_reported_and_the_good_decks_still_load(
    filled_db: Path, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    """Each error class of the deck format doc, at once: `validate` lists them, `decks`
    starts with the good deck and names the bad files, and none of them reaches the DB."""
    decks = tmp_path / "decks"
    shutil.copytree(DECK_BAD, decks)
    for name in ("dup-card-id.yaml", "bad-prefix.yaml", "python-object.yaml", "study.yaml"):
        shutil.copy(DATA / name, decks)
    shutil.copytree(DATA / "dup-deck-id", decks / "dup-deck-id")
    with (decks / "huge.yaml").open("wb") as huge:
        huge.write(b"deck: huge\ntitle: Huge\ncards:\n")
        huge.write(b"  - id: x\n    front: a\n    back: " + b"b" * (10 * 1024 * 1024) + b"\n")
    bad = sorted(p for p in decks.rglob("*.yaml") if p.name != "study.yaml")

    checked = quizapp(cli_env, "validate", *map(str, bad))
    assert checked.returncode == 1
    assert "Traceback" not in checked.stdout + checked.stderr
    errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
    for path in bad:
        assert any(line.startswith(f"{path}:") for line in errors), path

    listed = quizapp(cli_env, "--db", str(filled_db), "--decks", str(decks), "decks")
    assert listed.returncode == 1, listed.stderr  # deck files were left out: not a clean run
    assert "Traceback" not in listed.stdout + listed.stderr
    assert "safety-study" in listed.stdout
    assert f"{len(bad)} deck file(s) with errors were left out" in listed.stdout
    stored = {row[0] for row in sql_rows(filled_db, "SELECT id FROM decks WHERE active")}
    assert "safety-study" in stored
    assert not stored & {"huge", "safety-dup", "safety-prefix", "safety-python", "safety-twice"}
    assert not Path("/tmp/quizapp-pwned-by-deck").exists()


# --- read-only and full ---------------------------------------------------------------------


def _root() -> bool:
    return os.geteuid() == 0


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    if not _root():
        pytest.skip("needs root to mount a tmpfs")
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.root
def test_an_immutable_database_file_is_read_but_never_written(
    filled_db: Path, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    if not _root():
        pytest.skip("chattr +i needs root")
    open_store(str(filled_db)).close()  # checkpointed: no -wal, no -shm
    if subprocess.run(["chattr", "+i", str(filled_db)], capture_output=True).returncode:
        pytest.skip("this filesystem has no immutable flag")
    try:
        before = filled_db.read_bytes()
        decks = tmp_path / "decks"
        decks.mkdir()
        shutil.copy(DATA / "hostile.yaml", decks)  # a new deck: the sync has to write
        result = quizapp(cli_env, "--db", str(filled_db), "--decks", str(decks), "decks")
        assert_clean_failure(result, "not saved: the database or its folder is read-only")
        assert filled_db.read_bytes() == before
    finally:
        subprocess.run(["chattr", "-i", str(filled_db)], check=False)


@pytest.mark.root
def test_a_read_only_folder_never_gives_a_traceback(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    with _tmpfs(tmp_path / "ro", "2m") as folder:
        db = folder / "progress.db"
        with open_store(str(db)) as store:
            fill(store, 30)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        before = _files(folder)
        decks = tmp_path / "decks"
        decks.mkdir()
        shutil.copy(DATA / "hostile.yaml", decks)
        assert_clean_failure(quizapp(cli_env, "--db", str(db), "--decks", str(decks), "decks"))
        assert_clean_failure(
            quizapp(cli_env, "--db", str(folder / "new.db"), "decks"),
            "cannot create the database",
            "Read-only file system",
        )
        assert _files(folder) == before


def _answer(store: Store, n: int) -> int:
    return record_answer(
        store,
        deck_id="safety-study",
        item_id=f"card-{n % 40:02d}",
        grade=4,
        typed_answer="x" * 500,
        correct=True,
        duration_ms=n,
        now=noon(DAY0),
        today=DAY0,
    ).review_id


def _until_full(store: Store, limit: int = 5000) -> tuple[list[int], NotSavedError]:
    saved: list[int] = []
    for n in range(limit):
        try:
            saved.append(_answer(store, n))
        except NotSavedError as error:
            return saved, error
    raise AssertionError(f"{limit} answers fitted")


def test_a_full_database_reports_the_answer_as_not_saved(tmp_path: Path) -> None:
    """SQLITE_FULL (max_page_count reached): NotSavedError, every earlier answer intact."""
    path = tmp_path / "progress.db"
    with open_store(str(path)) as store:
        fill(store, 40)

        @event.listens_for(store.engine, "connect")
        def _cap(dbapi_connection: object, _record: object) -> None:
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 3}")  # type: ignore[attr-defined]

        store.engine.dispose()
        saved, error = _until_full(store)
        assert error.message == (f"not saved: the disk is full ({path}); the database is unchanged")
        assert isinstance(error, QuizappError)
        stored = [row[0] for row in sql_rows(path, "SELECT id FROM review_log ORDER BY id")]
        assert stored == list(range(1, 41)) + saved
        event.remove(store.engine, "connect", _cap)
        store.engine.dispose()
        assert _answer(store, 0) == stored[-1] + 1  # room again: answers are saved again
    assert integrity(path) == ["ok"]


@pytest.mark.root
def test_a_full_disk_while_answering_loses_nothing_saved(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "small", "8m") as folder:
        path = folder / "progress.db"
        with open_store(str(path)) as store:
            fill(store, 40)
            filler = folder / "filler"
            with contextlib.suppress(OSError), filler.open("wb") as handle:
                while True:
                    handle.write(b"\0" * 4096)
                    handle.flush()
            saved, error = _until_full(store)
            assert error.message.startswith("not saved: the disk is full")
            stored = [row[0] for row in sql_rows(path, "SELECT id FROM review_log ORDER BY id")]
            assert stored == list(range(1, 41)) + saved
            assert integrity(path) == ["ok"]
            filler.unlink()
            assert _answer(store, 1) == stored[-1] + 1
        assert integrity(path) == ["ok"]


@pytest.mark.root
def test_a_full_disk_at_start_is_one_clear_line(tmp_path: Path, cli_env: dict[str, str]) -> None:
    with _tmpfs(tmp_path / "small", "8m") as folder:
        path = folder / "progress.db"
        with open_store(str(path)) as store:
            fill(store, 40)
        decks = tmp_path / "decks"
        decks.mkdir()
        shutil.copy(DATA / "hostile.yaml", decks)
        with contextlib.suppress(OSError), (folder / "filler").open("wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        before = path.read_bytes()
        assert_clean_failure(quizapp(cli_env, "--db", str(path), "--decks", str(decks), "decks"))
        assert path.read_bytes() == before
        (folder / "filler").unlink()
        assert integrity(path) == ["ok"]


@pytest.mark.root
async def test_the_study_screen_reports_an_answer_that_was_not_saved(tmp_path: Path) -> None:
    """The disk fills up mid-session: the learner is told, the card stays, nothing is lost."""

    from quizapp.context import AppContext
    from quizapp.tui.app import QuizApp

    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(DATA / "study.yaml", decks)
    with _tmpfs(tmp_path / "small", "8m") as folder:
        db = folder / "progress.db"
        app = QuizApp(
            AppContext(db=str(db), deck_dirs=(decks,)),
            deck="safety-study",
            today=DAY0,
            now=lambda: noon(DAY0),
            seed=3,
            clock=itertools.count(0.0, 1.5).__next__,  # each key well after its card appeared
        )

        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            for key in ("space", "5"):
                await pilot.press(key)
                await settle(pilot)
            assert card_front(app) == "Question 1?"
            filler = folder / "filler"
            with contextlib.suppress(OSError), filler.open("wb") as handle:
                while True:
                    handle.write(b"\0" * 4096)
                    handle.flush()
            for key in ("space", "4"):
                await pilot.press(key)
                await settle(pilot)
            messages = [str(n.message) for n in app._notifications]
            assert card_front(app) == "Question 1?"  # still on screen: it was not saved
            filler.unlink()
        assert any(
            f"not saved: the disk is full ({db}); the database is unchanged" in m for m in messages
        ), messages
        assert sql_rows(db, "SELECT item_id, grade FROM review_log") == [("card-00", 5)]
        assert integrity(db) == ["ok"]


# --- a damaged database, values quizapp cannot read, a read-only database -------------------


def _damage_table(path: Path, table: str) -> None:
    """Overwrite the cell pointers of `table`'s pages: SQLite reads it as malformed."""
    pages = sql_rows(path, f"SELECT pageno FROM dbstat WHERE name = '{table}'")
    data = bytearray(path.read_bytes())
    for (page,) in pages:
        start = (int(page) - 1) * 4096  # type: ignore[call-overload]
        data[start + 8 : start + 60] = b"\xff" * 52
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged_db(tmp_path: Path) -> tuple[Path, list[Path], Path]:
    """A database with three backups, then damaged in card_state; and a decks folder."""
    from datetime import UTC, datetime

    from quizapp.storage.backup import make_backup

    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(DATA / "study.yaml", decks)
    path = tmp_path / "progress.db"
    with open_store(str(path)) as store:
        fill(store, 60)
    made = [make_backup(path, now=datetime(2026, 3, day, 9, tzinfo=UTC)) for day in (1, 2, 3)]
    _damage_table(path, "card_state")
    return path, made, decks


def test_a_damaged_database_names_its_newest_backup_and_the_restore_command(
    damaged_db: tuple[Path, list[Path], Path], cli_env: dict[str, str]
) -> None:
    path, made, decks = damaged_db
    before = _files(path.parent)
    advice = (
        f"{path} is damaged (database disk image is malformed); restore the newest backup "
        f"with: quizapp restore {made[2]} --db {path} (newest backups: {made[2].name}, "
        f"{made[1].name}, {made[0].name})"
    )
    out = str(path.parent / "progress.apkg")
    for command in (
        ["decks"],
        ["stats"],
        ["backup"],
        ["export", "anki", "--with-progress", "-o", out],
    ):
        line = assert_clean_failure(
            quizapp(cli_env, "--db", str(path), "--decks", str(decks), *command)
        )
        assert line == f"quizapp: error: {advice}", command
        assert "disk is full" not in line
    assert _files(path.parent) == before

    restored = quizapp(cli_env, "restore", str(made[2]), "--db", str(path))
    assert restored.returncode == 0, restored.stderr
    assert integrity(path) == ["ok"]
    assert len(sql_rows(path, "SELECT id FROM review_log")) == 60


async def test_the_study_app_on_a_damaged_database_says_the_same_and_ends(
    damaged_db: tuple[Path, list[Path], Path],
) -> None:
    """No spinner for ever, no "That did not work": the app ends with the CLI's line."""
    path, made, decks = damaged_db
    for deck in ("safety-study", None):
        error = await _study_app_error(path, decks, deck)
        assert error.startswith(f"{path} is damaged (database disk image")
        assert f"quizapp restore {made[2]} --db {path}" in error


async def test_the_study_app_on_a_database_with_a_dropped_table_says_so_and_ends(
    damaged_db: tuple[Path, list[Path], Path],
) -> None:
    """Up to date and in sync, so the start reads it without SQLAlchemy (quickstart)."""
    path, made, decks = damaged_db
    path.write_bytes(made[2].read_bytes())
    with open_store(str(path)):
        pass  # WAL mode, as quizapp leaves it
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE card_state")
    conn.close()
    error = await _study_app_error(path, decks, "safety-study")
    assert error.startswith(f"{path} was changed outside quizapp (no table card_state); ")
    assert f"quizapp restore {made[2]} --db {path}" in error


async def _study_app_error(path: Path, decks: Path, deck: str | None) -> str:
    from quizapp.context import AppContext
    from quizapp.tui.app import QuizApp

    app = QuizApp(
        AppContext(db=str(path), deck_dirs=(decks,)),
        deck=deck,
        today=DAY0,
        now=lambda: noon(DAY0),
        seed=3,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert app.error is not None, deck
    return app.error.message


def test_a_date_edited_by_hand_is_one_clear_line_not_a_crash(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    """Found before anything is written (the sync of the bundled decks, a daily backup), or
    when the value is read (an export of a database already in sync)."""
    from quizapp.storage.backup import make_backup

    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(DATA / "study.yaml", decks)
    for table, column, value in (
        ("card_state", "due", "next tuesday"),
        ("review_log", "reviewed_at", "yesterday"),
    ):
        path = tmp_path / table / "progress.db"
        path.parent.mkdir()
        with open_store(str(path)) as store:
            fill(store, 30)
        if table == "card_state":  # synced already: the export reads it, writing nothing
            synced = quizapp(cli_env, "--db", str(path), "--decks", str(decks), "decks")
            assert synced.returncode == 0, synced.stderr
        good = make_backup(path)
        conn = sqlite3.connect(path)
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = 3", (value,))
        conn.commit()
        conn.close()
        before = _files(path.parent)
        out = tmp_path / f"{table}.apkg"
        result = quizapp(
            cli_env, "--db", str(path), "--decks", str(decks),
            "export", "anki", "--with-progress", "-o", str(out),
        )  # fmt: skip
        assert_clean_failure(
            result, f"{path} ", f"holds {value!r}", f"quizapp restore {good} --db {path}"
        )
        assert _files(path.parent) == before


@pytest.mark.root
def test_stats_on_a_read_only_database_is_one_clear_line(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    with _tmpfs(tmp_path / "ro", "2m") as folder:
        db = folder / "progress.db"
        with open_store(str(db)) as store:
            fill(store, 10)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        before = _files(folder)
        for command in ("stats", "backup"):
            assert_clean_failure(
                quizapp(cli_env, "--db", str(db), command),
                f"cannot open the database {db}: it is on a read-only file system",
                "copy it to a writable folder",
            )
        assert _files(folder) == before


def test_backup_and_restore_into_a_full_disk_or_a_read_only_folder_are_one_clear_line(
    filled_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: the backup's first write fails as a full disk or a read-only folder would."""
    import errno
    import io

    import quizapp.storage.backup as backup
    from quizapp.commands.backup import run_backup
    from quizapp.context import AppContext

    db_before = filled_db.read_bytes()
    saved = filled_db.parent / "saved.db"
    shutil.copy(filled_db, saved)
    ctx = AppContext(db=str(filled_db), deck_dirs=())
    for code, backups_said, restore_said in (
        (errno.ENOSPC, "the disk is full", "the disk is full"),
        (
            errno.EROFS,
            f"the folder {filled_db.parent / 'backups'} is read-only",
            f"the folder {filled_db.parent} is read-only",
        ),
    ):

        def failing(path: Path, code: int = code) -> None:
            raise OSError(code, os.strerror(code), str(path))

        monkeypatch.setattr(backup, "_owner_only_file", failing)
        with pytest.raises(QuizappError) as refused:
            run_backup(ctx, io.StringIO())
        assert refused.value.message.startswith(f"cannot back up {filled_db}: {backups_said}; ")
        with pytest.raises(QuizappError) as refused:
            backup.run_restore(ctx, saved, io.StringIO())
        assert refused.value.message.startswith(f"cannot restore {saved}: {restore_said}; ")
    assert filled_db.read_bytes() == db_before
    assert list((filled_db.parent / "backups").iterdir()) == []


@pytest.mark.root
def test_backup_on_a_real_full_disk_and_read_only_folder(
    filled_db: Path, cli_env: dict[str, str]
) -> None:
    folder = filled_db.parent / "backups"
    with _tmpfs(folder, "64k"):
        before = filled_db.read_bytes()
        assert_clean_failure(
            quizapp(cli_env, "--db", str(filled_db), "backup"),
            f"cannot back up {filled_db}: the disk is full",
        )
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        assert_clean_failure(
            quizapp(cli_env, "--db", str(filled_db), "backup"),
            f"cannot back up {filled_db}: the folder {folder} is read-only",
        )
        assert filled_db.read_bytes() == before
        assert list(folder.iterdir()) == []
