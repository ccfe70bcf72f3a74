"""The same cards and history in Anki: a collection built by importing quizapp's own export.

`quizapp export anki --with-progress` turns the benchmark database into a .apkg with every
card, its SM-2 state as Anki scheduling and every answer as a revlog row; Anki's importer
(with scheduling) then builds a collection from it. Both engines then hold the same cards,
the same due dates and the same review history, which is what the side-by-side figures need.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.history import History


def export_apkg(history: History, output: Path, *, with_progress: bool) -> Path:
    """Run quizapp's export (in this process) on `history`; return the .apkg path."""
    from quizapp.context import AppContext
    from quizapp.deck_cache import DeckCache
    from quizapp.deckfiles import load_decks
    from quizapp.export.builder import build_package
    from quizapp.export.command import _build_with_progress
    from quizapp.export.writer import write_package

    ctx = AppContext(db=str(history.db), deck_dirs=(history.decks,))
    now = datetime.now(UTC)
    with contextlib.ExitStack() as owned:  # the store stays open while the package is written
        if with_progress:
            package = _build_with_progress(ctx, [], now, owned)
        else:
            results = load_decks([history.decks], DeckCache.default())
            package = build_package([r.deck for r in results if r.deck is not None], now=now)
        output.unlink(missing_ok=True)
        write_package(package, output)
    return output


def build_collection(apkg: Path, collection: Path) -> int:
    """A new Anki collection at `collection` holding `apkg` with its scheduling; card count."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    collection.parent.mkdir(parents=True, exist_ok=True)
    for leftover in collection.parent.glob(collection.name + "*"):
        leftover.unlink()
    col = Collection(str(collection))
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(apkg), options=ImportAnkiPackageOptions(with_scheduling=True)
        )
    )
    cards = col.card_count()
    col.close(downgrade=False)
    return cards


def collection_facts(collection: Path) -> dict[str, int]:
    """Cards, review cards and revlog rows of a collection (to check it matches quizapp's)."""
    from anki.collection import Collection

    col = Collection(str(collection))
    try:
        return {
            "cards": col.card_count(),
            "review_cards": col.db.scalar("select count() from cards where type = 2"),
            "revlog": col.db.scalar("select count() from revlog"),
        }
    finally:
        col.close(downgrade=False)


__all__ = ["build_collection", "collection_facts", "export_apkg"]
