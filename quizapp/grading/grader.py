"""The grading entry points: one function per card kind, and a dispatcher on the card."""

from __future__ import annotations

import re
from collections.abc import Sequence

from quizapp.deck.cloze import answer_text, answers_for, deletions
from quizapp.deck.model import BasicCard, Card, ChoiceCard, ClozeCard, CommandCard
from quizapp.grading.commandline import grade_command, is_blank
from quizapp.grading.model import docker_model
from quizapp.grading.models import ModelSet, current_models, using_models
from quizapp.grading.parse import (
    DOCKER,
    UnreadableCommand,
    model_for,
    read_words,
    shell_words,
    stage_words,
)
from quizapp.grading.result import VERDICT_RANK, GradeResult, Verdict, make_result
from quizapp.grading.text import Blank, blanks_for, grade_pick, grade_text


def grade_cloze(
    typed: str,
    expected: Sequence[str | Sequence[str]],
    exact_case: bool = False,
    *,
    text: str | None = None,
    number: int | None = None,
    others: Sequence[str] = (),
) -> GradeResult:
    """Grade the text typed for one cloze deletion (all its occurrences, in order).

    `expected[i]`: the answers accepted where the deletion is blanked the i-th time, a string
    or a tuple (canonical first, then alternatives). `text` and `number`: the card's cloze text
    and the deletion's number in it, for the words around each blank and the card's other
    answers; `others`: further accepted answers of the card (other deletions' alternatives).
    Compared in the normalised form of `grading.normal` (case kept with `exact_case`); see
    docs/grading.md.
    """
    answers = [(e,) if isinstance(e, str) else tuple(e) for e in expected]
    if not answers or not all(answers):
        raise ValueError("a cloze deletion needs at least one answer")
    blanks: tuple[Blank, ...] = tuple(Blank(a) for a in answers)
    card_answers = list(others)
    if text is not None:
        if number is None:
            number = next((d.number for d in deletions(text) if d.answer == answers[0][0]), None)
        placed = blanks_for(text, number, answers) if number is not None else ()
        if len(placed) == len(blanks):
            blanks = placed
        card_answers += [d.answer for d in deletions(text)]
    return grade_text(typed, blanks, exact_case, card_answers, answer_text(text or ""))


def grade_typed(
    typed: str, answers: Sequence[str], question: str = "", exact_case: bool = False
) -> GradeResult:
    """Grade a typed answer that is words, not a command (answers[0] canonical).

    For typed-answer cards other than command and cloze cards (such as those imported from
    Anki's `{{type:Field}}`): the same normalisation and verdicts as a cloze deletion, with
    `question` as the card's text (its words are never taken for misspellings).
    """
    if not answers:
        raise ValueError("a typed-answer card needs at least one answer")
    return grade_text(typed, (Blank(tuple(answers)),), exact_case, (), question)


def _grade_cloze_card(
    card: ClozeCard, typed: str, expected: Sequence[str], number: int
) -> GradeResult:
    """A cloze card's deletion with the card's alternatives for it (docs/deck-format.md).

    An alternative is a whole answer of its deletion: for a deletion blanked once it joins
    that blank's accepted answers; for one blanked several times the deletion is graded
    first, then each alternative as a one-blank answer, and the best verdict counts.
    """
    alternatives = card.alternatives_for(number)
    others = tuple(a for n, answers in card.alternatives if n != number for a in answers)
    if not alternatives:
        return grade_cloze(typed, expected, text=card.text, number=number, others=others)
    if len(expected) == 1:
        blank = (expected[0], *alternatives)
        best = grade_cloze(typed, [blank], text=card.text, number=number, others=others)
    else:
        best = grade_cloze(typed, expected, text=card.text, number=number, others=others)
        for alternative in alternatives:
            if best.verdict in (Verdict.RIGHT, Verdict.EMPTY):
                break
            other = grade_cloze(typed, [alternative], others=(*others, *expected))
            if VERDICT_RANK[other.verdict] < VERDICT_RANK[best.verdict]:
                best = other
    if best.verdict is not Verdict.WRONG:
        return best
    also = f"also right: {', '.join(alternatives)}"
    return make_result(best.verdict, best.closest, (*best.explanations, also), best.diff)


_BACKTICKED = re.compile(r"`([^`]+)`")


def command_around(text: str, number: int) -> tuple[str, str, str] | None:
    """(before, answer, after) when deletion `number` sits once inside a backticked docker
    command of a cloze `text` (`docker network create -d overlay {{c1::-o encrypted}} net`),
    other deletions filled in; None otherwise."""
    for match in _BACKTICKED.finditer(text):
        span = match.group(1)
        mine = [d for d in deletions(span) if d.number == number]
        if len(mine) != 1:
            continue
        deletion = mine[0]
        before, after = answer_text(span[: deletion.start]), answer_text(span[deletion.end :])
        try:
            words = shell_words(before + deletion.answer + after)
        except UnreadableCommand:
            return None
        if words and model_for(words[0]) is not None:
            return before, deletion.answer, after
    return None


