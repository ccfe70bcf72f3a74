"""SM-2 progress in the store: start-up data, answers, undo, bury and suspend, progress, stats.

`load_app_data`/`open_app_data` open the store, back it up, sync the decks and reconcile FSRS
decks; `record_answer` is the answer's one write transaction (three statements on the sqlite3
connection, `Store.write_dbapi`); `undo_answer`, `bury`, `suspend` write; `progress`,
`review_log`, `stats` and `deck_summaries` read. Every result is frozen dataclasses or counts,
never an ORM row or a session.

It is not the only module callers use: the study queue and the home counts are `studysql`'s
SQL (run by the study app on the quick start's or the store's connection), FSRS decks go
through `fsrs_store` and `fsrs_schedule`, `decks`/`stats` print through `reports`, and the
export reads the columns it needs with `export.history`. Time is passed in (`today`, `now`);
only `utc_now`, the command layer's clock, reads it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from quizapp.errors import QuizappError
from quizapp.scheduling.queue import SUSPENDED_UNTIL
from quizapp.scheduling.settings import Settings
from quizapp.scheduling.sm2 import (
    PASSING_GRADE,
    Sm2State,
    check_grade,
    is_lapse,
    review,
)
from quizapp.scheduling.tags import ItemFilter
from quizapp.storage import studysql
from quizapp.storage.dbapi import Conversions, conversions
from quizapp.storage.engine import Store, open_store
from quizapp.storage.events import (
    add_bury,
    add_undo,
    event_id_at,
    now_utc,
    row_removed,
    write_bury,
)
from quizapp.storage.models import CardRow, CardStateRow, DeckRow, ReviewRow
from quizapp.storage.studysql import DeckSummary
from quizapp.storage.sync import SyncReport, sync_decks

if TYPE_CHECKING:
    import sqlite3


__all__ = [
    "SESSION_KINDS",
    "SUSPENDED_UNTIL",
    "AnswerRecord",
    "DeckSummary",
    "ItemProgress",
    "ReviewRecord",
    "Stats",
    "Store",
    "SyncReport",
    "bury",
    "deck_summaries",
    "open_store",
    "progress",
    "record_answer",
    "review_log",
    "stats",
    "suspend",
    "suspended_counts",
    "sync_decks",
    "undo_answer",
]

SESSION_KINDS = ("study", "quiz")


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

    @property
    def suspended(self) -> bool:
        return self.buried_until == SUSPENDED_UNTIL


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
    """Share of the study reviews of the last 30 days (today included; not same-day
    repeats) graded >= 3; None without reviews."""
    streak: int
    """Consecutive study days with a study review, ending today or yesterday."""
    forecast: tuple[int, ...] = ()
    """30 entries: [0] due today or overdue, [i] due exactly on today + i days."""
    reviews_per_day: dict[date, int] = field(default_factory=dict)
    """Answers per study day for the last 182 days (days without reviews are absent)."""
    reviews_30_days: int = 0
    """The study reviews the retention is computed on."""


# --- shared query pieces -------------------------------------------------------------------


def _live_items(deck_ids: Sequence[str] | None) -> Any:
    """Active items of active decks (optionally of some decks), with their state if any."""
    query = (
        select(CardRow, CardStateRow)
        .join(DeckRow, and_(DeckRow.id == CardRow.deck_id, DeckRow.active))
        .outerjoin(
            CardStateRow,
            and_(CardStateRow.deck_id == CardRow.deck_id, CardStateRow.item_id == CardRow.item_id),
        )
        .where(CardRow.active)
    )
    if deck_ids is not None:
        query = query.where(CardRow.deck_id.in_(list(deck_ids)))
    return query


def _study_today(today: date) -> Any:
    return and_(ReviewRow.day == today, ReviewRow.session_kind == "study")


def _state(row: CardStateRow | None) -> Sm2State:
    if row is None:
        return Sm2State()
    return Sm2State.from_thousandths(row.repetitions, row.interval, row.easiness_milli, row.due)


# --- the study queue ---------------------------------------------------------------------


def deck_summaries(
    store: Store, today: date, settings: Settings, keep: ItemFilter | None = None
) -> list[DeckSummary]:
    """Per active deck (by id): its items and what today's queue holds, from ONE query.

    `new` and `due` are what `todays_queue` on that deck alone would show: capped by the
    deck's new-card limit and by its own and the global review limits, less today's answers.
    The query is `studysql.deck_summaries`, the one the study app's home screen runs; `keep`
    is its tag filter (`scheduling.tags.item_filter`).
    """
    return store.read_dbapi(lambda conn: studysql.deck_summaries(conn, today, settings, keep))


def study_reviews_today(store: Store, today: date) -> int:
    """Today's study answers that count against the daily review limit (not the repeats)."""
    query = select(func.count(ReviewRow.id)).where(_study_today(today), ReviewRow.repeat.is_(False))
    with store.read() as session:
        return session.scalar(query) or 0


