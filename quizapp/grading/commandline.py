"""Grading a typed command line against a card's accepted answers, as the CLI reads both.

Its own module so that the text grader (a blank that holds a whole command) and the card
dispatcher (`grader`) both build on it without importing each other.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from quizapp.grading.compare import Comparison, compare_command
from quizapp.grading.model import docker_model
from quizapp.grading.models import ModelSet, current_models, using_models
from quizapp.grading.parse import (
    DOCKER,
    Invocation,
    UnreadableCommand,
    read_line,
    shell_words,
)
from quizapp.grading.result import VERDICT_RANK, DiffToken, GradeResult, Verdict, make_result
from quizapp.grading.values import edit_distance

_TIE_CHARS = 200
"""Edit distance breaks ties between answers on this many characters (it is quadratic)."""


@functools.lru_cache(maxsize=4096)
def _read_answer(answer: str, models: ModelSet) -> Invocation | None:
    """An accepted answer, read once per set of models (the same answers are graded again
    and again)."""
    try:
        return read_line(answer)
    except UnreadableCommand:
        return None


def is_blank(typed: str) -> bool:
    text = typed.strip()
    return not text or text == "$"


def _with_prefix(typed: str, prefix: str | None) -> str:
    """What is graded: the shown prefix and the rest the learner typed, unless the learner
    typed a whole command (it starts with the prefix's program: `docker build -t tag .` on a
    `docker image build` card is the whole command, not `docker image build docker build`)."""
    if not prefix or not prefix.strip():
        return typed
    try:
        typed_words, prefix_words = shell_words(typed), shell_words(prefix)
    except UnreadableCommand:
        return f"{prefix} {typed}"
    if typed_words[: len(prefix_words)] == prefix_words:
        return typed
    programs = {DOCKER, *docker_model().programs}
    if typed_words and prefix_words and typed_words[0] == prefix_words[0]:
        return typed
    if typed_words and typed_words[0] in programs and prefix_words[0] in programs:
        return typed
    return f"{prefix} {typed}"


def grade_command(
    typed: str,
    answers: Sequence[str],
    prefix: str | None = None,
    models: ModelSet | None = None,
) -> GradeResult:
    """Grade a typed shell command against accepted answers (answers[0] is canonical).

    With `prefix`, the learner typed what follows the shown prefix; prefix + " " + typed is
    graded. The result is against the closest accepted answer. `models`: the CLI models to
    read each program with (default: the bundled ones; an author's `*.cli.toml` added by
    the caller, see `quizapp.deckfiles.load_cli_models`).
    """
    with using_models(models if models is not None else current_models()):
        return _grade_command(typed, answers, prefix)


def _grade_command(typed: str, answers: Sequence[str], prefix: str | None) -> GradeResult:
    if not answers:
        raise ValueError("a command card needs at least one answer")
    if is_blank(typed):
        return make_result(Verdict.EMPTY, answers[0], ("nothing was typed",))
    line = _with_prefix(typed, prefix)
    try:
        typed_line = read_line(line)
        words = typed_line.words
    except UnreadableCommand as error:
        return make_result(
            Verdict.WRONG,
            answers[0],
            (f"the command cannot be read: {error}",),
            (DiffToken("changed", line.strip(), answers[0]),),
        )
    graded: list[tuple[int, int, str, Comparison, Invocation]] = []
    for answer in answers:
        expected = _read_answer(answer, current_models())
        if expected is not None:
            comparison = compare_command(typed_line, expected)
            rank = VERDICT_RANK[comparison.verdict]
            graded.append((rank, len(comparison.differences), answer, comparison, expected))
    if not graded:  # the deck loader refuses such answers; compare the text as a last resort
        same = [a for a in answers if " ".join(a.split()) == " ".join(words)]
        if same:
            return make_result(Verdict.RIGHT, same[0])
        return make_result(
            Verdict.WRONG, answers[0], ("no accepted answer is a readable shell command",)
        )
    top = min((g[0], g[1]) for g in graded)
    ties = [g for g in graded if (g[0], g[1]) == top]
    if len(ties) > 1:
        typed_text = " ".join(words)

        def closeness(g: tuple[int, int, str, Comparison, Invocation]) -> tuple[int, int, int]:
            kinds = [token.kind for token in g[3].diff]
            distance = edit_distance(typed_text[:_TIE_CHARS], " ".join(g[4].words)[:_TIE_CHARS])
            return -kinds.count("same"), -kinds.count("changed"), distance

        ties.sort(key=closeness)
    _, _, answer, comparison, _ = ties[0]
    return make_result(comparison.verdict, answer, comparison.explanations, comparison.diff)