def grade_cloze_in_command(typed: str, before: str, answer: str, after: str) -> GradeResult:
    """A deletion inside a command, graded as the completed command with the CLI model:
    `--opt encrypted` completes `docker network create ... -o encrypted ...` as well."""
    if is_blank(typed):
        return make_result(Verdict.EMPTY, answer, ("nothing was typed",))
    as_text = grade_cloze(typed, [answer])
    if as_text.verdict is Verdict.RIGHT:
        return as_text
    result = grade_command(f"{before}{typed.strip()}{after}", [f"{before}{answer}{after}"])
    if result.verdict is Verdict.RIGHT:
        return make_result(Verdict.RIGHT, answer, result.explanations, as_text.diff)
    return make_result(result.verdict, answer, result.explanations, as_text.diff)


def grade_choice(picked: str, answer: str) -> GradeResult:
    """A picked choice is right when it is the answer, character for character."""
    return grade_pick(picked, answer)


def grade_card(
    card: Card, typed: str, cloze_number: int | None = None, models: ModelSet | None = None
) -> GradeResult:
    """Grade `typed` for any gradable card; basic cards are self-graded (ValueError).

    `models`: the CLI models for command answers (default: the bundled ones)."""
    with using_models(models if models is not None else current_models()):
        return _grade_card(card, typed, cloze_number)


def _grade_card(card: Card, typed: str, cloze_number: int | None) -> GradeResult:
    if isinstance(card, CommandCard):
        return grade_command(typed, card.answers, card.prefix)
    if isinstance(card, ClozeCard):
        numbers = card.numbers
        if cloze_number is None:
            if len(numbers) != 1:
                raise ValueError(f"card {card.id} has several deletions: name one (#cN)")
            cloze_number = numbers[0]
        expected = answers_for(card.text, cloze_number)
        if not expected:
            raise ValueError(f"card {card.id} has no deletion c{cloze_number}")
        around = command_around(card.text, cloze_number)
        as_command = grade_cloze_in_command(typed, *around) if around is not None else None
        if as_command is not None and as_command.verdict in (Verdict.RIGHT, Verdict.EMPTY):
            return as_command
        as_words = _grade_cloze_card(card, typed, expected, cloze_number)
        if as_command is None or VERDICT_RANK[as_words.verdict] < VERDICT_RANK[as_command.verdict]:
            return as_words
        return as_command
    if isinstance(card, ChoiceCard):
        return grade_choice(typed, card.answer)
    if isinstance(card, BasicCard):
        raise ValueError(f"card {card.id} is a basic card: the learner grades it, not quizapp")
    raise ValueError(f"card {getattr(card, 'id', card)!r} cannot be graded")


def unknown_docker_command(command: str) -> str | None:
    """A warning when `command` runs a docker (sub)command the grader's model lacks.

    `"docker foo: unknown docker command"`, with a suggestion for a misspelt word; None for
    known docker commands, other programs and lines that are not shell commands.
    """
    try:
        words = shell_words(command)
    except UnreadableCommand:
        return None
    model = docker_model()
    if len(words) < 2 or (words[0] != DOCKER and words[0] not in model.programs):
        return None
    line = read_words(words)
    if line.unknown is not None:
        if not line.unknown:
            return None
        return f"docker {' '.join(line.unknown)}: unknown docker command"
    if line.command_typos:
        word, meant = line.command_typos[0]
        return f"{' '.join(line.head)}: unknown docker command (did you mean {meant} for {word}?)"
    return None


def command_warnings(command: str) -> list[str]:
    """Everything a deck author should hear about a command in an answer: an unknown Docker
    command (`unknown_docker_command`), then what the other programs' models lack
    (`model_warnings`). The deck loader is given this as its command check."""
    docker = unknown_docker_command(command)
    return ([docker] if docker else []) + model_warnings(command)


def model_warnings(command: str) -> list[str]:
    """What a deck author should hear about `command` from the CLI models in effect: each
    stage's program command the model lacks (`git comit`) and each option it lacks (`git
    commit --frobnicate`). Docker's unknown commands are `unknown_docker_command`'s; lines
    that are not shell commands and programs without a model give nothing."""
    try:
        stages = stage_words(command)
    except UnreadableCommand:
        return []
    messages: list[str] = []
    for words in stages:
        if not words or model_for(words[0]) is None:
            continue
        line = read_words(tuple(words))
        model = line.model
        if model is None:
            continue
        if line.unknown is not None and not line.docker and line.unknown:
            messages.append(
                f"{' '.join((model.name, *line.unknown))}: unknown {model.name} command"
            )
            continue
        if line.command is None:
            continue
        for use in line.uses:
            if use.flag is None:
                where = line.command.name if use.scope == "command" else model.name
                messages.append(f"{where} has no option {use.name} in its CLI model")
    return messages
