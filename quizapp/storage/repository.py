"""The progress store's public API: functions that return plain frozen dataclasses.

The TUI, the `decks`/`stats` commands and the Anki export read and write progress only
through these functions, so none of them ever holds an ORM row or a session.
Time is always passed in (`today`, `now`); nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.context import AppContext
    from quizapp.deck.model import Deck, LoadResult
    from quizapp.scheduling.queue import Candidate
    from quizapp.scheduling.settings import Settings
    from quizapp.scheduling.sm2 import Sm2State
    from quizapp.storage.engine import Store
    from quizapp.storage.sync import SyncReport

SESSION_KINDS = ("study", "quiz")


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


@dataclass(frozen=True, slots=True)
class DeckSummary:
    deck_id: str
    title: str
    cards: int
    """Active reviewable items (a cloze with 3 deletions counts 3)."""
    new: int
    """New items that today's queue will show (under the new-card limit)."""
    repeats: int
    """Step-7 repeats left today: items whose last study grade today is below 4."""
    due: int
    """Reviews due today (overdue included) that today's queue will show."""
    total_today: int


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    review_id: int
    before: Sm2State
    after: Sm2State


@dataclass(frozen=True, slots=True)
class ItemProgress:
    deck_id: str
    item_id: str
    card_id: str
    repetitions: int
    interval: int
    easiness: Decimal
    due: date | None
    """None while the item is new (never reviewed in a study session)."""
    lapses: int
    reviews: int
    """Log rows of this item (study and quiz, repeats included)."""
    last_review: datetime | None
    """UTC-aware timestamp of the last answer that changed the SM-2 state."""
    buried_until: date | None = None
    kind: str = ""
    position: int = 0


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    id: int
    deck_id: str
    item_id: str
    card_id: str
    reviewed_at: datetime
    """UTC-aware."""
    day: date
    """The study day the answer counted for."""
    grade: int
    typed_answer: str | None
    correct: bool | None
    duration_ms: int
    before: Sm2State
    after: Sm2State
    lapses_before: int
    lapses_after: int
    session_kind: str
    repeat: bool


@dataclass(frozen=True, slots=True)
class Stats:
    deck_id: str | None
    due_today: int
    """Items due today or overdue."""
    due_tomorrow: int
    """Due within 1 day (cumulative: includes today's)."""
    due_7_days: int
    """Due within 7 days (cumulative)."""
    due_30_days: int
    """Due within 30 days (cumulative)."""
    reviews_today: int
    """Answers logged today (study and quiz, repeats included)."""
    retention_30_days: float | None
    """Share of study reviews of the last 30 days graded >= 3; None without reviews."""
    streak: int
    """Consecutive study days with a study review, ending today or yesterday."""
    forecast: tuple[int, ...] = ()
    """30 entries: [0] due today or overdue, [i] due exactly on today + i days."""
    reviews_per_day: dict[date, int] = field(default_factory=dict)
    """Answers per study day for the last 182 days (days without reviews are absent)."""


def load_app_data(ctx: AppContext) -> AppData:
    """Load decks and settings, open the store and sync the good decks."""
    raise NotImplementedError


def deck_summaries(store: Store, today: date, settings: Settings) -> list[DeckSummary]:
    raise NotImplementedError


def todays_queue(
    store: Store, deck_ids: Sequence[str] | None, today: date, settings: Settings, seed: int
) -> list[Candidate]:
    raise NotImplementedError


def record_answer(
    store: Store,
    *,
    deck_id: str,
    item_id: str,
    grade: int,
    typed_answer: str | None,
    correct: bool | None,
    duration_ms: int,
    now: datetime,
    today: date,
    session_kind: str = "study",
    repeat: bool = False,
) -> AnswerRecord:
    raise NotImplementedError


def undo_answer(store: Store, review_id: int) -> None:
    raise NotImplementedError


def bury(store: Store, deck_id: str, item_id: str, until: date) -> None:
    raise NotImplementedError


def item_state(store: Store, deck_id: str, item_id: str) -> ItemProgress | None:
    raise NotImplementedError


def progress(store: Store, deck_ids: Sequence[str] | None = None) -> list[ItemProgress]:
    raise NotImplementedError


def review_log(store: Store, deck_ids: Sequence[str] | None = None) -> list[ReviewRecord]:
    raise NotImplementedError


def stats(store: Store, today: date, deck_id: str | None, settings: Settings) -> Stats:
    raise NotImplementedError
