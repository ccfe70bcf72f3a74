"""The app's one way to the progress store: every call runs on a single database thread.

SQLAlchemy sessions and SQLite connections must stay on one thread, and the UI must never wait
on the disk, so each storage function runs in a one-thread executor and the screens `await` it.
Storage is imported on that thread, and SQLAlchemy only once the first card is on screen when
the database is up to date (`storage.quickstart`): that keeps the first paint fast.
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
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from quizapp.context import AppContext
from quizapp.deck.model import Card, Deck, find_deck, split_item_id
from quizapp.scheduling.queue import Candidate
from quizapp.scheduling.tags import ItemFilter, item_filter

if TYPE_CHECKING:
    import sqlite3

    from quizapp.storage.engine import Store
    from quizapp.storage.quickstart import StartData
    from quizapp.storage.repository import AnswerRecord, DeckSummary, Stats
    from quizapp.tui.autosync import SyncStatus

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
    cards); here each deck is indexed once, the first time one of its cards is asked for, and
    a deck from the cache builds only the cards asked for (`LazyCards.card`).
    """

    def __init__(self, decks: Iterable[Deck]) -> None:
        self.decks: dict[str, Deck] = {deck.id: deck for deck in decks}
        self._by_id: dict[str, dict[str, Card]] = {}

    def item(self, candidate: Candidate) -> Item | None:
        """The card behind a queue entry; None if its deck or card is gone."""
        deck = self.decks.get(candidate.deck_id)
        if deck is None:
            return None
        from quizapp.deck_cache import LazyCards

        card_id, number = split_item_id(candidate.item_id)
        if isinstance(deck.cards, LazyCards):  # a cached deck builds just this card
            card = deck.cards.card(card_id)
        else:
            cards = self._by_id.get(deck.id)
            if cards is None:
                cards = self._by_id[deck.id] = {}
                for one in deck.cards:
                    cards.setdefault(one.id, one)  # the first of a repeated id, as Deck.card
            card = cards.get(card_id)
        if card is None:
            return None
        return Item(deck, card, candidate.item_id, number)


Started = tuple["StartData", "Store | None", "sqlite3.Connection | None"]


