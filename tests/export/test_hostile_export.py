"""Exports of hostile deck text that the real Anki takes; a package with progress that only its
owner can read; temporary files that go on SIGTERM and Ctrl-C, and after a SIGKILL."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from anki.collection import Collection

from quizapp.deck.model import BasicCard, ChoiceCard, ClozeCard, CommandCard, Deck
from quizapp.export.writer import remove_stale_temporaries

from .samples import export, import_package

EVERY_CONTROL = "".join(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)))


def hostile_deck() -> Deck:
    evil = EVERY_CONTROL
    return Deck(
        id="hostile",
        title=f"Hostile{evil}::Sub{evil}",
        tags=(f"tag{evil}",),
        cards=(
            BasicCard(
                id="basic",
                front=f"front{evil}",
                back=f"back{evil}",
                explain=f"explain{evil}",
                section=f"section{evil}",
                tags=(f"t{evil}",),
            ),
            ClozeCard(id="cloze", text=f"x{evil} {{{{c1::a{evil}::h{evil}}}}} {{{{c2::b}}}}"),
            CommandCard(id="command", prompt=f"p{evil}", answer=f"docker ps{evil}"),
            ChoiceCard(
                id="choice", question=f"q{evil}", choices=(f"a{evil}", "b"), answer=f"a{evil}"
            ),
        ),
    )


def test_anki_imports_a_package_of_every_control_character(
    tmp_path: Path, collection: Collection
) -> None:
    import_package(collection, export(tmp_path, [hostile_deck()]))
    assert collection.note_count() == 4
    assert collection.card_count() == 5
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert names == {"Default", "Hostile", "Hostile::Sub"}
    for note_id in collection.find_notes(""):
        note = collection.get_note(note_id)
        for field in note.fields:
            controls = [c for c in field if c != "\t" and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F)]
            assert controls == [], field
        for tag in note.tags:
            assert tag.isprintable(), tag
    front = next(
        collection.get_note(n)["Front"]
        for n in collection.find_notes("")
        if "Front" in collection.get_note(n)
    )
    assert front == "front\t<br><br>"  # newline and CR are line breaks, tab stays


# --- files on disk ------------------------------------------------------------------------------


def test_a_package_with_progress_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "d.yaml").write_text(
        "deck: d\ntitle: D\ncards:\n  - {id: a, front: f, back: b, section: s}\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_")}
    env |= {f"XDG_{k}_HOME": str(tmp_path / "xdg" / k) for k in ("DATA", "CONFIG", "CACHE")}

    def run(*args: str) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "quizapp", "--decks", str(decks), *args],
            env=env,
            capture_output=True,
            text=True,
            preexec_fn=lambda: os.umask(0),
            timeout=60,
        )
        assert result.returncode == 0, result.stderr

    run("export", "anki", "-o", str(tmp_path / "progress.apkg"), "--with-progress")
    run("export", "anki", "-o", str(tmp_path / "plain.apkg"))
    assert stat.S_IMODE((tmp_path / "progress.apkg").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "plain.apkg").stat().st_mode) == 0o666  # a deck: shareable
    run("decks")
    folders = [tmp_path / "xdg" / "CACHE", tmp_path / "xdg" / "DATA"]
    for top in folders:
        for folder in [top, *(p for p in top.rglob("*") if p.is_dir())]:
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        for file in (p for p in top.rglob("*") if p.is_file()):
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


INTERRUPTED = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from quizapp.export import writer
    from quizapp.files import terminate_as_exit
    from tests.export.samples import NOW, networking_deck
    from quizapp.export.builder import build_package

    real = writer._fill_collection
    def interrupted(db, package, path):
        real(db, package, path)
        os.kill(os.getpid(), signal.{signal})
    writer._fill_collection = interrupted
    with terminate_as_exit():
        writer.write_package(build_package([networking_deck()], now=NOW), Path({out!r}))
    """
)


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGINT", -2), ("SIGKILL", -9)])
def test_temporary_files_go_on_sigterm_and_ctrl_c_and_after_a_kill(
    tmp_path: Path, name: str, code: int
) -> None:
    out = tmp_path / "out.apkg"
    root = str(Path(__file__).resolve().parents[2])
    script = INTERRUPTED.format(root=root, signal=name, out=str(out))
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=root
    )
    assert result.returncode == code, result.stderr
    left = sorted(p.name for p in tmp_path.iterdir())
    if name == "SIGKILL":
        assert len(left) == 1 and left[0].startswith(".out.apkg.") and left[0].endswith(".anki2")
        assert [p.name for p in remove_stale_temporaries(tmp_path)] == left
        assert list(tmp_path.iterdir()) == []
    else:
        assert left == [], left
        if name == "SIGINT":
            assert "KeyboardInterrupt" in result.stderr


def test_a_running_exports_temporaries_are_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / f".out.apkg.{os.getpid()}.abcdefgh.anki2"
    theirs = tmp_path / ".out.apkg.1.abcdefgh.part"  # PID 1 is always alive
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = tmp_path / f".out.apkg.{dead.pid}.abcdefgh.part"
    other = tmp_path / ".notes.swp"
    for path in (mine, theirs, gone, other):
        path.write_bytes(b"x")
    assert remove_stale_temporaries(tmp_path) == [gone]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (mine, theirs, other)
    )


def test_sigterm_handler_is_restored() -> None:
    from quizapp.files import terminate_as_exit

    before = signal.getsignal(signal.SIGTERM)
    with terminate_as_exit():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before
