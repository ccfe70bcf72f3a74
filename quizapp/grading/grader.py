"""The grading entry points: one function per card kind, and a dispatcher on the card."""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.deck.model import Card
from quizapp.grading.result import GradeResult


def grade_command(typed: str, answers: Sequence[str], prefix: str | None = None) -> GradeResult:
    """Grade a typed shell command against accepted answers (answers[0] is canonical)."""
    raise NotImplementedError


def grade_cloze(typed: str, expected: Sequence[str], exact_case: bool = False) -> GradeResult:
    """Grade the text typed for one cloze deletion (all its occurrences, in order)."""
    raise NotImplementedError


def grade_choice(picked: str, answer: str) -> GradeResult:
    """A picked choice is right when it is the answer, character for character."""
    raise NotImplementedError


def grade_card(card: Card, typed: str, cloze_number: int | None = None) -> GradeResult:
    """Grade `typed` for any gradable card; basic cards are self-graded (ValueError)."""
    raise NotImplementedError


def unknown_docker_command(command: str) -> str | None:
    """A warning when `command` runs a docker (sub)command the grader's model lacks."""
    raise NotImplementedError
