"""`grade_cloze` given only the accepted answers (no card text): each blank's alternatives
count, canonical or not, and nothing else does."""

from __future__ import annotations

import pytest

from quizapp.grading import Verdict, grade_cloze


@pytest.mark.parametrize(
    ("typed", "verdict"),
    [
        ("read-only", Verdict.RIGHT),
        ("ro", Verdict.RIGHT),
        ("RO", Verdict.RIGHT),
        ("rw", Verdict.WRONG),
    ],
)
def test_one_blank_with_alternatives(typed: str, verdict: Verdict) -> None:
    assert grade_cloze(typed, [("read-only", "ro")]).verdict is verdict


def test_two_blanks_each_with_its_alternatives() -> None:
    assert grade_cloze("a, b", [("x", "a"), ("y", "b")]).verdict is Verdict.RIGHT
    assert grade_cloze("x, y", [("x", "a"), ("y", "b")]).verdict is Verdict.RIGHT
