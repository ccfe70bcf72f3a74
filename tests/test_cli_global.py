"""Global options: --version, --help everywhere, a missing deck folder is named, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp import __version__
from tests.inprocess import run_quizapp

COMMANDS = [
    [],
    ["validate"],
    ["grade"],
    ["decks"],
    ["stats"],
    ["study"],
    ["export"],
    ["export", "anki"],
    ["draft"],
    ["backup"],
    ["restore"],
]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_")}
    env |= {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    return run_quizapp(args, env=env, cwd=tmp_path)


def test_version(tmp_path: Path) -> None:
    done = run(tmp_path, "--version")
    assert done.returncode == 0
    assert done.stdout == f"quizapp, version {__version__}\n"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_every_command_has_help(tmp_path: Path, command: list[str]) -> None:
    done = run(tmp_path, *command, "--help")
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: quizapp")
    assert done.stderr == ""


def test_sync_and_validate_help_say_what_they_take(tmp_path: Path) -> None:
    """The URL forms `quizapp sync` accepts, and validate's CLI models, are in their --help."""
    sync = " ".join(run(tmp_path, "sync", "--help").stdout.split())
    assert "URL is postgresql://USER@HOST/DB" in sync
    assert "a SQLite file: a path or sqlite:////absolute/path.db" in sync
    assert "`--init` once on a new remote" in sync
    validate = " ".join(run(tmp_path, "validate", "--help").stdout.split())
    assert "Check deck files, CLI models (*.cli.toml) or folders" in validate


def test_a_missing_deck_folder_is_named_and_the_rest_still_loads(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    done = run(tmp_path, "--decks", str(missing), "validate")
    assert done.returncode == 0
    assert done.stderr == f"quizapp: warning: deck folder {missing} does not exist\n"
    assert done.stdout.endswith(": 0 errors, 0 warnings\n")


def test_an_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    done = run(tmp_path, "frobnicate")
    assert done.returncode == 2
    assert "No such command 'frobnicate'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_url_without_slashes_is_refused_not_taken_as_a_folder(tmp_path: Path) -> None:
    done = run(tmp_path, "--db", "sqlite:/x.db", "decks")
    assert done.returncode == 1
    assert done.stderr == (
        "quizapp: error: --db 'sqlite:/x.db' looks like a URL but has no '://' "
        "(write sqlite:////absolute/path.db, or give a plain file path)\n"
    )
    assert not (tmp_path / "sqlite:").exists()


def test_grade_reads_dash_h_in_the_answer_as_part_of_the_command(tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(
        "deck: d\ntitle: D\ncards:\n  - id: host\n    type: command\n    section: S\n"
        "    prompt: Run alpine with the hostname web.\n"
        "    answer: docker run -h web alpine\n",
        encoding="utf-8",
    )
    done = run(tmp_path, "grade", str(deck), "host", "docker", "run", "-h", "web", "alpine")
    assert done.returncode == 0
    assert done.stdout.startswith("right (proposed grade 4)\n")


def _one_deck(folder: Path, deck_id: str) -> None:
    folder.mkdir()
    (folder / f"{deck_id}.yaml").write_text(
        f"deck: {deck_id}\ntitle: T\ncards:\n  - id: a\n    front: f\n    back: b\n"
        "    section: S\n",
        encoding="utf-8",
    )


def test_decks_and_db_also_work_after_the_command(tmp_path: Path) -> None:
    _one_deck(tmp_path / "one", "one")
    _one_deck(tmp_path / "two", "two")
    before = run(tmp_path, "--decks", "one", "--decks", "two", "validate")
    after = run(tmp_path, "validate", "--decks", "one", "--decks", "two")
    mixed = run(tmp_path, "--decks", "one", "validate", "--decks", "two")
    assert before.stdout == after.stdout == mixed.stdout
    assert after.returncode == 0
    bundled = int(run(tmp_path, "validate").stdout.split()[0])
    assert after.stdout.startswith(f"{bundled + 2} decks, ")
    done = run(tmp_path, "decks", "--db", "after.db", "--decks", "one")
    assert done.returncode == 0
    assert (tmp_path / "after.db").is_file()
    assert "\none " in done.stdout


def test_a_missing_deck_folder_after_the_command_is_named_once(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    done = run(tmp_path, "--decks", str(missing), "validate", "--decks", str(missing))
    assert done.returncode == 0
    assert done.stderr == f"quizapp: warning: deck folder {missing} does not exist\n"


@pytest.mark.parametrize("command", [[], ["study"]], ids=["bare", "study"])
def test_the_study_app_without_a_terminal_says_so_instead_of_hanging(
    tmp_path: Path, command: list[str]
) -> None:
    done = run(tmp_path, *command)  # stdin and stdout are pipes here
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "quizapp: error: the study app needs a terminal (stdin and stdout are not one); "
        "the other commands work anywhere: quizapp --help\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-command"], "quizapp: error: No such command 'no-such-command'."),
        (["stats", "--bogus"], "quizapp: error: No such option '--bogus'."),
        (["--new-limit", "x", "decks"], "quizapp: error: Invalid value for '--new-limit'"),
        (["grade", "decks/docker-basics.yaml", "no-such-card", "x"], "quizapp: error: "),
    ],
)
def test_every_error_starts_with_quizapp_error(args: list[str], message: str) -> None:
    done = run_quizapp(args, cwd=Path(__file__).parents[1])
    assert done.returncode == 2
    assert done.stderr.startswith(message), done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert "Error:" not in done.stderr and "Usage:" not in done.stderr


def test_the_real_entry_point_exits_with_the_codes_main_gives(tmp_path: Path) -> None:
    """The one real process here: `python -m quizapp` passes main's exit code and output on."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_")}
    for args, code in ((["--version"], 0), (["frobnicate"], 2)):
        done = subprocess.run(
            [sys.executable, "-m", "quizapp", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        in_process = run_quizapp(args, env=env, cwd=tmp_path)
        assert (done.returncode, done.stdout, done.stderr) == (
            code,
            in_process.stdout,
            in_process.stderr,
        )
