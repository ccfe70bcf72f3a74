"""`quizapp grade` as a user runs it: words or one quoted answer, cloze items, exit codes."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from quizapp.commands.grade import render_diff, run_grade
from quizapp.grading.result import DiffToken
from tests.inprocess import run_quizapp

DECK = Path(__file__).resolve().parents[1] / "data" / "grading" / "docker-basics.yaml"


def _grade(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QUIZAPP_DB": str(tmp_path / "quizapp.db"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    return run_quizapp(["grade", *args], env=env)


def test_unquoted_words_are_one_answer(tmp_path: Path) -> None:
    done = _grade(tmp_path, str(DECK), "list-all", "docker", "ps", "-a")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "right (proposed grade 4)\ntyped:   docker ps -a\nanswer:  docker container ls --all\n"
        "  - docker ps is docker container ls\n"
    )
    assert done.stderr == ""


def test_quoted_answer_close(tmp_path: Path) -> None:
    done = _grade(tmp_path, str(DECK), "list-all", "docker ps")
    assert done.returncode == 1
    assert done.stdout == (
        "close (proposed grade 2)\n"
        "typed:   docker ps\n"
        "answer:  docker container ls --all\n"
        "  - missing -a (--all)\n"
        "diff:    docker ps [+--all]\n"
    )


def test_wrong_answer_exits_1(tmp_path: Path) -> None:
    done = _grade(tmp_path, str(DECK), "list-all", "docker images")
    assert done.returncode == 1
    assert done.stdout.startswith("wrong (proposed grade 1)\n")
    assert "docker images lists images; this asks for a container" in done.stdout


def test_prefix_card_takes_the_rest(tmp_path: Path) -> None:
    done = _grade(tmp_path, str(DECK), "network-inspect", "inspect", "backend")
    assert done.returncode == 0, done.stdout


def test_cloze_item(tmp_path: Path) -> None:
    done = _grade(tmp_path, str(DECK), "overlay-encrypt#c2", "-o", "encrypted")
    assert done.returncode == 0, done.stdout + done.stderr
    done = _grade(tmp_path, str(DECK), "overlay-encrypt#c1", "docker network rm")
    assert done.returncode == 1
    assert "the answer is docker network create" in done.stdout


def test_choice_card(tmp_path: Path) -> None:
    assert _grade(tmp_path, str(DECK), "swarm-consensus", "Raft").returncode == 0
    assert _grade(tmp_path, str(DECK), "swarm-consensus", "Paxos").returncode == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing.yaml", "list-all", "docker ps"), "missing.yaml: no such file"),
        ((str(DECK), "list-al", "docker ps"), "no card list-al (did you mean list-all?)"),
        ((str(DECK), "bridge-default", "bridge"), "bridge-default is a basic card"),
        ((str(DECK), "overlay-encrypt", "x"), "overlay-encrypt has several deletions"),
        ((str(DECK), "overlay-encrypt#c9", "x"), "overlay-encrypt has no deletion c9"),
        ((str(DECK), "list-all#c1", "x"), "list-all is a command card"),
        ((str(DECK), "list-all#x", "x"), "list-all#x: not a card id"),
    ],
)
def test_unusable_exits_2_without_traceback(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    done = _grade(tmp_path, *args)
    assert done.returncode == 2
    assert done.stderr.startswith("quizapp: error: ")
    assert message in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_deck_with_errors_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck: x\ntitle: x\ncards: []\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_grade(bad, "c", "docker ps", out, err) == 2
    assert err.getvalue().splitlines() == [  # the deck's problems as validate says them, then why
        f"{bad}:3:1: error: 'cards' is empty: a deck needs at least one card",
        f"quizapp: error: {bad}: the deck has errors, so no card can be graded",
    ]
    assert out.getvalue() == ""


def test_render_diff() -> None:
    diff = (
        DiffToken("same", "docker run", "docker container run"),
        DiffToken("missing", None, "-d"),
        DiffToken("extra", "--rm", None),
        DiffToken("changed", "-p 8080:80", "-p 80:8080"),
    )
    assert render_diff(diff) == "docker run [+-d] [---rm] [-p 8080:80 -> -p 80:8080]"


@pytest.mark.parametrize(
    ("args", "typed"),
    [
        (("list-all", "--", "docker", "ps", "-a"), "docker ps -a"),
        (("overlay-encrypt#c2", "--", "-o", "encrypted"), "-o encrypted"),
        (("list-all", "--", "docker ps -a"), "docker ps -a"),
    ],
)
def test_double_dash_before_the_answer_ends_options(
    tmp_path: Path, args: tuple[str, ...], typed: str
) -> None:
    done = _grade(tmp_path, str(DECK), *args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[:2] == ["right (proposed grade 4)", f"typed:   {typed}"]


def test_cloze_right_after_normalisation_names_the_canonical_form(tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(
        "deck: d\ntitle: D\ncards:\n  - id: image\n    type: cloze\n    section: S\n"
        "    text: An image is a {{c1::read-only template}}; it has {{c2::layers}}.\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert run_grade(deck, "image#c1", "a read only template.", out) == 0
    assert out.getvalue() == (
        "right (proposed grade 4)\n"
        "typed:   a read only template.\n"
        "answer:  read-only template\n"
        "  - right: a read only template. = read-only template\n"
    )
    out = io.StringIO()
    assert run_grade(deck, "image#c1", "read-only tempalte", out) == 1
    assert "  - almost: read-only template (tempalte is a misspelling of template)\n" in (
        out.getvalue()
    )
