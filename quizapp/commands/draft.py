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

from quizapp.deck.loader import ID_PATTERN, ID_RULE
from quizapp.deckfiles import load_deck_text
from quizapp.draft.ids import slug
from quizapp.draft.merge import merge
from quizapp.draft.pipeline import draft_text
from quizapp.errors import QuizappError
from quizapp.files import read_capped
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
    if deck_id is not None and not ID_PATTERN.fullmatch(deck_id):
        raise QuizappError(
            f"deck id '{deck_id}' must match {ID_RULE} (lowercase letters, digits and hyphens)",
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
