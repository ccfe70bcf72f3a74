"""What grading one answer gives back: a verdict, a proposed grade, words and a token diff.

Every grader (command, cloze, choice) returns the same `GradeResult`, so the study screen
and `quizapp grade` show any card kind the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Verdict(StrEnum):
    RIGHT = "right"
    CLOSE = "close"
    WRONG = "wrong"
    EMPTY = "empty"


VERDICT_RANK: dict[Verdict, int] = {
    Verdict.RIGHT: 0,
    Verdict.CLOSE: 1,
    Verdict.WRONG: 2,
    Verdict.EMPTY: 3,
}
"""Better verdicts first: how the closest of several accepted answers is chosen."""

PROPOSED_GRADE: dict[Verdict, int] = {
    Verdict.RIGHT: 4,
    Verdict.CLOSE: 2,
    Verdict.WRONG: 1,
    Verdict.EMPTY: 0,
}

DiffKind = Literal["same", "missing", "extra", "changed"]


@dataclass(frozen=True, slots=True)
class DiffToken:
    """One unit of the typed answer set against the expected one, for the screen to colour.

    `same`: typed and expected agree (both set); `missing`: only `expected` is set;
    `extra`: only `typed` is set; `changed`: both set and they differ.
    """

    kind: DiffKind
    typed: str | None
    expected: str | None


@dataclass(frozen=True, slots=True)
class GradeResult:
    verdict: Verdict
    proposed_grade: int
    closest: str
    """The accepted answer the typed one was compared against, as written in the deck."""
    explanations: tuple[str, ...] = ()
    diff: tuple[DiffToken, ...] = ()


def make_result(
    verdict: Verdict,
    closest: str,
    explanations: tuple[str, ...] = (),
    diff: tuple[DiffToken, ...] = (),
) -> GradeResult:
    """A `GradeResult` whose proposed grade always matches its verdict."""
    return GradeResult(verdict, PROPOSED_GRADE[verdict], closest, explanations, diff)
