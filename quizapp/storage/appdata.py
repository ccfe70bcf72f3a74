"""Start-up of a command or the study app: decks and settings loaded, the store opened, the
decks synced and the schedulers reconciled (`AppData`).

Above both the SM-2 store (`repository`) and the FSRS one (`fsrs_store`), which builds on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizapp.storage.engine import Store, open_store
from quizapp.storage.fsrs_store import reconcile
from quizapp.storage.sync import SyncReport, sync_decks

if TYPE_CHECKING:
    from quizapp.context import AppContext
    from quizapp.deck.model import Deck, LoadResult
    from quizapp.scheduling.settings import Settings
    from quizapp.storage.quickstart import StartData


@dataclass(frozen=True, slots=True)
class AppData:
    """Everything a command or the study app needs after start-up."""

    store: Store
    results: tuple[LoadResult, ...]
    """Every load result, failed decks included (to show their problems)."""
    decks: tuple[Deck, ...]
    """The decks that loaded without errors, in load order; these were synced."""
    settings: Settings
    sync: SyncReport


def load_app_data(ctx: AppContext, *, backup: bool = True) -> AppData:
    """Load decks and settings, open the store and sync the good decks.

    Failed decks are in `results` (to show their problems) and never reach the database.
    The database is backed up first, at most once a day (see `storage.backup`), unless
    `backup` is False: the study app makes that backup once its first card is on screen.
    """
    from quizapp.storage.quickstart import load_start

    return open_app_data(ctx, load_start(ctx), backup=backup)


def open_app_data(ctx: AppContext, start: StartData, *, backup: bool = True) -> AppData:
    """`load_app_data` for decks and settings already loaded: open, back up, sync."""
    from quizapp.storage.backup import daily_backup_of

    results, decks, settings = start.results, start.decks, start.settings
    store = open_store(ctx.db)
    try:
        if backup:
            daily_backup_of(store)  # at most once a day; never stops the app from starting
        report = sync_decks(store, decks)
        reconcile(store, [deck.id for deck in decks], settings)  # a scheduler switched: replay
    except BaseException:
        store.close()
        raise
    return AppData(store=store, results=results, decks=decks, settings=settings, sync=report)
