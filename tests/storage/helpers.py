"""Helpers for the storage tests: small hand-built decks, raw rows, a write counter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import event, text

from quizapp.deck.model import BasicCard, Card, ClozeCard, Deck
from quizapp.scheduling.queue import Candidate
from quizapp.scheduling.settings import Settings
from quizapp.storage import studysql
from quizapp.storage.engine import Store
from quizapp.storage.repository import ItemProgress, progress


def basic(card_id: str, front: str = "front", back: str = "back") -> BasicCard:
    return BasicCard(id=card_id, front=front, back=back)


def cloze(card_id: str, text: str) -> ClozeCard:
    return ClozeCard(id=card_id, text=text)


def deck(deck_id: str, *cards: Card, content_hash: str | None = None, title: str = "") -> Deck:
    """A deck whose content hash follows its cards unless given (as a file's hash would)."""
    if content_hash is None:
        content_hash = str(hash(cards))
    return Deck(id=deck_id, title=title or deck_id.title(), cards=cards, content_hash=content_hash)


def rows(store: Store, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Exact rows as SQLite holds them (dates as ISO text, booleans as 0/1)."""
    with store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


class WriteCounter:
    """Counts INSERT/UPDATE/DELETE statements (executemany counts once) sent to the engine."""

    def __init__(self, store: Store) -> None:
        self.statements: list[str] = []
        self._engine = store.engine
        event.listen(self._engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            self.statements.append(statement)

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._seen)


# The study queries as the study app runs them: `studysql` on the store's sqlite3 connection
# (there is no other implementation of them).


def todays_queue(
    store: Store, deck_ids: Sequence[str] | None, today: date, settings: Settings, seed: int
) -> list[Candidate]:
    """Today's study queue, as `Backend.queue` reads it."""
    return store.read_dbapi(
        lambda conn: studysql.queue_and_repeats(conn, deck_ids, today, settings, seed)
    )[0]


def todays_repeats(store: Store, deck_ids: Sequence[str] | None, today: date) -> list[Candidate]:
    """Items studied today whose last study grade today is below 4, oldest answer first."""
    return store.read_dbapi(
        lambda conn: studysql.queue_and_repeats(conn, deck_ids, today, Settings(), 0)
    )[1]


def still_due(
    store: Store, deck_id: str, item_id: str, today: date, *, repeat: bool = False
) -> bool:
    """`studysql.still_due`, as `Backend.still_due` runs it."""
    return store.read_dbapi(
        lambda conn: studysql.still_due(conn, deck_id, item_id, today, repeat=repeat)
    )


def item_state(store: Store, deck_id: str, item_id: str) -> ItemProgress | None:
    """One item's progress (as the export reads it); None if no such active item."""
    return next((p for p in progress(store, [deck_id]) if p.item_id == item_id), None)
