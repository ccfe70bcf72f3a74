"""`quizapp draft`: read notes, draft cards, check them, and write (or merge) the deck.

Every failure a user can cause (a missing or unreadable file, a bad deck id, a deck to merge
into that has errors) is one line on stderr and an exit status, never a traceback.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from quizapp.deck.cloze import answers_for, cloze_numbers
from quizapp.deck.loader import load_deck_text
from quizapp.deck.model import CardKind
from quizapp.draft.cards import DraftCard, Drafter, document_title
from quizapp.draft.commands import program_of
from quizapp.draft.emit import deck_yaml
from quizapp.draft.ids import ID_RE, slug
from quizapp.draft.markdown import parse_notes
from quizapp.draft.merge import merge
from quizapp.draft.vocabulary import DOCKER_PROGRAMS
from quizapp.errors import QuizappError
from quizapp.files import read_capped
from quizapp.grading import Verdict, grade_cloze, grade_command, unknown_docker_command
from quizapp.grading.normal import Normaliser
from quizapp.textsafe import shown

MAX_INPUT_BYTES = 10_000_000
"""Notes and decks are text: 10 MB at most (the deck loader's limit), so /dev/zero is refused."""


def _read_text(path: Path, what: str) -> str:
    """The file's text; a FIFO, device, folder or huge file is one error (`files`)."""
    try:
        data = read_capped(path, MAX_INPUT_BYTES, f"a {what}")
    except FileNotFoundError:
        raise QuizappError(f"no such {what}: {shown(path)}", 2) from None
    except OSError as error:
        raise QuizappError(f"cannot read {shown(path)}: {error.strerror or error}", 2) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise QuizappError(f"{shown(path)} is not UTF-8 text (byte {error.start})", 2) from None


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


def _mode_for(path: Path) -> int:
    """The file's own permissions when it exists, else what a new file gets (0666 - umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a deck."""
    try:
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline="",
            dir=path.parent,
            delete=False,
            prefix=f".{path.name}.",
            suffix=".tmp",
        ) as handle:
            handle.write(text)
    except OSError as error:
        raise QuizappError(f"cannot write {path}: {error.strerror or error}", 1) from None
    try:
        os.chmod(handle.name, _mode_for(path))
        os.replace(handle.name, path)
    except OSError as error:
        Path(handle.name).unlink(missing_ok=True)
        raise QuizappError(f"cannot write {path}: {error.strerror or error}", 1) from None


def _draft(
    notes: Path,
    output: Path | None,
    deck_id: str | None,
    title: str | None,
    merge_into: Path | None,
    out: TextIO,
) -> int:
    notes_text = _read_text(notes, "notes file")
    if deck_id is not None and not ID_RE.fullmatch(deck_id):
        raise QuizappError(
            f"deck id '{deck_id}' must match ^[a-z0-9][a-z0-9-]{{0,63}}$ "
            "(lowercase letters, digits and hyphens)",
            2,
        )
    deck_id = deck_id or slug(notes.stem, 64) or "notes"
    text, cards = draft_text(notes_text, deck_id, title, notes.name)
    if not cards:
        raise QuizappError(f"nothing to draft: {notes} has no statements to make cards of", 1)
    target = output
    summary = f"drafted {len(cards)} cards"
    if merge_into is not None:
        existing_text = _read_text(merge_into, "deck file")
        bom = read_capped(merge_into, MAX_INPUT_BYTES, "a deck file")[:3] == codecs.BOM_UTF8
        loaded = load_deck_text(existing_text, merge_into)
        if loaded.deck is None:
            details = "\n".join(str(p) for p in loaded.errors)
            raise QuizappError(f"cannot merge into {merge_into}: it has errors\n{details}", 2)
        merged = merge(existing_text, loaded.deck, cards)
        text = merged.text
        if bom:
            text = "\ufeff" + text  # kept, so the file stays byte for byte what it was
        summary = f"kept {merged.kept} cards, added {len(merged.added)}"
        if merged.changed:
            summary += f", {len(merged.changed)} changed in the notes (see above)"
        for change in merged.changed:
            print(f"quizapp: note: {merge_into}: {change.message}", file=sys.stderr)
    check = load_deck_text(text, target or Path("<draft>"))
    if check.errors:
        details = "\n".join(str(p) for p in check.errors)
        raise QuizappError(f"the draft does not validate (a bug in quizapp draft):\n{details}", 1)
    if target is None:
        if merge_into is not None:
            # Merging adds to the deck it names: without -o the deck file itself is updated
            # (its bytes are kept), and, as for any draft without -o, printed too.
            _write(merge_into, text)
        out.write(text.removeprefix("\ufeff"))
    else:
        _write(target, text)
        print(f"{target}: {summary}", file=out)
    return 0


def run_draft(
    notes: Path,
    output: Path | None,
    deck_id: str | None,
    title: str | None,
    merge: Path | None,
    out: TextIO,
) -> int:
    """Exit status: 0 drafted; 1 nothing to draft or cannot write; 2 unreadable input."""
    try:
        return _draft(notes, output, deck_id, title, merge, out)
    except QuizappError as problem:
        print(f"quizapp: error: {problem.message}", file=sys.stderr)
        return problem.exit_code
