"""Files that are not what they claim: a FIFO, a folder, a device or a huge file given where
quizapp reads a file is one line naming the path and what it is (never a hang, never a read
until memory runs out); `export -o` and `draft -o` never overwrite progress."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.files import (
    BACKUPS_FOLDER,
    NotARegularFile,
    check_database_path,
    make_private_dirs,
    read_capped,
)
from quizapp.storage.backup import BACKUP_FOLDER

from .conftest import STUDY_DECK, assert_clean_failure, quizapp

NOTES = "# Docker\n\n## Run\n\n- Run a container: `docker run nginx`\n"


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _zero(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


KINDS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "fifo": (_fifo, "is a FIFO (named pipe)"),
    "folder": (_folder, "is a folder"),
    "dev-zero-link": (_zero, "is a character device"),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the helper itself --------------------------------------------------------------------------


def test_read_capped_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    for name, (make, words) in KINDS.items():
        path = make(tmp_path / name)
        with pytest.raises(NotARegularFile) as caught:
            read_capped(path, 100, "a notes file")
        assert caught.value.message == f"{path} {words}, not a notes file"
    with pytest.raises(NotARegularFile, match="not a notes file"):
        read_capped(Path("/dev/urandom"), 100, "a notes file")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 101)
    with pytest.raises(
        NotARegularFile, match="is 101 bytes: a notes file may be 100 bytes at most"
    ):
        read_capped(big, 100, "a notes file")
    (tmp_path / "link").symlink_to(big)  # a link to a regular file is fine
    assert read_capped(tmp_path / "link", 200, "a notes file") == b"x" * 101
    with pytest.raises(FileNotFoundError):
        read_capped(tmp_path / "missing", 100, "a notes file")


def test_the_database_check_only_stats(tmp_path: Path) -> None:
    check_database_path(str(tmp_path / "new.db"))  # missing: SQLite will create it
    fifo = _fifo(tmp_path / "p.db")
    for db in (str(fifo), f"sqlite:///{fifo}", str(tmp_path), "/dev/null"):
        with pytest.raises(Exception, match="not a database file"):
            check_database_path(db)
    (tmp_path / "w.db").touch()
    _fifo(tmp_path / "w.db-wal")
    with pytest.raises(Exception, match=r"w\.db-wal is a FIFO"):
        check_database_path(str(tmp_path / "w.db"))
    assert BACKUPS_FOLDER == BACKUP_FOLDER


def test_private_folders_are_0700_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        make_private_dirs(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    for path in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert path.stat().st_mode & 0o777 == 0o700


# --- through the CLI: one line, non-zero, nothing hangs -----------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_validate_names_what_a_path_is(tmp_path: Path, cli_env: dict[str, str], kind: str) -> None:
    make, words = KINDS[kind]
    path = make(tmp_path / "x.yaml")
    result = quizapp(cli_env, "validate", str(path), timeout=30)
    assert result.returncode == 2
    assert result.stderr == f"quizapp: error: {path} {words}, not a deck file\n"
    assert result.stdout == ""


def test_validate_of_dev_zero_named_explicitly(cli_env: dict[str, str]) -> None:
    result = quizapp(cli_env, "validate", "/dev/zero", timeout=30)
    assert (result.returncode, result.stderr) == (
        2,
        "quizapp: error: /dev/zero is a character device, not a deck file\n",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_grade_of_a_deck_that_is_not_a_file(
    tmp_path: Path, cli_env: dict[str, str], kind: str
) -> None:
    make, words = KINDS[kind]
    path = make(tmp_path / "d.yaml")
    result = quizapp(cli_env, "grade", str(path), "card", "docker ps", timeout=30)
    assert result.returncode == 2
    output = result.stdout + result.stderr
    assert str(path) in output and f"{words}, not a deck file" in output, output
    assert "Traceback" not in output


@pytest.mark.parametrize("kind", [*KINDS, "urandom"])
def test_draft_notes_and_merge_target_that_are_not_files(
    tmp_path: Path, cli_env: dict[str, str], kind: str
) -> None:
    if kind == "urandom":
        path, words = tmp_path / "n.md", "is a character device"
        path.symlink_to("/dev/urandom")
    else:
        make, words = KINDS[kind]
        path = make(tmp_path / "n.md")
    result = quizapp(cli_env, "draft", str(path), timeout=30)
    assert_clean_failure(result, f"{path} {words}, not a notes file")
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    result = quizapp(cli_env, "draft", str(notes), "--merge", str(path), timeout=30)
    assert_clean_failure(result, f"{path} {words}, not a deck file")


@pytest.mark.parametrize("kind", KINDS)
def test_a_config_file_that_is_not_a_file(
    tmp_path: Path, cli_env: dict[str, str], kind: str
) -> None:
    make, words = KINDS[kind]
    folder = Path(cli_env["XDG_CONFIG_HOME"]) / "quizapp"
    folder.mkdir(parents=True)
    config = make(folder / "config.toml")
    result = quizapp(cli_env, "--db", str(tmp_path / "p.db"), "decks", timeout=30)
    assert_clean_failure(result, f"{config} {words}, not a settings file")
    assert not (tmp_path / "p.db").exists()


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
@pytest.mark.parametrize("command", [["decks"], ["stats"], ["export", "anki", "-o", "o.apkg"]])
def test_a_db_that_is_not_a_file(
    tmp_path: Path, cli_env: dict[str, str], kind: str, command: list[str]
) -> None:
    if kind == "device":
        db, words = Path("/dev/null"), "is a character device"
    else:
        make, words = KINDS[kind]
        db = make(tmp_path / "p.db")
    args = [*command[:-1], str(tmp_path / command[-1])] if command[0] == "export" else command
    result = quizapp(cli_env, "--db", str(db), *args, timeout=30)
    assert_clean_failure(result, f"the progress database {db} {words}, not a database file")
    assert not (tmp_path / "o.apkg").exists()


# --- export -o and draft -o never overwrite progress --------------------------------------------


@pytest.fixture
def studied(tmp_path: Path, cli_env: dict[str, str]) -> tuple[Path, Path, dict[str, str]]:
    """A deck folder and a progress database with a backup (made by `quizapp backup`)."""
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(STUDY_DECK, decks)
    db = tmp_path / "data" / "p.db"
    env = {**cli_env, "QUIZAPP_DB": str(db), "QUIZAPP_DECKS": str(decks)}
    assert quizapp(env, "decks").returncode == 0  # creates the database (and a daily backup)
    assert quizapp(env, "backup").returncode == 0
    return tmp_path, db, env


def _protected(db: Path) -> list[Path]:
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").write_bytes(b"not really")
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm"), *sorted((db.parent / "backups").iterdir())]


def test_export_never_overwrites_progress(studied: tuple[Path, Path, dict[str, str]]) -> None:
    tmp_path, db, env = studied
    for target in _protected(db):
        before = _digest(target)
        result = quizapp(env, "export", "anki", "-o", str(target))
        assert_clean_failure(result, str(target), "not overwritten")
        assert _digest(target) == before
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = quizapp(env, "export", "anki", "-o", str(tmp_path / "notes.txt"))
    assert_clean_failure(result, "exists and is not an Anki package (.apkg): not overwritten")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    fake = tmp_path / "fake.apkg"
    shutil.make_archive(str(tmp_path / "fake"), "zip", tmp_path / "decks")
    (tmp_path / "fake.zip").rename(fake)  # a zip, but no Anki collection inside
    assert_clean_failure(quizapp(env, "export", "anki", "-o", str(fake)), "not an Anki package")
    out = tmp_path / "out.apkg"
    assert quizapp(env, "export", "anki", "-o", str(out)).returncode == 0
    first = _digest(out)
    out.write_bytes(out.read_bytes())  # an existing package is replaced
    assert quizapp(env, "export", "anki", "-o", str(out), "--with-progress").returncode == 0
    assert _digest(out) != first


def test_draft_o_refuses_an_existing_file_unless_forced(
    studied: tuple[Path, Path, dict[str, str]],
) -> None:
    tmp_path, db, env = studied
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text("mine", encoding="utf-8")
    result = quizapp(env, "draft", str(notes), "-o", str(deck))
    line = assert_clean_failure(result, f"{deck} exists: not overwritten; add --force")
    assert f"--merge {deck}" in line
    assert deck.read_text(encoding="utf-8") == "mine"
    assert quizapp(env, "draft", str(notes), "-o", str(deck), "--force").returncode == 0
    assert "deck: notes" in deck.read_text(encoding="utf-8")
    for target in _protected(db):
        before = _digest(target)
        result = quizapp(env, "draft", str(notes), "-o", str(target), "--force")
        assert_clean_failure(result, str(target), "not overwritten")
        assert _digest(target) == before


def test_nothing_waits_on_a_fifo_output(tmp_path: Path, cli_env: dict[str, str]) -> None:
    fifo = _fifo(tmp_path / "out.apkg")
    try:
        result = quizapp(cli_env, "export", "anki", "-o", str(fifo), timeout=30)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test is for
        pytest.fail("export waited on a FIFO")
    assert_clean_failure(result, "is a FIFO (named pipe), not an Anki package")


def test_a_fifo_or_device_in_a_deck_folder_is_reported_not_read(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    shutil.copy(STUDY_DECK, folder)
    _fifo(folder / "pipe.yaml")
    _zero(folder / "zero.yml")
    result = quizapp(cli_env, "validate", str(folder), timeout=30)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        f"{folder / 'pipe.yaml'}:1:1: error: this is a FIFO (named pipe), not a deck file",
        f"{folder / 'zero.yml'}:1:1: error: this is a character device, not a deck file",
    ]
