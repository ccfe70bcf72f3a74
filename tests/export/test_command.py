"""run_export: what it prints, and the clear errors that leave no file behind."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from quizapp.context import AppContext
from quizapp.errors import QuizappError
from quizapp.export.command import run_export

from .samples import DATA

GOOD = DATA / "good"
BAD = DATA / "bad"


def _ctx(tmp_path: Path, *dirs: Path) -> AppContext:
    return AppContext(db=str(tmp_path / "q.db"), deck_dirs=dirs)


def _run(ctx: AppContext, output: Path, deck_ids: list[str]) -> str:
    out = io.StringIO()
    assert run_export(ctx, output, deck_ids, False, out) == 0
    return out.getvalue()


def test_prints_what_it_wrote(tmp_path: Path) -> None:
    output = tmp_path / "decks.apkg"
    printed = _run(_ctx(tmp_path, GOOD), output, [])
    assert printed == (
        f"Wrote {output}: 2 decks, 5 notes, 6 cards.\n"
        "  Export Test::Escaping: 1 note, 1 card\n"
        "  Export Test::Networking: 4 notes, 5 cards\n"
    )
    assert output.is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["decks.apkg"]  # and no database


def test_deck_option_picks_decks(tmp_path: Path) -> None:
    output = tmp_path / "one.apkg"
    printed = _run(_ctx(tmp_path, GOOD), output, ["export-networking"])
    assert printed.splitlines()[0] == f"Wrote {output}: 1 deck, 4 notes, 5 cards."


def test_unknown_deck_id(tmp_path: Path) -> None:
    output = tmp_path / "x.apkg"
    with pytest.raises(QuizappError) as raised:
        _run(_ctx(tmp_path, GOOD), output, ["export-networkin"])
    assert raised.value.exit_code == 2
    assert raised.value.message == (
        "unknown deck id: export-networkin (did you mean export-networking?); "
        "known decks: export-escaping, export-networking"
    )
    assert not output.exists()


@pytest.mark.parametrize("deck_ids", [[], ["export-broken"]])
def test_a_bad_deck_stops_the_export(tmp_path: Path, deck_ids: list[str]) -> None:
    output = tmp_path / "x.apkg"
    with pytest.raises(QuizappError) as raised:
        _run(_ctx(tmp_path, GOOD, BAD), output, deck_ids)
    assert raised.value.exit_code == 1
    lines = raised.value.message.splitlines()
    assert lines[0] == "1 deck file with errors; nothing was written:"
    assert lines[1] == (
        f"  {BAD / 'export-broken.yaml'}:8:13: error: the answer 'Zab' is not one of the choices"
    )
    assert not output.exists()


def test_a_bad_deck_not_asked_for_is_skipped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "x.apkg"
    printed = _run(_ctx(tmp_path, GOOD, BAD), output, ["export-escaping"])
    assert printed.splitlines()[0] == f"Wrote {output}: 1 deck, 1 note, 1 card."
    assert "skipped deck files with errors" in capsys.readouterr().err


def test_output_in_a_missing_folder(tmp_path: Path) -> None:
    output = tmp_path / "missing" / "x.apkg"
    with pytest.raises(QuizappError) as raised:
        _run(_ctx(tmp_path, GOOD), output, [])
    assert raised.value.message == (f"cannot write {output}: folder {output.parent} does not exist")
    assert raised.value.exit_code == 2


def test_output_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    output = tmp_path / "notes.txt" / "x.apkg"
    with pytest.raises(QuizappError) as raised:
        _run(_ctx(tmp_path, GOOD), output, [])
    assert raised.value.message == f"cannot write {output}: {output.parent} is not a folder"


def test_output_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(QuizappError) as raised:
        _run(_ctx(tmp_path, GOOD), tmp_path, [])
    assert raised.value.message.startswith(f"cannot write {tmp_path}: it is a folder")
    assert raised.value.exit_code == 2


def test_a_failed_write_is_a_clear_error_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "x.apkg"
    output.write_bytes(b"the previous export")

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("quizapp.export.writer.os.replace", full_disk)
    with pytest.raises(QuizappError) as raised:
        _run(_ctx(tmp_path, GOOD), output, [])
    assert raised.value.message == (
        f"cannot write {output}: No space left on device; nothing was written"
    )
    assert output.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.apkg"]  # no temporary file left


def test_an_interrupt_while_writing_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("quizapp.export.writer.zipfile.ZipFile.writestr", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _run(_ctx(tmp_path, GOOD), tmp_path / "x.apkg", [])
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_building_the_collection_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("quizapp.export.writer._insert_notes", full_disk)
    output = tmp_path / "out" / "x.apkg"
    output.parent.mkdir()
    with pytest.raises(QuizappError) as raised:
        _run(_ctx(tmp_path, GOOD), output, [])
    assert raised.value.message == (
        f"cannot write {output}: cannot build the collection (database or disk is full);"
        " nothing was written"
    )
    assert list(output.parent.iterdir()) == []  # no temporary file left


def test_with_progress_the_command_closes_its_store_after_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is the command's: closed once, after the package (and its revlog) is written."""
    from quizapp.export import command
    from quizapp.storage.engine import Store

    events: list[str] = []
    real_close, real_write = Store.close, command.write_package

    def close(self: Store) -> None:
        events.append("close")
        real_close(self)

    def write(*args: object, **kwargs: object) -> object:
        events.append("write")
        return real_write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "close", close)
    monkeypatch.setattr(command, "write_package", write)
    out = io.StringIO()
    assert run_export(_ctx(tmp_path, GOOD), tmp_path / "p.apkg", [], True, out) == 0
    assert events == ["write", "close"]
    assert out.getvalue().endswith("With progress: 0 review cards (6 still new), 0 revlog rows.\n")