def _start(ctx: AppContext) -> Started:
    """Load settings and decks; open the database without SQLAlchemy if it is up to date.

    Returns the data, and either the open store (the normal path: open, migrate, sync) or a
    plain sqlite3 connection good for today's queue (see `storage.quickstart`).
    """
    from quizapp.storage.quickstart import decks_in_sync, load_start, open_current

    start = load_start(ctx)
    conn = open_current(ctx.db)
    if conn is not None:
        from quizapp.storage.fsrs_schedule import schedules_current

        deck_ids = [deck.id for deck in start.decks]
        if decks_in_sync(conn, start.decks) and schedules_current(conn, deck_ids, start.settings):
            return start, None, conn
        conn.close()
    from quizapp.storage.appdata import open_app_data

    # The daily backup waits until the first card is on screen (see `Backend.back_up`).
    return start, open_app_data(ctx, start, backup=False).store, None


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
        self.data: StartData | None = None
        self._decks: dict[str, Deck] = {}
        self._cards = Cards(())
        self._keep: ItemFilter | None = None
        """The tag filter (`--tag`, `--without-tag`, `[study]`) over the loaded decks."""
        self._loading: Future[Started] | None = None
        self._backup: threading.Thread | None = None
        self._backup_asked = False
        self.quick_start = False
        """Whether the start found the database up to date and read the first queue
        without SQLAlchemy (`storage.quickstart`)."""
        # Owned by the database thread: the store, or until it is opened the plain
        # connection the start found good enough for the first queue.
        self._store: Store | None = None
        self._quick: sqlite3.Connection | None = None

    def start_loading(self) -> None:
        """Begin loading decks and opening the store now, while the UI is still starting."""
        if self._loading is None:
            self._loading = self._executor.submit(_start, self.ctx)

    def _opened(self) -> Store:
        """The store, opened (SQLAlchemy imported) the first time it is needed.

        Database thread only. The decks were found in sync at start, so it is not synced
        again; the plain connection of the start becomes the store's first connection, so
        the process keeps one connection to the file.
        """
        if self._store is None:
            from quizapp.storage.engine import open_store

            quick, self._quick = self._quick, None  # the store owns it, even if it fails
            self._store = open_store(self.ctx.db, connection=quick)
        return self._store

    def _sql(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work` (a `studysql` query) on the start's plain connection while the store is
        not open, else on the store's pooled sqlite3 connection: the same SQL either way.
        Database thread only."""
        if self._store is None and self._quick is not None:
            return work(self._quick)
        return self._opened().read_dbapi(work)

    def back_up(self) -> None:
        """Open the store if the start did not, then make today's backup (at most one a
        day) on a thread of its own, once.

        Called when the first card is on screen: a start never waits for SQLAlchemy or for
        a copy of the whole database. SQLite's online backup reads on its own connection
        while answers are written, and a backup that dies with the app leaves only a
        `.partial` file.
        """
        if self.data is None or self._backup_asked:
            return
        self._backup_asked = True

        def open_then_back_up() -> None:
            store = self._opened()
            import quizapp.storage.repository  # noqa: F401  (now, not at the first answer)

            self._backup = threading.Thread(
                target=_daily_backup, args=(store,), name="quizapp-backup", daemon=True
            )
            self._backup.start()

        # A store that fails to open here fails again, and is reported, on the next call.
        self._executor.submit(open_then_back_up)

    async def call(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(function, *args, **kwargs)
        )

    async def load(self) -> StartData:
        self.start_loading()
        assert self._loading is not None
        data, self._store, self._quick = await asyncio.wrap_future(self._loading)
        self.data = data
        self.quick_start = self._quick is not None
        self._cards = Cards(data.decks)
        self._decks = self._cards.decks
        self._keep = item_filter(data.decks, data.settings.tag_filter)
        return data

    @property
    def loaded(self) -> StartData:
        if self.data is None:
            raise RuntimeError("the decks are not loaded yet")
        return self.data

    async def with_store(
        self, function: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`function(store, ...)` on the database thread, the store opened if need be.

        The storage modules are imported inside such functions, on that thread: importing
        them on the UI thread would freeze the screen (SQLAlchemy takes a quarter second).
        """
        return await self.call(lambda: function(self._opened(), *args, **kwargs))

    @property
    def decks(self) -> tuple[Deck, ...]:
        return self.loaded.decks

    def deck(self, deck_id: str) -> Deck | None:
        return self._decks.get(deck_id)

    def find_deck(self, name: str) -> Deck | None:
        """A deck by id, else by title (case-insensitive)."""
        return self._decks.get(name) or find_deck(self.decks, name)

    def item(self, candidate: Candidate) -> Item | None:
        """The card behind a queue entry; None if its deck or card is gone."""
        return self._cards.item(candidate)

    def all_items(self, deck_ids: Sequence[str]) -> list[Candidate]:
        """Every item of the decks, regardless of schedule (what a quiz draws from), that
        the tag filter keeps."""
        found: list[Candidate] = []
        keep = self._keep
        for deck_id in deck_ids:
            deck = self._decks.get(deck_id)
            if deck is None:
                continue
            for card in deck.cards:
                for item_id in card.item_ids:
                    if keep is None or keep(deck.id, item_id):
                        found.append(Candidate(deck.id, item_id, None, len(found)))
        return found

    async def summaries(self, today: date) -> list[DeckSummary]:
        settings, keep = self.loaded.settings, self._keep

        def summaries() -> list[DeckSummary]:
            from quizapp.storage import studysql

            found = self._sql(lambda conn: studysql.deck_summaries(conn, today, settings, keep))
            if not self._fsrs_decks(None):
                return found
            from quizapp.storage.fsrs_schedule import with_fsrs_counts

            return self._sql(lambda conn: with_fsrs_counts(conn, found, settings, today))

        return await self.call(summaries)

    async def queue(
        self, deck_ids: Sequence[str] | None, today: date, seed: int
    ) -> tuple[list[Candidate], list[Candidate]]:
        """Today's queue for the decks, and which of its items are same-day repeats."""
        settings, keep = self.loaded.settings, self._keep

        def queue() -> tuple[list[Candidate], list[Candidate]]:
            from quizapp.storage import studysql

            candidates, pending = self._sql(
                lambda conn: studysql.queue_and_repeats(conn, deck_ids, today, settings, seed, keep)
            )
            fsrs_decks = self._fsrs_decks(deck_ids)
            if fsrs_decks:  # their same-day repeats follow FSRS's learning steps
                from quizapp.storage.fsrs_schedule import fsrs_steps, with_fsrs_steps

                def steps(conn: sqlite3.Connection) -> dict[str, list[Candidate]]:
                    return {deck: fsrs_steps(conn, deck, today) for deck in fsrs_decks}

                candidates, pending = with_fsrs_steps(candidates, pending, self._sql(steps))
                if keep is not None:  # FSRS's learning steps obey the tag filter too
                    candidates = [c for c in candidates if keep(c.deck_id, c.item_id)]
                    pending = [c for c in pending if keep(c.deck_id, c.item_id)]
            keys = {c.key for c in pending}
            return candidates, [c for c in candidates if c.key in keys]

        return await self.call(queue)

    async def sync_status(self) -> SyncStatus | None:
        """How device sync stands (None when no sync URL is configured)."""
        from quizapp.tui.autosync import read_status, sync_url

        if sync_url(self.loaded.settings) is None:
            return None
        return await self.call(lambda: self._sql(read_status))

    def _fsrs_decks(self, deck_ids: Sequence[str] | None) -> list[str]:
        """The decks among `deck_ids` (None: all loaded) that config.toml puts on FSRS."""
        settings = self.loaded.settings
        ids = list(deck_ids) if deck_ids is not None else list(self._decks)
        return [deck_id for deck_id in ids if settings.scheduler_for(deck_id) == "fsrs"]

    async def preview(self, candidate: Candidate, now: datetime, today: date, repeat: bool) -> str:
        """The next interval of the item for each grade, under its deck's scheduler
        ("0-2 10m · 3 15m · 4 1d · 5 8d"), as the grade buttons show it."""
        settings = self.loaded.settings

        def text(conn: sqlite3.Connection) -> str:
            from quizapp.storage.fsrs_schedule import preview_text

            deck_id, item_id = candidate.deck_id, candidate.item_id
            return preview_text(conn, settings, deck_id, item_id, now, today, repeat)

        def work() -> str:  # on the start's plain connection while the store is not open
            return self._sql(text)

        return await self.call(work)

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

        settings = self.loaded.settings

        def work(store: Store) -> AnswerRecord:
            from quizapp.storage.fsrs_store import record

            return record(  # SM-2's record_answer, or FSRS's for an FSRS deck
                store,
                settings,
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

        return await self.with_store(work)

    async def still_due(self, candidate: Candidate, today: date, *, repeat: bool = False) -> bool:
        """Whether to ask the card now: False if another quizapp answered it meanwhile."""

        if repeat and self._fsrs_decks([candidate.deck_id]):

            def fsrs_check(conn: sqlite3.Connection) -> bool:
                from quizapp.storage.fsrs_schedule import fsrs_still_due

                return fsrs_still_due(conn, candidate.deck_id, candidate.item_id, today)

            def check_fsrs() -> bool:
                return self._sql(fsrs_check)

            return await self.call(check_fsrs)

        def check() -> bool:
            from quizapp.storage import studysql

            return self._sql(
                lambda conn: studysql.still_due(
                    conn, candidate.deck_id, candidate.item_id, today, repeat=repeat
                )
            )

        return await self.call(check)

    async def undo(self, review_id: int, deck_id: str | None = None) -> None:
        settings = self.loaded.settings

        def work(store: Store) -> None:
            from quizapp.storage.fsrs_store import undo
            from quizapp.storage.repository import undo_answer

            if deck_id is None:
                undo_answer(store, review_id)
            else:
                undo(store, settings, review_id, deck_id)

        await self.with_store(work)

    async def bury(self, candidate: Candidate, until: date) -> None:
        def work(store: Store) -> None:
            from quizapp.storage.repository import bury

            bury(store, candidate.deck_id, candidate.item_id, until)

        await self.with_store(work)

    async def stats(self, today: date, deck_id: str | None) -> Stats:
        settings = self.loaded.settings

        def work(store: Store) -> Stats:
            from quizapp.storage.repository import stats

            return stats(store, today, deck_id, settings)

        return await self.with_store(work)

    async def predicted_retention(self, now: datetime, deck_id: str | None) -> float | None:
        """FSRS's predicted retention at `now` over the FSRS decks among `deck_id` (None: all
        decks); None when none of them uses FSRS."""
        settings = self.loaded.settings
        deck_ids = self._fsrs_decks(None if deck_id is None else [deck_id])
        if not deck_ids:
            return None

        def work(store: Store) -> float | None:
            from quizapp.storage.fsrs_store import predicted_retention

            return predicted_retention(store, deck_ids, settings, now)

        return await self.with_store(work)

    def close(self) -> None:
        """Finish what the database thread has queued, let a backup under way finish (it is
        not cut short), then close the store on that thread and stop it."""
        self._executor.submit(lambda: None).result()
        if self._backup is not None:
            self._backup.join()

        def close_all() -> None:
            if self._store is not None:
                self._store.close()
            if self._quick is not None:
                self._quick.close()

        self._executor.submit(close_all).result()
        self._executor.shutdown(wait=True)
