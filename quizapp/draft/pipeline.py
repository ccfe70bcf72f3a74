"""Notes text to a draft deck: cards drafted, each checked by the grader it will meet.

Text in, YAML and cards out: reading the notes and writing the deck is `quizapp draft`'s
(`quizapp.commands.draft`).
"""

from __future__ import annotations

from quizapp.deck.cloze import answers_for, cloze_numbers
from quizapp.deck.model import CardKind
from quizapp.draft.cards import DraftCard, Drafter, document_title
from quizapp.draft.commands import program_of
from quizapp.draft.emit import deck_yaml
from quizapp.draft.markdown import parse_notes
from quizapp.draft.vocabulary import DOCKER_PROGRAMS
from quizapp.grading import Verdict, grade_cloze, grade_command, unknown_docker_command
from quizapp.grading.normal import Normaliser


def grader_checks(card: DraftCard) -> None:
    """Add `# check:` notes for an answer the grader does not know or does not accept."""
    answer = card.fields["answer"]
    program = program_of(answer)
    if program in DOCKER_PROGRAMS:
        unknown = unknown_docker_command(answer)
        if unknown:
            card.checks.append(unknown)
    else:
        card.checks.append(
            f"the grader models docker only: it compares this `{program}` command word by word"
        )
    try:
        right = grade_command(answer, (answer,)).verdict is Verdict.RIGHT
    except ValueError:
        right = False
    if not right:
        card.checks.append("the grader does not grade this answer right against itself")


def cloze_checks(card: DraftCard) -> None:
    """Add `# check:` notes for deletions the typed-text grader cannot tell apart or accept.

    Two deletions that read the same to the grader (`Docker` and `docker`) take each other's
    answers; a deletion not graded right against itself could never be answered.
    """
    text = card.fields["text"]
    numbers = cloze_numbers(text)
    answers = {n: answers_for(text, n) for n in numbers}
    normaliser = Normaliser.for_answers([a for each in answers.values() for a in each])
    seen: dict[str, int] = {}
    for number in numbers:
        typed = ", ".join(answers[number])
        graded = grade_cloze(typed, answers[number], text=text, number=number)
        if graded.verdict is not Verdict.RIGHT:
            card.checks.append(f"the grader does not grade c{number} right against itself")
        key = normaliser.key(typed)
        if key in seen:
            card.checks.append(
                f"c{seen[key]} and c{number} read the same to the grader: merge or reword them"
            )
        seen.setdefault(key, number)


def draft_text(
    notes_text: str, deck_id: str, title: str | None, source: str | None
) -> tuple[str, list[DraftCard]]:
    """The YAML of a fresh draft deck from notes text, and its cards."""
    notes = parse_notes(notes_text)
    title = title or document_title(notes) or deck_id
    cards = Drafter(notes, title).draft()
    for card in cards:
        if card.kind is CardKind.COMMAND:
            grader_checks(card)
        elif card.kind is CardKind.CLOZE:
            cloze_checks(card)
    return deck_yaml(deck_id, title, source, cards), cards
