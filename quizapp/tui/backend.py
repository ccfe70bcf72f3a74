"""The app's one way to the progress store: every call runs on a single database thread.

SQLAlchemy sessions and SQLite connections must stay on one thread, and the UI must never wait
on the disk, so each storage function runs in a one-thread executor and the screens `await` it.
Storage (and SQLAlchemy) are imported on that thread, which keeps the first paint fast.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from quizapp.context import AppContext
from quizapp.deck.model import Card, Deck, split_item_id
from quizapp.scheduling.queue import Candidate

if TYPE_CHECKING:
    from quizapp.storage.engine import Store
    from quizapp.storage.repository import AnswerRecord, AppData, DeckSummary, Stats

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Item:
    """One reviewable item with what it takes to show it: its deck, card and cloze number."""

    deck: Deck
    card: Card
    item_id: str
    cloze_number: int | None


class Cards:
    """The loaded decks' cards by id, for the lookup the study screen makes before every card.

    `Deck.card` reads a deck's cards in order (a third of a millisecond in a deck of 5,000
    cards); here each deck is indexed once, the first time one of its cards is asked for.
    """

    def __init__(self, decks: Iterable[Deck]) -> None:
        self.decks: dict[str, Deck] = {deck.id: deck for deck in decks}
        self._by_id: dict[str, dict[str, Card]] = {}

    def item(self, candidate: Candidate) -> Item | None:
        """The card behind a queue entry; None if its deck or card is gone."""
        deck = self.decks.get(candidate.deck_id)
        if deck is None:
            return None
        card_id, number = split_item_id(candidate.item_id)
        cards = self._by_id.get(deck.id)
        if cards is None:
            cards = self._by_id[deck.id] = {}
            for card in deck.cards:
                cards.setdefault(card.id, card)  # the first of a repeated id, as Deck.card
        card = cards.get(card_id)
        if card is None:
            return None
        return Item(deck, card, candidate.item_id, number)


def _load_app_data(ctx: AppContext) -> AppData:
    from quizapp.storage.repository import load_app_data

    # The daily backup waits until the first card is on screen (see `Backend.back_up`).
    return load_app_data(ctx, backup=False)


def _daily_backup(store: Store) -> None:
    from quizapp.storage.backup import daily_backup_of

    # A failed backup never stops studying (daily_backup_of reports none); nor may a bug here.
    with contextlib.suppress(Exception):
        daily_backup_of(store)


class Backend:
    """Storage calls for the screens, serialised on one thread that owns the database."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quizapp-db")
        self.data: AppData | None = None
        self._decks: dict[str, Deck] = {}
        self._cards = Cards(())
        self._loading: Future[AppData] | None = None
        self._backup: threading.Thread | None = None

    def start_loading(self) -> None:
        """Begin loading decks and opening the store now, while the UI is still starting."""
        if self._loading is None:
            self._loading = self._executor.submit(_load_app_data, self.ctx)

    def back_up(self) -> None:
        """Make today's backup (at most one a day) on a thread of its own, once.

        Called when the first card is on screen: a start never waits for a copy of the
        whole database. SQLite's online backup reads on its own connection while answers
        are written, and a backup that dies with the app leaves only a `.partial` file.
        """
        if self.data is None or self._backup is not None:
            return
        self._backup = threading.Thread(
            target=_daily_backup, args=(self.data.store,), name="quizapp-backup", daemon=True
        )
        self._backup.start()

    async def call(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(function, *args, **kwargs)
        )

    async def load(self) -> AppData:
        self.start_loading()
        assert self._loading is not None
        self.data = await asyncio.wrap_future(self._loading)
        self._cards = Cards(self.data.decks)
        self._decks = self._cards.decks
        return self.data

    @property
    def loaded(self) -> AppData:
        if self.data is None:
            raise RuntimeError("the decks are not loaded yet")
        return self.data

    @property
    def decks(self) -> tuple[Deck, ...]:
        return self.loaded.decks

    def deck(self, deck_id: str) -> Deck | None:
        return self._decks.get(deck_id)

    def find_deck(self, name: str) -> Deck | None:
        """A deck by id, else by title (case-insensitive)."""
        if name in self._decks:
            return self._decks[name]
        folded = name.casefold()
        for deck in self.decks:
            if deck.title.casefold() == folded:
                return deck
        return None

    def item(self, candidate: Candidate) -> Item | None:
        """The card behind a queue entry; None if its deck or card is gone."""
        return self._cards.item(candidate)

    def all_items(self, deck_ids: Sequence[str]) -> list[Candidate]:
        """Every item of the decks, regardless of schedule (what a quiz draws from)."""
        found: list[Candidate] = []
        for deck_id in deck_ids:
            deck = self._decks.get(deck_id)
            if deck is None:
                continue
            for card in deck.cards:
                for item_id in card.item_ids:
                    found.append(Candidate(deck.id, item_id, None, len(found)))
        return found

    async def summaries(self, today: date) -> list[DeckSummary]:
        from quizapp.storage.repository import deck_summaries

        return await self.call(deck_summaries, self.loaded.store, today, self.loaded.settings)

    async def queue(
        self, deck_ids: Sequence[str] | None, today: date, seed: int
    ) -> tuple[list[Candidate], list[Candidate]]:
        """Today's queue for the decks, and which of its items are same-day repeats."""

        def queue() -> tuple[list[Candidate], list[Candidate]]:
            from quizapp.storage.repository import todays_queue, todays_repeats

            store, settings = self.loaded.store, self.loaded.settings
            candidates = todays_queue(store, deck_ids, today, settings, seed)
            # Today's answers only (an index range), never the whole review log.
            pending = {c.key for c in todays_repeats(store, deck_ids, today)}
            repeats = [c for c in candidates if c.key in pending]
            return candidates, repeats

        return await self.call(queue)

    async def record(
        self,
        candidate: Candidate,
        *,
        grade: int,
        typed: str | None,
        correct: bool | None,
        duration_ms: int,
        now: datetime,
        today: date,
        session_kind: str = "study",
        repeat: bool = False,
    ) -> AnswerRecord:
        from quizapp.storage.repository import record_answer

        return await self.call(
            record_answer,
            self.loaded.store,
            deck_id=candidate.deck_id,
            item_id=candidate.item_id,
            grade=grade,
            typed_answer=typed,
            correct=correct,
            duration_ms=duration_ms,
            now=now,
            today=today,
            session_kind=session_kind,
            repeat=repeat,
        )

    async def still_due(self, candidate: Candidate, today: date, *, repeat: bool = False) -> bool:
        """Whether to ask the card now: False if another quizapp answered it meanwhile."""
        from quizapp.storage.concurrency import still_due

        store = self.loaded.store
        return await self.call(
            still_due, store, candidate.deck_id, candidate.item_id, today, repeat=repeat
        )

    async def undo(self, review_id: int) -> None:
        from quizapp.storage.repository import undo_answer

        await self.call(undo_answer, self.loaded.store, review_id)

    async def bury(self, candidate: Candidate, until: date) -> None:
        from quizapp.storage.repository import bury

        await self.call(bury, self.loaded.store, candidate.deck_id, candidate.item_id, until)

    async def stats(self, today: date, deck_id: str | None) -> Stats:
        from quizapp.storage.repository import stats

        return await self.call(stats, self.loaded.store, today, deck_id, self.loaded.settings)

    def close(self) -> None:
        """Close the store on its own thread, then stop the thread."""
        if self._backup is not None:
            self._backup.join()  # a backup under way is finished, not cut short
        if self.data is not None:
            self._executor.submit(self.data.store.close).result()
        self._executor.shutdown(wait=True)
