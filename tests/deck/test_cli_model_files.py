"""Authors' CLI models (`*.cli.toml` next to the decks): found like decks, checked by
`quizapp validate` with FILE:LINE:COLUMN problems, used by `quizapp grade`; and the example
decks under examples/ validate cleanly with alternatives that grade right."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.deck.model import CommandCard
from quizapp.deckfiles import load_cli_models, load_deck, load_decks
from quizapp.grading import Verdict, grade_command

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

MODEL = """\
[program]
name = "mytool"
version = "1.0"
parser = "gnu"

[commands.deploy]
does = "deploys a release"
args = "TARGET"
flags = ["f|force", "r|replicas:int=1"]
"""
DECK = """\
deck: mytool
title: mytool
cards:
  - id: deploy
    type: command
    section: Deploying
    prompt: Deploy prod, forcing it, with 3 replicas.
    answer: mytool deploy -f --replicas 3 prod
    accept:
      - mytool deploy --force -r3 prod
  - id: frob
    type: command
    section: Deploying
    prompt: Deploy prod quietly.
    answer: mytool deploy --quiet prod
"""


def invoke(tmp_path: Path, *args: str) -> tuple[int, str]:
    env = {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "QUIZAPP_DB": str(tmp_path / "quizapp.db"),
    }
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.output


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "mytool.cli.toml").write_text(MODEL)
    (decks / "mytool.yaml").write_text(DECK)
    return decks


def test_validate_reads_the_model_and_warns_about_options_it_lacks(
    tmp_path: Path, folder: Path
) -> None:
    code, output = invoke(tmp_path, "validate", str(folder))
    assert code == 0, output
    deck = folder / "mytool.yaml"
    assert f"{deck}:15:13: warning: mytool deploy has no option --quiet in its CLI model" in output
    assert "1 deck, 2 cards, 1 CLI model: 0 errors, 1 warning" in output


def test_validate_names_a_broken_model_with_its_line_and_column(
    tmp_path: Path, folder: Path
) -> None:
    broken = folder / "mytool.cli.toml"
    broken.write_text(MODEL.replace('"r|replicas:int=1"', '"r|replicas:integer=1"'))
    code, output = invoke(tmp_path, "validate", str(folder))
    assert code == 1
    assert f"{broken}:9:21: error: [commands.deploy]: unknown value type 'integer'" in output
    code, output = invoke(tmp_path, "validate", str(broken))
    assert code == 1 and "0 decks, 0 cards, 1 CLI model: 1 error, 0 warnings" in output


def test_validate_of_one_deck_file_uses_the_models_next_to_it(tmp_path: Path, folder: Path) -> None:
    code, output = invoke(tmp_path, "validate", str(folder / "mytool.yaml"))
    assert code == 0
    assert "has no option --quiet" in output
    assert "unknown" not in output


def test_grade_uses_the_model_next_to_the_deck(tmp_path: Path, folder: Path) -> None:
    deck = str(folder / "mytool.yaml")
    code, output = invoke(tmp_path, "grade", deck, "deploy", "mytool deploy prod -fr 3")
    assert code == 0, output
    assert output.startswith("right")
    assert "-fr is -f -r" in output
    code, output = invoke(tmp_path, "grade", deck, "deploy", "mytool deploy prod -r 3")
    assert code == 1 and "missing -f (--force)" in output


def test_grade_names_a_broken_model_next_to_the_deck(tmp_path: Path, folder: Path) -> None:
    """A broken model was dropped silently: the answer was read by POSIX conventions and the
    explanation said the program had no model."""
    broken = folder / "mytool.cli.toml"
    broken.write_text(MODEL.replace('"r|replicas:int=1"', '"r|replicas:integer=1"'))
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "QUIZAPP_DB": str(tmp_path / "q.db")}
    result = CliRunner().invoke(
        cli, ["grade", str(folder / "mytool.yaml"), "deploy", "mytool deploy -f -r 3 prod"], env=env
    )
    assert result.stderr == (
        f"{broken}:9:21: error: [commands.deploy]: unknown value type 'integer' (one of bool, "
        "bytes, commit, count, decimal, duration, enum, filter, float, int, keyvalue, list, map, "
        "path, size, string, stringArray, stringSlice, strings, uint)"
        " (this CLI model is left out)\n"
    )


def test_decks_are_loaded_with_the_models(folder: Path) -> None:
    models, reports = load_cli_models([folder])
    assert models is not None and models.get("mytool") is not None
    assert [r.program for r in reports] == ["mytool"]
    results = load_decks([folder])
    assert [r.deck.id for r in results if r.deck] == ["mytool"]


# ---------------------------------------------------------------- examples/


def test_there_is_an_example_deck_per_bundled_model() -> None:
    assert [p.stem for p in EXAMPLES] == ["git", "kubectl", "systemd"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_deck_validates_cleanly(tmp_path: Path, path: Path) -> None:
    code, output = invoke(tmp_path, "validate", str(path))
    assert code == 0
    assert output.strip().endswith(": 0 errors, 0 warnings"), output


def _alternatives() -> list[tuple[str, str, str]]:
    found = []
    for path in EXAMPLES:
        deck = load_deck(path).deck
        assert deck is not None
        for card in deck.cards:
            assert isinstance(card, CommandCard)
            found += [(card.id, card.answers[0], typed) for typed in card.answers[1:]]
    return found


@pytest.mark.parametrize(("card", "answer", "typed"), _alternatives())
def test_each_example_alternative_grades_right(card: str, answer: str, typed: str) -> None:
    result = grade_command(typed, [answer])
    assert result.verdict is Verdict.RIGHT, (card, result.explanations)


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("git commit -m wip", "git commit -a -m wip"),
        ("git push origin feature", "git push -u origin feature"),
        ("kubectl get pods", "kubectl get pods -n kube-system"),
        ("kubectl exec -i web -- sh", "kubectl exec -it web -- sh"),
        ("systemctl enable docker", "systemctl enable --now docker.service"),
        ("journalctl -u docker.socket", "journalctl -u docker.service"),
    ],
)
def test_near_misses_on_the_example_cards_are_not_right(typed: str, answer: str) -> None:
    assert grade_command(typed, [answer]).verdict is not Verdict.RIGHT


def test_the_study_screen_grades_with_the_models_next_to_the_decks(folder: Path) -> None:
    from quizapp.tui.widgets.cards import safe_grade

    deck = load_deck(folder / "mytool.yaml").deck
    assert deck is not None
    card = deck.cards[0]
    with_model = safe_grade(card, "mytool deploy prod -fr3", None, (folder,))
    assert with_model.verdict is Verdict.RIGHT
    assert with_model.explanations == ("-fr3 is -f -r 3",)
    assert safe_grade(card, "mytool deploy prod -fr3", None).verdict is not Verdict.RIGHT
