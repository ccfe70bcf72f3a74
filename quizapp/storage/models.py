"""The progress schema as SQLAlchemy 2 typed ORM models.

Rows are keyed on what deck authors promise never to change: the deck id and the item id
(a card id, or `card-id#cN` for one cloze deletion). Easiness is stored exactly, as an
integer number of thousandths (2.5 -> 2500), so SM-2 arithmetic never drifts.
The Alembic revisions in `migrations/versions` must describe exactly these tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from quizapp.storage.dberrors import UnreadableValueError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _checked(read: Callable[[Any], Any] | None, what: str) -> Callable[[Any], Any] | None:
    """`read` (a column's result processor), raising UnreadableValueError, a QuizappError,
    for text it cannot parse (edited into the database by hand) instead of a ValueError."""
    if read is None:
        return None

    def checked(value: Any) -> Any:
        try:
            return read(value)
        except (ValueError, TypeError):
            raise UnreadableValueError(value, what) from None

    return checked


class ISODate(TypeDecorator[date]):
    """A date, stored as ISO text; text that is not one is reported, not a crash."""

    impl = Date
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        # Wraps the inner processing (see _checked), which TypeDecorator would otherwise do.
        return _checked(self.impl_instance.result_processor(dialect, coltype), "a date")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out; stored naive (SQLite has no zones)."""

    impl = DateTime
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        return _checked(super().result_processor(dialect, coltype), "a time")

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


RANDOM_EVENT_ID = "(lower(hex(randomblob(16))))"
"""SQLite's default for an event id: 32 random hex digits, like `events.new_event_id`'s."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DeckRow(Base):
    __tablename__ = "decks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    """sha256 of the deck file: equal hash means nothing to sync for this deck."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CardRow(Base):
    """One reviewable item: a card, or one deletion of a cloze card."""

    __tablename__ = "cards"

    deck_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    card_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64))
    """sha256 of the card's content: equal hash means nothing to update for this item."""
    position: Mapped[int] = mapped_column(Integer)
    """Order of the item in its deck (new items are introduced in this order)."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CardStateRow(Base):
    """SM-2 state of an item; absent (or `due` NULL) while the item is new."""

    __tablename__ = "card_state"
    __table_args__ = (
        ForeignKeyConstraint(
            ["deck_id", "item_id"], ["cards.deck_id", "cards.item_id"], ondelete="CASCADE"
        ),
        Index("ix_card_state_deck_due", "deck_id", "due"),
    )

    deck_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    repetitions: Mapped[int] = mapped_column(Integer, default=0)
    interval: Mapped[int] = mapped_column(Integer, default=0)
    easiness_milli: Mapped[int] = mapped_column(Integer, default=2500)
    due: Mapped[date | None] = mapped_column(ISODate)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    buried_until: Mapped[date | None] = mapped_column(ISODate)
    """The item is left out of queues on days before this date."""


class ReviewRow(Base):
    """One answer, with the SM-2 state before and after: undo, statistics and export."""

    __tablename__ = "review_log"
    __table_args__ = (
        ForeignKeyConstraint(
            ["deck_id", "item_id"], ["cards.deck_id", "cards.item_id"], ondelete="CASCADE"
        ),
        CheckConstraint("session_kind IN ('study', 'quiz')", name="session_kind"),
        CheckConstraint("grade BETWEEN 0 AND 5", name="grade"),
        CheckConstraint("duration_ms >= 0", name="duration_ms"),
        Index("ix_review_log_day", "day", "deck_id"),
        Index("ix_review_log_kind_day", "session_kind", "day"),
        Index("ix_review_log_reviewed_at", "reviewed_at"),
        Index("ix_review_log_item", "deck_id", "item_id", "id"),
        Index("ix_review_log_event_id", "event_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    deck_id: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(80))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date] = mapped_column(ISODate)
    """The study day (with the rollover hour) the answer counts for."""
    grade: Mapped[int] = mapped_column(Integer)
    typed_answer: Mapped[str | None] = mapped_column(Text)
    correct: Mapped[bool | None] = mapped_column(Boolean)
    duration_ms: Mapped[int] = mapped_column(Integer)
    session_kind: Mapped[str] = mapped_column(String(8))
    repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    repetitions_before: Mapped[int] = mapped_column(Integer)
    interval_before: Mapped[int] = mapped_column(Integer)
    easiness_milli_before: Mapped[int] = mapped_column(Integer)
    due_before: Mapped[date | None] = mapped_column(ISODate)
    lapses_before: Mapped[int] = mapped_column(Integer)
    last_review_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    repetitions_after: Mapped[int] = mapped_column(Integer)
    interval_after: Mapped[int] = mapped_column(Integer)
    easiness_milli_after: Mapped[int] = mapped_column(Integer)
    due_after: Mapped[date | None] = mapped_column(ISODate)
    lapses_after: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(String(36), server_default=text(RANDOM_EVENT_ID))
    """The answer's globally unique id (`storage.events.new_event_id`): what sync exchanges.
    A row written without one (the Anki import) gets a random one from SQLite."""
    device: Mapped[str | None] = mapped_column(String(36))
    """The device the answer was made on; None: this one (`sync_state` 'device')."""
    asked_repeat: Mapped[bool | None] = mapped_column(Boolean)
    """The app asked it as a repeat; None: as `repeat` says. `repeat` is this, or a second
    plain study answer of the item on its study day (see `scheduling.replay`)."""
    sent: Mapped[bool] = mapped_column(Boolean, server_default=text("0"))
    """The sync remote has it (pulled from it, or pushed to it)."""


class SyncEventRow(Base):
    """Device-sync events that are not (yet) a row of `review_log`.

    Undo, bury and seed events, kept for good (an undo names the answer it cancels; an item's
    burial is its latest bury event; its replay starts from its latest seed), and answers
    pulled for items this device does not have (their deck was not pulled yet): they wait
    here and are applied once the item exists.
    See `storage.events`.
    """

    __tablename__ = "sync_events"
    __table_args__ = (
        CheckConstraint("kind IN ('answer', 'undo', 'bury', 'seed')", name="kind"),
        Index("ix_sync_events_item", "deck_id", "item_id"),
        Index("ix_sync_events_target", "target"),
        Index("ix_sync_events_unsent", "sent", sqlite_where=text("sent = 0")),
    )

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    deck_id: Mapped[str | None] = mapped_column(String(64))
    item_id: Mapped[str | None] = mapped_column(String(80))
    target: Mapped[str | None] = mapped_column(String(36))
    """undo: the event id of the answer it cancels."""
    until: Mapped[date | None] = mapped_column(ISODate)
    """bury: the item is left out of queues on days before this date (None: unburied)."""
    day: Mapped[date | None] = mapped_column(ISODate)
    grade: Mapped[int | None] = mapped_column(Integer)
    typed_answer: Mapped[str | None] = mapped_column(Text)
    correct: Mapped[bool | None] = mapped_column(Boolean)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    session_kind: Mapped[str | None] = mapped_column(String(8))
    asked_repeat: Mapped[bool | None] = mapped_column(Boolean)
    sent: Mapped[bool] = mapped_column(Boolean, server_default=text("0"))
    payload: Mapped[str | None] = mapped_column(Text)
    """seed: the state an import left for the item, as JSON (`events.seed_payload`)."""


class SyncStateRow(Base):
    """Device sync's small facts: this device's id, the remote last synced and how far."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DeckSchedulerRow(Base):
    """Per deck: the schedule its `card_state.due` follows, and FSRS parameters fitted to it.

    `schedule` is "sm2" or an FSRS key (`FsrsConfig.key`); a missing row means "sm2". The row
    with deck id "" holds the parameters fitted on all decks. See `storage.fsrs_store`.
    """

    __tablename__ = "deck_scheduler"

    deck_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    schedule: Mapped[str | None] = mapped_column(String(80))
    parameters: Mapped[str | None] = mapped_column(Text)
    """JSON list of the 21 fitted FSRS parameters; None: FSRS's defaults."""
    fitted_reviews: Mapped[int | None] = mapped_column(Integer)
    fitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FsrsSeedRow(Base):
    """An item's FSRS memory state as another app left it (Anki's card data, on import): the
    state FSRS's replay of the item starts from.

    Replay stays the rule: the item's FSRS state is this seed, then every study answer logged
    after `covers_until` replayed on top (the answers at or before it are the history the seed
    already holds, often partial in Anki). `sm2_due` is the SM-2 due day the import set, which
    a deck switched back to SM-2 gets again while no later answer moved SM-2. See
    `storage.fsrs_schedule.Seed`.
    """

    __tablename__ = "fsrs_seed"
    __table_args__ = (
        ForeignKeyConstraint(
            ["deck_id", "item_id"], ["cards.deck_id", "cards.item_id"], ondelete="CASCADE"
        ),
        CheckConstraint("state IN (1, 2, 3)", name="state"),
    )

    deck_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    state: Mapped[int] = mapped_column(Integer)
    """py-fsrs's State: 1 learning, 2 review, 3 relearning."""
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float] = mapped_column(Float)
    difficulty: Mapped[float] = mapped_column(Float)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime] = mapped_column(UTCDateTime)
    """The start of the study day of the last review: Anki counts elapsed time in days."""
    covers_until: Mapped[datetime] = mapped_column(UTCDateTime)
    sm2_due: Mapped[date | None] = mapped_column(ISODate)
    source: Mapped[str] = mapped_column(String(16))
    """Where the state came from ("anki")."""
    seeded_at: Mapped[datetime] = mapped_column(UTCDateTime)
