"""What comparing two command lines gives: the differences in words and the token diff.

Shared by the flag comparison (`flags`) and the line comparison (`compare`): each adds its
differences, diff tokens and notes to one `Builder`.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.grading.result import DiffToken, Verdict


@dataclass(frozen=True, slots=True)
class Difference:
    message: str
    small: bool = True


@dataclass(frozen=True, slots=True)
class Comparison:
    differences: tuple[Difference, ...]
    diff: tuple[DiffToken, ...]
    notes: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    """How the line was read, said with any verdict (a program read by POSIX conventions)."""

    @property
    def verdict(self) -> Verdict:
        if not self.differences:
            return Verdict.RIGHT
        if len(self.differences) == 1 and self.differences[0].small:
            return Verdict.CLOSE
        return Verdict.WRONG

    @property
    def explanations(self) -> tuple[str, ...]:
        if not self.differences:
            return (*self.notes, *self.remarks)
        return (*(d.message for d in self.differences), *self.remarks)


class Builder:
    def __init__(self) -> None:
        self.differences: list[Difference] = []
        self.tokens: list[DiffToken] = []
        self.noted: set[str] = set()
        """Unknown flags already explained (with a suggestion)."""
        self.notes: list[str] = []
        """Why a different-looking part is the same (shown when the answer is right)."""
        self.remarks: list[str] = []

    def differ(self, message: str, small: bool = True) -> None:
        self.differences.append(Difference(message, small))

    def token(self, kind: str, typed: str | None, expected: str | None) -> None:
        self.tokens.append(DiffToken(kind, typed, expected))  # type: ignore[arg-type]

    def done(self) -> Comparison:
        return Comparison(
            tuple(self.differences), tuple(self.tokens), tuple(self.notes), tuple(self.remarks)
        )
