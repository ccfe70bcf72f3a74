"""`quizapp export anki`: load the decks (and progress, if asked), build, write, report.

Every user-facing failure is a QuizappError with a clear message: an output path that cannot be
written, an unknown --deck id, a deck file with errors. Nothing is written in those cases, and a
write that fails midway leaves no partial file (see `writer`).
"""

from __future__ import annotations

import contextlib
import difflib
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from quizapp.context import AppContext
from quizapp.deck.model import Deck, LoadResult
from quizapp.errors import QuizappError
from quizapp.export.builder import AnkiPackage, build_package
from quizapp.export.writer import WriteReport, write_package
from quizapp.files import terminate_as_exit
from quizapp.wording import counted

EXIT_BAD_DECK = 1
EXIT_WRITE_FAILED = 1
EXIT_USAGE = 2


def run_export(
    ctx: AppContext, output: Path, deck_ids: list[str], with_progress: bool, out: TextIO
) -> int:
    """Write the chosen decks (default: all) as an Anki package at `output`; return 0."""
    now = datetime.now(UTC)
    target = check_output(output)
    with contextlib.ExitStack() as owned:
        if with_progress:
            package = _build_with_progress(ctx, deck_ids, now, owned)
        else:
            from quizapp.deck_cache import DeckCache
            from quizapp.deckfiles import load_decks

            results = load_decks(list(ctx.deck_dirs), DeckCache.default())
            package = build_package(select_decks(results, deck_ids), now=now)
        try:
            with terminate_as_exit():
                report = write_package(package, target, private=with_progress)
        except OSError as error:
            reason = error.strerror or str(error)
            raise QuizappError(
                f"cannot write {output}: {reason}; nothing was written", EXIT_WRITE_FAILED
            ) from None
    print_report(package, report, with_progress, out)
    return 0


def check_output(output: Path) -> Path:
    """The path to write, if its folder exists and is writable; a QuizappError otherwise."""
    target = output.expanduser()
    if target.is_dir():
        raise QuizappError(
            f"cannot write {output}: it is a folder; name the file, e.g. {output / 'decks.apkg'}",
            EXIT_USAGE,
        )
    folder = target.parent
    if not folder.exists():
        raise QuizappError(f"cannot write {output}: folder {folder} does not exist", EXIT_USAGE)
    if not folder.is_dir():
        raise QuizappError(f"cannot write {output}: {folder} is not a folder", EXIT_USAGE)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise QuizappError(
            f"cannot write {output}: no permission to write in {folder}", EXIT_WRITE_FAILED
        )
    return target


def select_decks(results: Sequence[LoadResult], deck_ids: Sequence[str]) -> list[Deck]:
    """The decks to export, in load order: all of them, or those named by `deck_ids`.

    Deck files with errors stop the export when they could hold a wanted deck (all decks are
    wanted, or a wanted id is not among the good ones); otherwise they are skipped with a warning.
    """
    good = [result.deck for result in results if result.deck is not None and not result.errors]
    bad = [result for result in results if result.errors]
    by_id = {deck.id: deck for deck in good}
    missing = [deck_id for deck_id in dict.fromkeys(deck_ids) if deck_id not in by_id]
    if bad and (not deck_ids or missing):
        message = _bad_decks_message(bad)
        if missing:
            message += "\nAlso, " + _unknown_decks_message(missing, sorted(by_id))
        raise QuizappError(message, EXIT_BAD_DECK)
    if missing:
        raise QuizappError(_unknown_decks_message(missing, sorted(by_id)), EXIT_USAGE)
    if bad:
        files = ", ".join(str(result.path) for result in bad)
        print(
            f"quizapp: warning: skipped deck files with errors: {files} (see `quizapp validate`)",
            file=sys.stderr,
        )
    if not good:
        raise QuizappError("no decks to export: no deck files were found", EXIT_USAGE)
    if not deck_ids:
        return good
    wanted = set(deck_ids)
    return [deck for deck in good if deck.id in wanted]


def print_report(
    package: AnkiPackage, report: WriteReport, with_progress: bool, out: TextIO
) -> None:
    decks = len(package.decks)
    out.write(
        f"Wrote {report.path}: {counted(decks, 'deck')}, {counted(report.notes, 'note')}, "
        f"{counted(report.cards, 'card')}.\n"
    )
    for deck in package.decks:
        counts = report.decks.get(deck.anki_id)
        notes, cards = (counts.notes, counts.cards) if counts else (0, 0)
        out.write(f"  {deck.name}: {counted(notes, 'note')}, {counted(cards, 'card')}\n")
    if with_progress:
        new = report.cards - report.review_cards
        out.write(
            f"With progress: {counted(report.review_cards, 'review card')} "
            f"({new} still new), {counted(report.revlog_rows, 'revlog row')}.\n"
        )


def _build_with_progress(
    ctx: AppContext, deck_ids: Sequence[str], now: datetime, owned: contextlib.ExitStack
) -> AnkiPackage:
    """The package with scheduling; its revlog is read from the store as it is written.

    The store is this command's: `owned` closes it once the package is written.
    """
    from quizapp.export.history import ReviewLogSource, studied_items
    from quizapp.export.schedule import FsrsCard
    from quizapp.storage.appdata import load_app_data
    from quizapp.storage.fsrs_store import anki_fsrs_cards

    data = load_app_data(ctx)
    owned.callback(data.store.close)
    decks = select_decks(data.results, deck_ids)
    items = studied_items(data.store, [deck.id for deck in decks])
    memory = anki_fsrs_cards(data.store, [deck.id for deck in decks], data.settings)
    fsrs = {key: FsrsCard(ivl, card_data) for key, (ivl, card_data) in memory.items()}
    rollover = data.settings.rollover_hour
    answers = ReviewLogSource(data.store)
    return build_package(decks, items, now=now, rollover_hour=rollover, answers=answers, fsrs=fsrs)


def _bad_decks_message(bad: Sequence[LoadResult]) -> str:
    lines = [f"{counted(len(bad), 'deck file')} with errors; nothing was written:"]
    for result in bad:
        lines += [f"  {problem}" for problem in result.errors]
    lines.append("Fix them (see `quizapp validate`), or export other decks with --deck ID.")
    return "\n".join(lines)


def _unknown_decks_message(missing: Sequence[str], known: Sequence[str]) -> str:
    parts = []
    for deck_id in missing:
        close = difflib.get_close_matches(deck_id, known, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        parts.append(f"{deck_id}{hint}")
    listing = ", ".join(known) if known else "none"
    return f"unknown deck id: {', '.join(parts)}; known decks: {listing}"
