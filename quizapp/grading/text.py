"""Grading cloze and choice answers: text compared after trimming and case folding.

A cloze deletion may be blanked more than once (`{{c1::a}} ... {{c1::b}}`); the learner
types the answers in order, joined by ", " or a space. A command blanked in a cloze is also
accepted in any form the Docker CLI reads the same (`docker ps` for `docker container ls`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from quizapp.grading.result import DiffToken, GradeResult, Verdict, make_result
from quizapp.grading.values import is_typo

_COMMA = re.compile(r"\s*,\s*")


def _clean(text: str, exact_case: bool) -> str:
    """Whitespace collapsed, `, ` spacing made uniform, code backticks dropped, case folded."""
    text = _COMMA.sub(", ", " ".join(text.replace("`", "").split()))
    return text if exact_case else text.casefold()


def word_diff(typed: str, expected: str) -> tuple[DiffToken, ...]:
    """Word-level diff of two texts, for the study screen to colour."""
    a, b = typed.split(), expected.split()
    tokens: list[DiffToken] = []
    matcher = difflib.SequenceMatcher(
        a=[w.casefold() for w in a], b=[w.casefold() for w in b], autojunk=False
    )
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pairs_same = zip(range(a0, a1), range(b0, b1), strict=True)
            tokens += [DiffToken("same", a[i], b[j]) for i, j in pairs_same]
            continue
        pairs = min(a1 - a0, b1 - b0) if op == "replace" else 0
        tokens += [DiffToken("changed", a[a0 + k], b[b0 + k]) for k in range(pairs)]
        tokens += [DiffToken("missing", None, b[j]) for j in range(b0 + pairs, b1)]
        tokens += [DiffToken("extra", a[i], None) for i in range(a0 + pairs, a1)]
    return tuple(tokens)


def grade_text(typed: str, expected: Sequence[str], exact_case: bool = False) -> GradeResult:
    """Grade the answer typed for one cloze deletion (`expected`: its answers, in order)."""
    if not expected:
        raise ValueError("a cloze deletion needs at least one answer")
    closest = ", ".join(expected)
    if not typed.strip():
        return make_result(Verdict.EMPTY, closest, ("nothing was typed",))
    candidates = [", ".join(expected), " ".join(expected)]
    typed_clean = _clean(typed, exact_case)
    cleaned = [_clean(c, exact_case) for c in candidates]
    diff = word_diff(" ".join(typed.split()), closest)
    if typed_clean in cleaned:
        return make_result(Verdict.RIGHT, closest, (), diff)
    if exact_case and _clean(typed, False) in [_clean(c, False) for c in candidates]:
        return make_result(Verdict.CLOSE, closest, (f"mind the capitals: {closest}",), diff)
    if len(expected) == 1 and expected[0].lstrip().startswith("docker"):
        from quizapp.grading.grader import grade_command

        as_command = grade_command(typed, expected)
        if as_command.verdict is Verdict.RIGHT:
            return as_command
    if any(is_typo(typed_clean, c) for c in cleaned):
        return make_result(Verdict.CLOSE, closest, (f"almost: {closest} (a typo)",), diff)
    if len(expected) > 1:
        note = f"the answers are {closest}, in this order"
    else:
        note = f"the answer is {closest}"
    return make_result(Verdict.WRONG, closest, (note,), diff)


def grade_pick(picked: str, answer: str) -> GradeResult:
    """A choice is right when it is the answer itself."""
    if not picked.strip():
        return make_result(Verdict.EMPTY, answer, ("nothing was picked",))
    if picked == answer:
        return make_result(Verdict.RIGHT, answer, (), (DiffToken("same", picked, answer),))
    return make_result(
        Verdict.WRONG, answer, (f"the answer is {answer}",), (DiffToken("changed", picked, answer),)
    )
