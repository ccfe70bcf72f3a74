"""The grader agrees with each bundled non-Docker model's corpus on at least 99% of the pairs,
and git itself agrees with the git corpus's labels.

The git pairs are labelled by running both lines in a scratch repository (tests/oracle/
git_oracle.py); a sample is run again here (every pair under `-m slow`). kubectl, systemctl
and journalctl are not installed, so their pairs are labelled from the docs (docs_pairs.py).
Where git is missing the oracle tests skip (fail under QUIZAPP_REQUIRE_ORACLES=1).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.oracle.cli_corpus import MODELS, Pair, agreement, load
from tests.oracles import need_program

TARGET = 0.99
GIT_PAIRS = load("git")
SAMPLE = GIT_PAIRS[::10]
"""The git pairs re-run by git in the default suite (all of them under -m slow)."""


@pytest.mark.parametrize("model", MODELS)
def test_each_corpus_has_100_pairs_of_both_kinds(model: str) -> None:
    pairs = load(model)
    assert len(pairs) >= 100
    assert sum(p.same for p in pairs) >= 30 and sum(not p.same for p in pairs) >= 30
    assert all(p.answer.split()[0] in (model, "sudo") for p in pairs), model
    by = {p.by for p in pairs}
    assert by == {"git"} if model == "git" else all(b.startswith("docs: https://") for b in by)


@pytest.mark.parametrize("model", MODELS)
def test_the_grader_agrees_with_99_percent_of_each_corpus(model: str) -> None:
    pairs = load(model)
    agreeing, wrong = agreement(pairs)
    shown = "\n".join(f"{p.typed!r} vs {p.answer!r}: same={p.same}" for p in wrong)
    assert agreeing / len(pairs) >= TARGET, shown


@pytest.fixture(scope="module")
def git_oracle() -> Iterator[object]:
    git = need_program("git")
    from tests.oracle.git_oracle import git_oracle as make

    with make(git) as oracle:
        yield oracle


def test_the_git_oracle_tells_effects_apart(git_oracle: object) -> None:
    same = git_oracle.same  # type: ignore[attr-defined]
    assert same("git commit -a -m wip", "git commit -am wip")
    assert not same("git commit -a -m wip", "git commit -m wip")
    assert not same("git clean -f -d", "git clean -f")
    assert not same("git commit -m wip --no-verify", "git commit -m wip")


def _check(oracle: object, pairs: list[Pair]) -> None:
    wrong = [p for p in pairs if oracle.same(p.answer, p.typed) != p.same]  # type: ignore[attr-defined]
    assert not wrong, wrong


@pytest.mark.parametrize("index", range(len(SAMPLE)))
def test_git_agrees_with_a_sample_of_the_labels(git_oracle: object, index: int) -> None:
    _check(git_oracle, [SAMPLE[index]])


@pytest.mark.slow
def test_git_agrees_with_every_label(git_oracle: object) -> None:
    _check(git_oracle, GIT_PAIRS)


def test_git_is_where_the_oracle_needs_it() -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    assert shutil.which("bash") is not None
