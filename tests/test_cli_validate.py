"""`quizapp validate` run as a user would: exit codes, output lines, the summary, no tracebacks."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from quizapp.deckfiles import load_decks
from quizapp.paths import bundled_decks_dir
from tests.inprocess import run_quizapp

DATA = Path(__file__).resolve().parent / "data" / "deck"
VALID = DATA / "valid.yaml"
SUMMARY = r"(\d+) decks?, \d+ cards?: \d+ errors?, \d+ warnings?"

GOOD = """deck: {deck_id}
title: Good
cards:
  - id: one
    front: f
    back: b
    section: S
  - id: two
    front: f
    back: b
"""


def run(*args: str | Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_")}
    environ.update(
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        QUIZAPP_DB=str(tmp_path / "quizapp.db"),
        **env,
    )
    return run_quizapp(args, env=environ, cwd=tmp_path)


def test_valid_file_exits_0_with_a_summary(tmp_path: Path) -> None:
    done = run("validate", VALID, tmp_path=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "1 deck, 6 cards: 0 errors, 0 warnings\n",
        "",
    )


def test_errors_and_warnings_exit_1_with_positions(tmp_path: Path) -> None:
    deck = tmp_path / "bad.yaml"
    deck.write_text(
        "deck: bad\ntitle: Bad\ncards:\n  - id: a\n    front: f\n    bakc: b\n"
        "  - id: b\n    front: f\n    back: b\n    section: S\n"
    )
    done = run("validate", "bad.yaml", tmp_path=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "bad.yaml:4:5: error: missing required key 'back'",
        "bad.yaml:4:5: warning: card 'a' has no section",
        "bad.yaml:6:5: error: unknown key 'bakc' in a basic card (did you mean 'back'?)",
        "1 deck, 2 cards: 2 errors, 1 warning",
    ]
    assert done.stderr == ""


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD.format(deck_id="good"))
    done = run("validate", "good.yaml", tmp_path=tmp_path)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "good.yaml:8:5: warning: card 'two' has no section",
        "1 deck, 2 cards: 0 errors, 1 warning",
    ]


def test_missing_path_exits_2_on_stderr(tmp_path: Path) -> None:
    done = run("validate", VALID, "no-such.yaml", tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "quizapp: error: no such file or folder: no-such.yaml\n"


def test_folder_argument_validates_every_deck_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.yaml").write_text(GOOD.format(deck_id="same"))
    (folder / "sub" / "b.yml").write_text(GOOD.format(deck_id="same"))
    (folder / "ignored.txt").write_text("not a deck")
    done = run("validate", "decks", tmp_path=tmp_path)
    a, b = Path("decks/a.yaml"), Path("decks/sub/b.yml")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{a}:1:7: error: deck id 'same' is used by 2 files: {a}, {b}",
        f"{a}:8:5: warning: card 'two' has no section",
        f"{b}:1:7: error: deck id 'same' is used by 2 files: {a}, {b}",
        f"{b}:8:5: warning: card 'two' has no section",
        "2 decks, 4 cards: 2 errors, 2 warnings",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "garbage.yaml:1:1: error: not UTF-8: byte 0x89"),
        (b"\x00\x01\x02", "garbage.yaml:1:1: error: not YAML: control character U+0000"),
        (b"{{{{ ]]] :::", "garbage.yaml:1:"),
        (b"- [a\n- b: c: d\n", "garbage.yaml:2:"),
        (b"x: !!python/object/apply:os.system [ls]\n", "garbage.yaml:1:4: error: YAML tag"),
    ],
)
def test_garbage_and_binary_files_never_give_a_traceback(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    (tmp_path / "garbage.yaml").write_bytes(content)
    done = run("validate", "garbage.yaml", tmp_path=tmp_path)
    assert done.returncode == 1
    assert expected in done.stdout
    assert re.fullmatch(r"1 deck, 0 cards: \d+ errors?, 0 warnings", done.stdout.splitlines()[-1])
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr == ""


def test_no_paths_validates_every_deck_folder(tmp_path: Path) -> None:
    extra, env_dir = tmp_path / "extra", tmp_path / "from-env"
    user = tmp_path / "data" / "quizapp" / "decks"
    for folder, deck_id in ((extra, "extra"), (env_dir, "env"), (user, "user")):
        folder.mkdir(parents=True)
        (folder / f"{deck_id}.yaml").write_text(GOOD.format(deck_id=f"zz-test-{deck_id}"))
    done = run("--decks", extra, "validate", tmp_path=tmp_path, QUIZAPP_DECKS=str(env_dir))
    lines = done.stdout.splitlines()
    for folder, deck_id in ((user, "user"), (env_dir, "env"), (extra, "extra")):
        assert f"{folder / (deck_id + '.yaml')}:8:5: warning: card 'two' has no section" in lines
    # The bundled decks are validated too: the three decks come on top of them.
    summary = re.fullmatch(SUMMARY, lines[-1])
    assert summary is not None
    assert int(summary.group(1)) == len(load_decks([bundled_decks_dir()])) + 3


def test_no_paths_works_with_no_decks_anywhere(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    done = run("--decks", missing, "validate", tmp_path=tmp_path)
    assert done.returncode == 0  # the bundled decks alone, all clean
    assert done.stderr == f"quizapp: warning: deck folder {missing} does not exist\n"
    assert re.fullmatch(SUMMARY, done.stdout.splitlines()[-1])


def test_validate_help(tmp_path: Path) -> None:
    done = run("validate", "--help", tmp_path=tmp_path)
    assert done.returncode == 0
    assert "FILE:LINE:COLUMN" in done.stdout


def test_empty_folder_is_zero_decks(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = run("validate", "empty", tmp_path=tmp_path)
    assert (done.returncode, done.stdout) == (0, "0 decks, 0 cards: 0 errors, 0 warnings\n")