# --- answers -------------------------------------------------------------------------------


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
    """Log one answer and (a study answer that is not a repeat) apply SM-2; one commit.

    Quiz answers and same-day repeats are logged but never change the SM-2 state. A failed
    review (grade < 3) of an item recalled at its last review counts a lapse.
    """
    answer = _Answer(
        conversions(store.engine.dialect),
        deck_id,
        item_id,
        grade,
        typed_answer,
        correct,
        duration_ms,
        now,
        today,
        session_kind,
        repeat,
    )
    return store.write_dbapi(answer.record)


# An answer's statements, for `Store.write_dbapi` (?1 deck, ?2 item, ?3 day).
# The unary + keeps SQLite off ix_review_log_kind_day for the reviewed-today test: that index
# would read every study answer of the day so far (183 us per answer after 1,845 of them, at
# 100,000 items); ix_review_log_item reads only this item's answers (16 on average: 11 us).
_ANSWER_STATE_SQL = (
    "SELECT card_state.repetitions, card_state.interval, card_state.easiness_milli,"
    " card_state.due, card_state.lapses, card_state.last_review,"
    " EXISTS (SELECT review_log.id FROM review_log WHERE review_log.deck_id = ?1"
    " AND review_log.item_id = ?2 AND +review_log.day = ?3"
    " AND +review_log.session_kind = 'study' AND review_log.repeat IS 0),"
    " (SELECT review_log.reviewed_at FROM review_log"
    " WHERE review_log.deck_id = ?1 AND review_log.item_id = ?2 ORDER BY review_log.id DESC"
    " LIMIT 1),"
    " (SELECT max(sync_events.at) FROM sync_events WHERE sync_events.deck_id = ?1"
    " AND sync_events.item_id = ?2 AND sync_events.kind = 'seed')"
    " FROM cards LEFT OUTER JOIN card_state ON card_state.deck_id = cards.deck_id"
    " AND card_state.item_id = cards.item_id"
    " WHERE cards.deck_id = ?1 AND cards.item_id = ?2"
)
_UPDATE_STATE_SQL = (
    "UPDATE card_state SET repetitions = ?, interval = ?, easiness_milli = ?, due = ?,"
    " lapses = ?, last_review = ? WHERE card_state.deck_id = ? AND card_state.item_id = ?"
)
_INSERT_STATE_SQL = (
    "INSERT INTO card_state (repetitions, interval, easiness_milli, due, lapses, last_review,"
    " deck_id, item_id, buried_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)"
)
_INSERT_REVIEW_SQL = (
    "INSERT INTO review_log (deck_id, item_id, reviewed_at, day, grade, typed_answer, correct,"
    " duration_ms, session_kind, repeat, repetitions_before, interval_before,"
    " easiness_milli_before, due_before, lapses_before, last_review_before, repetitions_after,"
    " interval_after, easiness_milli_after, due_after, lapses_after, event_id, asked_repeat)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True, slots=True)
class _Answer:
    """One `record_answer` call on a sqlite3 connection: its statements and values, checked
    when made (a bad grade, session kind, naive time or negative duration is a ValueError)."""

    convert: Conversions
    deck_id: str
    item_id: str
    grade: int
    typed_answer: str | None
    correct: bool | None
    duration_ms: int
    now: datetime
    today: date
    session_kind: str
    repeat: bool

    def __post_init__(self) -> None:
        check_grade(self.grade)
        if self.session_kind not in SESSION_KINDS:
            raise ValueError(
                f"session_kind must be one of {SESSION_KINDS}, not {self.session_kind!r}"
            )
        if self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware (UTC)")
        if self.duration_ms < 0:
            raise ValueError(f"duration_ms must be >= 0, not {self.duration_ms}")

    def record(self, conn: sqlite3.Connection) -> AnswerRecord:
        convert, deck_id, item_id = self.convert, self.deck_id, self.item_id
        today = convert.date_in(self.today)
        found = conn.execute(_ANSWER_STATE_SQL, (deck_id, item_id, today)).fetchone()
        if found is None:
            raise QuizappError(f"no item {item_id!r} in deck {deck_id!r}")
        repetitions, interval, easiness_milli, due, lapses, last_review, reviewed, last, seeded = (
            found
        )
        if seeded is not None and (last is None or seeded > last):
            last = seeded  # an import's seed covers the answers up to its time: come after it
        has_state = repetitions is not None
        if has_state:
            before = Sm2State.from_thousandths(
                repetitions, interval, easiness_milli, convert.date_out(due)
            )
            lapses_before = lapses
            last_review_before = convert.time_in(convert.time_out(last_review))
        else:
            before, lapses_before, last_review_before = Sm2State(), 0, None
        after, lapses_after = before, lapses_before
        study = self.session_kind == "study"
        is_repeat = self.repeat or (study and bool(reviewed))
        moment = self.now
        now = convert.time_in(moment)
        if last is not None and last >= now:
            # Answer order is causal: an answer comes after every answer (and seed) of the
            # item this device holds (one synced from a device whose clock is ahead, or another
            # terminal's a moment ago), so it is logged just after the latest.
            moment = convert.time_out(last) + timedelta(microseconds=1)
            now = convert.time_in(moment)
        event_id = event_id_at(moment)
        if study and not is_repeat:
            after = review(before, self.grade, self.today)
            lapses_after += int(is_lapse(before, self.grade))
            values = (
                after.repetitions,
                after.interval,
                after.easiness_thousandths,
                convert.date_in(after.due),
                lapses_after,
                now,
                deck_id,
                item_id,
            )
            conn.execute(_UPDATE_STATE_SQL if has_state else _INSERT_STATE_SQL, values)
        cursor = conn.execute(
            _INSERT_REVIEW_SQL,
            (
                deck_id,
                item_id,
                now,
                today,
                self.grade,
                self.typed_answer,
                convert.bool_in(self.correct),
                self.duration_ms,
                self.session_kind,
                convert.bool_in(is_repeat),
                before.repetitions,
                before.interval,
                before.easiness_thousandths,
                convert.date_in(before.due),
                lapses_before,
                last_review_before,
                after.repetitions,
                after.interval,
                after.easiness_thousandths,
                convert.date_in(after.due),
                lapses_after,
                event_id,
                convert.bool_in(self.repeat),
            ),
        )
        review_id = cursor.lastrowid
        assert isinstance(review_id, int)
        return AnswerRecord(review_id=review_id, before=before, after=after)


def undo_answer(store: Store, review_id: int, *, now: datetime | None = None) -> None:
    """Remove an answer from the log and put the item's state back as it was before it.

    Only an item's latest answer can be undone (later answers were built on it). An undo
    event naming the answer is kept for device sync (`storage.events`).
    """
    when = now_utc() if now is None else now
    convert = conversions(store.engine.dialect)

    def work(session: Session) -> None:
        log = session.get(ReviewRow, review_id)
        if log is None:
            raise QuizappError(f"no answer {review_id} to undo")
        later = session.scalar(
            select(func.count(ReviewRow.id)).where(
                ReviewRow.deck_id == log.deck_id,
                ReviewRow.item_id == log.item_id,
                ReviewRow.id > log.id,
            )
        )
        if later:
            raise QuizappError(
                f"{log.item_id!r} was answered again since (in another terminal?) and only "
                "its latest answer can be undone: nothing was changed"
            )
        if log.session_kind == "study" and not log.repeat:
            row = session.get(CardStateRow, (log.deck_id, log.item_id))
            if row is not None:
                row.repetitions = log.repetitions_before
                row.interval = log.interval_before
                row.easiness_milli = log.easiness_milli_before
                row.due = log.due_before
                row.lapses = log.lapses_before
                row.last_review = log.last_review_before
        raw: sqlite3.Connection = session.connection().connection.driver_connection  # type: ignore[assignment]
        add_undo(raw, convert, log.event_id, log.deck_id, log.item_id, when)
        row_removed(raw, log.id)
        session.delete(log)

    store.write(work)


def bury(
    store: Store, deck_id: str, item_id: str, until: date, *, now: datetime | None = None
) -> None:
    """Leave the item out of queues on days before `until` (its SM-2 state is unchanged).

    A bury event is kept for device sync: an item's burial is its latest bury event."""
    when = now_utc() if now is None else now
    convert = conversions(store.engine.dialect)

    def work(session: Session) -> None:
        if session.get(CardRow, (deck_id, item_id)) is None:
            raise QuizappError(f"no item {item_id!r} in deck {deck_id!r}")
        row = session.get(CardStateRow, (deck_id, item_id))
        if row is None:
            row = CardStateRow(
                deck_id=deck_id,
                item_id=item_id,
                repetitions=0,
                interval=0,
                easiness_milli=Sm2State().easiness_thousandths,
                due=None,
                lapses=0,
            )
            session.add(row)
        session.flush()
        raw: sqlite3.Connection = session.connection().connection.driver_connection  # type: ignore[assignment]
        add_bury(raw, convert, deck_id, item_id, until, when)
        # The burial is the latest bury event: another device's, if its clock said later.
        write_bury(raw, deck_id, item_id)

    store.write(work)


def suspend(store: Store, deck_id: str, item_id: str, *, now: datetime | None = None) -> None:
    """Leave the item out of study until it is unsuspended (its SM-2 state is unchanged)."""
    bury(store, deck_id, item_id, SUSPENDED_UNTIL, now=now)


def suspended_counts(store: Store) -> dict[str, int]:
    """Suspended active items per active deck (decks without any are absent)."""
    query = (
        select(CardRow.deck_id, func.count())
        .join(DeckRow, and_(DeckRow.id == CardRow.deck_id, DeckRow.active))
        .join(
            CardStateRow,
            and_(CardStateRow.deck_id == CardRow.deck_id, CardStateRow.item_id == CardRow.item_id),
        )
        .where(CardRow.active, CardStateRow.buried_until == SUSPENDED_UNTIL)
        .group_by(CardRow.deck_id)
    )
    with store.read() as session:
        return {deck_id: count for deck_id, count in session.execute(query)}


# --- progress for the export ---------------------------------------------------------------


def _progress_query(deck_ids: Sequence[str] | None) -> Any:
    reviews = (
        select(func.count(ReviewRow.id))
        .where(ReviewRow.deck_id == CardRow.deck_id, ReviewRow.item_id == CardRow.item_id)
        .scalar_subquery()
    )
    return _live_items(deck_ids).add_columns(reviews).order_by(CardRow.deck_id, CardRow.position)


def _progress(card: CardRow, state: CardStateRow | None, reviews: int) -> ItemProgress:
    sm2 = _state(state)
    return ItemProgress(
        deck_id=card.deck_id,
        item_id=card.item_id,
        card_id=card.card_id,
        repetitions=sm2.repetitions,
        interval=sm2.interval,
        easiness=sm2.easiness,
        due=sm2.due,
        lapses=state.lapses if state is not None else 0,
        reviews=reviews,
        last_review=state.last_review if state is not None else None,
        buried_until=state.buried_until if state is not None else None,
        kind=card.kind,
        position=card.position,
    )


def progress(store: Store, deck_ids: Sequence[str] | None = None) -> list[ItemProgress]:
    """Every active item of the decks (None: all active decks), by deck id then position."""
    with store.read() as session:
        rows = session.execute(_progress_query(deck_ids)).all()
    return [_progress(*row) for row in rows]


def review_log(store: Store, deck_ids: Sequence[str] | None = None) -> list[ReviewRecord]:
    """Every logged answer of the decks (None: all), oldest first."""
    query = select(ReviewRow, CardRow.card_id).join(
        CardRow, and_(CardRow.deck_id == ReviewRow.deck_id, CardRow.item_id == ReviewRow.item_id)
    )
    if deck_ids is not None:
        query = query.where(ReviewRow.deck_id.in_(list(deck_ids)))
    with store.read() as session:
        rows = session.execute(query.order_by(ReviewRow.id)).all()
    return [_record(log, card_id) for log, card_id in rows]


def _record(log: ReviewRow, card_id: str) -> ReviewRecord:
    return ReviewRecord(
        id=log.id,
        deck_id=log.deck_id,
        item_id=log.item_id,
        card_id=card_id,
        reviewed_at=log.reviewed_at,
        day=log.day,
        grade=log.grade,
        typed_answer=log.typed_answer,
        correct=log.correct,
        duration_ms=log.duration_ms,
        before=Sm2State.from_thousandths(
            log.repetitions_before,
            log.interval_before,
            log.easiness_milli_before,
            log.due_before,
        ),
        after=Sm2State.from_thousandths(
            log.repetitions_after, log.interval_after, log.easiness_milli_after, log.due_after
        ),
        lapses_before=log.lapses_before,
        lapses_after=log.lapses_after,
        session_kind=log.session_kind,
        repeat=log.repeat,
    )


# --- statistics ----------------------------------------------------------------------------

FORECAST_DAYS = 30
HISTORY_DAYS = 182
RETENTION_DAYS = 30


def stats(store: Store, today: date, deck_id: str | None, settings: Settings) -> Stats:
    """Due counts, today's answers, 30-day retention, streak, forecast and history.

    Due counts are cumulative ("within N days", overdue included); a buried item counts
    from the day its burial ends. Raises QuizappError (exit code 2) for an unknown deck.
    `settings` is accepted for future limits; the counts here are not capped by limits.
    """
    deck_ids = None if deck_id is None else [deck_id]
    effective_due = case(
        (CardStateRow.buried_until > CardStateRow.due, CardStateRow.buried_until),
        else_=CardStateRow.due,
    )
    horizon = today + timedelta(days=FORECAST_DAYS)
    due_query = (
        _live_items(deck_ids)
        .with_only_columns(effective_due, func.count())
        .where(CardStateRow.due.is_not(None), effective_due <= horizon)
        .group_by(effective_due)
    )
    history = select(ReviewRow.day, func.count(ReviewRow.id)).where(
        ReviewRow.day > today - timedelta(days=HISTORY_DAYS), ReviewRow.day <= today
    )
    since = today - timedelta(days=RETENTION_DAYS)
    retention = select(
        func.count(ReviewRow.id),
        func.coalesce(func.sum(case((ReviewRow.grade >= PASSING_GRADE, 1), else_=0)), 0),
    ).where(
        ReviewRow.session_kind == "study",
        ReviewRow.repeat.is_(False),
        ReviewRow.day > since,
        ReviewRow.day <= today,
    )
    study_days = select(ReviewRow.day).where(
        ReviewRow.session_kind == "study", ReviewRow.day <= today
    )
    if deck_id is not None:
        history = history.where(ReviewRow.deck_id == deck_id)
        retention = retention.where(ReviewRow.deck_id == deck_id)
        study_days = study_days.where(ReviewRow.deck_id == deck_id)
    with store.read() as session:
        if deck_id is not None:
            known = session.scalar(select(DeckRow.id).where(DeckRow.id == deck_id, DeckRow.active))
            if known is None:
                names = session.scalars(
                    select(DeckRow.id).where(DeckRow.active).order_by(DeckRow.id)
                ).all()
                raise QuizappError(
                    f"no deck {deck_id!r} (decks: {', '.join(names) or 'none'})", exit_code=2
                )
        due_rows = session.execute(due_query).all()
        per_day = dict(session.execute(history.group_by(ReviewRow.day)).all())
        total, passed = session.execute(retention).one()
        days = set(session.scalars(study_days.distinct()).all())
    by_day: dict[date, int] = {}
    for day, count in due_rows:
        by_day[max(day, today)] = by_day.get(max(day, today), 0) + count

    def within(n: int) -> int:
        return sum(count for day, count in by_day.items() if day <= today + timedelta(days=n))

    forecast = tuple(by_day.get(today + timedelta(days=i), 0) for i in range(FORECAST_DAYS))
    return Stats(
        deck_id=deck_id,
        due_today=within(0),
        due_tomorrow=within(1),
        due_7_days=within(7),
        due_30_days=within(30),
        reviews_today=per_day.get(today, 0),
        retention_30_days=None if not total else passed / total,
        streak=_streak(days, today),
        forecast=forecast,
        reviews_per_day=per_day,
        reviews_30_days=total,
    )


def _streak(days: set[date], today: date) -> int:
    """Consecutive days with a study answer, ending today (or yesterday, if none today)."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def utc_now() -> datetime:
    """The current time, aware, in UTC: for the command layer (never for pure code)."""
    return datetime.now(UTC)
