"""Anki's scheduling as quizapp progress: days, card states and the review log. Pure.

How Anki's columns map (the README's "Import from Anki" says the same for users):

- Anki counts days since the collection's creation (`crt`), with its own rollover hour and the
  creation time zone; `anki_today` is that count for a moment, as Anki computes it. A review
  card due on Anki day D is due `D - anki_today` days after quizapp's today: the same day Anki
  shows. Cards in a filtered deck use their original due (`odue`).
- A review card becomes an SM-2 state: interval = `ivl`, easiness = `factor` / 1000 (never
  below 1.3; 2.5 when Anki has none), repetitions = `reps`, lapses = `lapses`.
- Learning cards (type 1) come due today as new-to-SM-2 items (repetitions 0, interval 0);
  relearning cards (type 3) come due today keeping their interval and lapses.
- New cards stay new. Suspended cards (queue -1) are suspended in quizapp too.
- FSRS collections: the due day and interval are kept as they are (SM-2 takes over from the
  next answer under SM-2). Each studied card's FSRS memory state (card data "s", "d", last
  review "lrt") becomes the item's FSRS seed (`memory_state`), which quizapp's FSRS replay
  starts from, so a deck studied with FSRS goes on from where Anki left it.
- Each revlog answer becomes a review log row: ease 1 Again -> grade 1, 2 Hard -> 3,
  3 Good -> 4, 4 Easy -> 5 (`GRADE_FOR_EASE`), the study day of its time, its duration. The
  first answer of a card on a study day moves the SM-2 state; later answers that day (Anki's
  learning steps) are same-day repeats, as quizapp logs them. Anki's cram answers (type 3)
  are repeats on a day the card was studied, else quiz answers. Rows without an answer
  (ease 0: rescheduled or reset by hand) are left out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import NamedTuple

from quizapp.scheduling.day import day_start, study_day

GRADE_FOR_EASE = {1: 1, 2: 3, 3: 4, 4: 5}
"""Anki answer button -> SM-2 grade (the export maps 0-2 -> 1, 3 -> 2, 4 -> 3, 5 -> 4)."""
DEFAULT_EASINESS_MILLI = 2500
MIN_EASINESS_MILLI = 1300
CARD_NEW, CARD_LEARN, CARD_REVIEW, CARD_RELEARN = 0, 1, 2, 3
QUEUE_SUSPENDED = -1
REVLOG_CRAM = 3
_DAY = 86_400


@dataclass(frozen=True, slots=True)
class Timing:
    """What Anki needs to count its days: the collection's creation and its settings."""

    crt: int
    """Creation time, seconds since the epoch."""
    creation_offset: int | None
    """Minutes west of UTC at creation (None in older collections: legacy day counting)."""
    rollover: int = 4
    sched_ver: int = 2


def anki_today(timing: Timing, now: datetime) -> int:
    """Anki's day number for `now` (aware), as its scheduler counts it on this machine."""
    now_secs = int(now.timestamp())
    if timing.sched_ver == 1:
        return max(0, (now_secs - timing.crt) // _DAY)
    local = now.astimezone()
    offset = local.utcoffset() or timedelta(0)
    if timing.creation_offset is None:
        # v2 without a creation offset: days since the rollover hour of the creation day.
        created = datetime.fromtimestamp(timing.crt, local.tzinfo)
        start = created.replace(hour=timing.rollover, minute=0, second=0, microsecond=0)
        if start > created:
            start -= timedelta(days=1)
        return max(0, (now_secs - int(start.timestamp())) // _DAY)
    created_zone = timezone(timedelta(minutes=-timing.creation_offset))
    created_date = datetime.fromtimestamp(timing.crt, created_zone).date()
    now_local = now.astimezone(timezone(offset))
    days = (now_local.date() - created_date).days
    if now_local.hour < timing.rollover:
        days -= 1
    return max(0, days)


@dataclass(frozen=True, slots=True)
class AnkiCard:
    id: int
    note_id: int
    deck_id: int
    ord: int
    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    odue: int = 0
    odid: int = 0
    left: int = 0
    data: str | bytes | None = None
    """Anki's card data: JSON with FSRS's memory state ("s", "d", last review "lrt")."""

    @property
    def home_deck(self) -> int:
        """The deck the card belongs to (a filtered deck only borrows it)."""
        return self.odid or self.deck_id


@dataclass(frozen=True, slots=True)
class ItemState:
    """The SM-2 state an Anki card becomes (`due` None: still new)."""

    repetitions: int
    interval: int
    easiness_milli: int
    due: date | None
    lapses: int
    suspended: bool
    learning: bool = False
    """A learning or relearning card in Anki (due today here)."""


def easiness_milli(factor: int) -> int:
    return DEFAULT_EASINESS_MILLI if factor <= 0 else max(MIN_EASINESS_MILLI, factor)


def item_state(
    card: AnkiCard, today_number: int, today: date, replayed_reps: int | None = None
) -> ItemState:
    """The card's schedule as quizapp's state, `today` being quizapp's study day.

    `replayed_reps`: SM-2's repetitions (successes in a row) as the replay of the card's
    revlog counted them; Anki's `reps` (every answer) stands in when it has no revlog.
    """
    suspended = card.queue == QUEUE_SUSPENDED
    ease = easiness_milli(card.factor)
    if card.type == CARD_REVIEW:
        due_number = card.odue if card.odid and card.odue else card.due
        due = today + timedelta(days=due_number - today_number)
        reps = card.reps if replayed_reps is None else replayed_reps
        return ItemState(reps, max(1, card.ivl), ease, due, card.lapses, suspended)
    if card.type == CARD_LEARN:
        return ItemState(0, 0, ease, today, card.lapses, suspended, learning=True)
    if card.type == CARD_RELEARN:
        return ItemState(0, max(0, card.ivl), ease, today, card.lapses, suspended, learning=True)
    return ItemState(0, 0, DEFAULT_EASINESS_MILLI, None, 0, suspended)


@dataclass(frozen=True, slots=True)
class MemoryState:
    """An FSRS card's memory state as Anki left it, as quizapp's FSRS seed."""

    state: int
    """py-fsrs's State: 1 learning, 2 review, 3 relearning."""
    step: int | None
    stability: float
    difficulty: float
    due_at: datetime
    last_review: datetime
    """A second into the study day of Anki's last review: Anki counts the days elapsed since a
    review in whole days (its day numbers), so py-fsrs, which counts elapsed time, is given
    the start of that day; the days it counts are then Anki's on any later day. (The second
    keeps the time inside that day for Anki too, when the export gives it back as "lrt".)"""
    covers_until: datetime
    """The card's last answer: the imported answers up to it are part of the state."""


_FSRS_STATES = {CARD_LEARN: 1, CARD_REVIEW: 2, CARD_RELEARN: 3}
_TIMESTAMP = 1_000_000_000
"""A learning card's `due` above this is a time (seconds), else a day number."""


def card_data(card: AnkiCard) -> dict[str, object]:
    """The card's data JSON as a dict ({} when empty or not JSON)."""
    raw = card.data
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    if not raw or not raw.startswith("{"):
        return {}
    try:
        found = json.loads(raw)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def memory_state(
    card: AnkiCard,
    today_number: int,
    today: date,
    rollover_hour: int,
    last_answer_ms: int | None,
    steps: tuple[int, int],
) -> MemoryState | None:
    """The FSRS memory state of a studied card with one ("s" and "d" in its data), else None.

    `last_answer_ms`: the card's last revlog answer; it stands in for a missing "lrt" (older
    Anki). `steps`: how many learning and relearning steps quizapp's FSRS takes; a card in
    Anki's learning steps is in the step that leaves as many steps (`left`) to go.
    """
    state = _FSRS_STATES.get(card.type)
    data = card_data(card)
    stability, difficulty = data.get("s"), data.get("d")
    if state is None or not isinstance(stability, int | float):
        return None
    if not isinstance(difficulty, int | float) or stability <= 0 or not 1 <= difficulty <= 10:
        return None
    due_number = card.odue if card.odid and card.odue else card.due
    if state == 2 or due_number < _TIMESTAMP:
        due_at = day_start(today + timedelta(days=due_number - today_number), rollover_hour)
    else:
        due_at = datetime.fromtimestamp(due_number, UTC)
    step = None
    if state != 2:
        remaining = card.left % 1000
        step = max(0, steps[0 if state == 1 else 1] - remaining)
    lrt = data.get("lrt")
    if isinstance(lrt, int | float) and lrt > 0:
        reviewed = datetime.fromtimestamp(lrt, UTC)
    elif last_answer_ms is not None:
        reviewed = _EPOCH + timedelta(milliseconds=last_answer_ms)
    elif state == 2:
        reviewed = due_at - timedelta(days=max(1, card.ivl))
    else:
        return None
    covers = reviewed
    if last_answer_ms is not None:
        covers = max(covers, _EPOCH + timedelta(milliseconds=last_answer_ms))
    anchor = day_start(study_day(reviewed, rollover_hour), rollover_hour) + timedelta(seconds=1)
    return MemoryState(state, step, float(stability), float(difficulty), due_at, anchor, covers)


class Revlog(NamedTuple):
    id: int
    """Answer time, ms since the epoch."""
    card_id: int
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time: int
    type: int


class LogRow(NamedTuple):
    """One review_log row in the table's column order (times and days as `Replay` formats
    them), for the quizapp item it belongs to."""

    deck_id: str
    item_id: str
    reviewed_at: object
    day: object
    grade: int
    duration_ms: int
    session_kind: str
    repeat: int
    repetitions_before: int
    interval_before: int
    easiness_milli_before: int
    due_before: object
    lapses_before: int
    last_review_before: object
    repetitions_after: int
    interval_after: int
    easiness_milli_after: int
    due_after: object
    lapses_after: int


class _State:
    __slots__ = ("day", "due", "ease", "interval", "lapses", "last", "reps")

    def __init__(self) -> None:
        self.reps = 0
        self.interval = 0
        self.ease = DEFAULT_EASINESS_MILLI
        self.due: object = None
        self.lapses = 0
        self.last: object = None
        self.day: int | None = None
        """The last study day (ordinal) with an answer that moved the state."""


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _same(value: object) -> object:
    return value


class Replay:
    """Review log rows for revlog rows in time order, each card's SM-2 steps replayed.

    `items` maps Anki card id -> (deck id, item id); `study_day(moment)` is quizapp's study
    day of an aware UTC datetime (asked once per quarter hour of answers). `time_text(ms)` and
    `day_text(date)` format times and days as the store keeps them (default: ms and dates).
    Rows of cards not imported and rows without an answer are skipped. After iterating,
    `last_review` holds each item's last answer that moved its state (formatted).
    """

    def __init__(
        self,
        revlog: Iterable[tuple[int, ...]],
        items: dict[int, tuple[str, str]],
        study_day: Callable[[datetime], date],
        time_text: Callable[[int], object] = _same,
        day_text: Callable[[date], object] = _same,
    ) -> None:
        self._revlog = revlog
        self._items = items
        self._study_day = study_day
        self._time_text = time_text
        self._day_text = day_text
        self.last_review: dict[tuple[str, str], object] = {}
        self.repetitions: dict[tuple[str, str], int] = {}
        """Each item's SM-2 repetitions after its last answer (successes in a row)."""
        self.last_answer: dict[tuple[str, str], int] = {}
        """Each item's last answer of any kind (ms since the epoch): what an FSRS seed covers."""

    def __iter__(self) -> Iterator[LogRow]:
        # The hot loop of a large import (a million rows): locals only, days cached as text
        # by quarter hour and by ordinal, rows built as plain tuples in LogRow's order.
        items, study_day = self._items, self._study_day
        time_text, day_text = self._time_text, self._day_text
        grades = GRADE_FOR_EASE
        states: dict[int, _State] = {}
        slots: dict[int, tuple[date, int, object]] = {}
        ordinals: dict[int, object] = {}
        last_review = self.last_review
        repetitions = self.repetitions
        last_answer = self.last_answer
        new_tuple = tuple.__new__

        for row_id, card_id, ease, ivl, _last_ivl, factor, taken, kind_number in self._revlog:
            item = items.get(card_id)
            grade = grades.get(ease)
            if item is None or grade is None:
                continue
            last_answer[item] = row_id
            slot = row_id // 900_000  # quarter hours: every time zone's rollover starts one
            found = slots.get(slot)
            if found is None:
                day = study_day(_EPOCH + timedelta(milliseconds=row_id))
                found = slots[slot] = (day, day.toordinal(), day_text(day))
            day, ordinal, today_text = found
            state = states.get(card_id)
            if state is None:
                state = states[card_id] = _State()
            reps = state.reps
            interval = state.interval
            ease_before = state.ease
            due = state.due
            lapses = state.lapses
            last = state.last
            at = time_text(row_id)
            studied_today = state.day == ordinal
            if kind_number == REVLOG_CRAM:
                kind, repeat = ("study", 1) if studied_today else ("quiz", 0)
            else:
                kind, repeat = "study", 1 if studied_today else 0
            if not repeat and kind == "study":
                if grade < 3:
                    state.lapses = lapses + (reps > 0)
                    state.reps = 0
                else:
                    state.reps = reps + 1
                state.interval = next_interval = ivl if ivl > 0 else 0
                if factor > 0:
                    state.ease = easiness_milli(factor)
                due_ordinal = ordinal + next_interval
                due_text = ordinals.get(due_ordinal)
                if due_text is None:
                    due_text = ordinals[due_ordinal] = day_text(date.fromordinal(due_ordinal))
                state.due = due_text
                state.last = last_review[item] = at
                repetitions[item] = state.reps
                state.day = ordinal
            yield new_tuple(
                LogRow,
                (
                    item[0],
                    item[1],
                    at,
                    today_text,
                    grade,
                    taken if taken > 0 else 0,
                    kind,
                    repeat,
                    reps,
                    interval,
                    ease_before,
                    due,
                    lapses,
                    last,
                    state.reps,
                    state.interval,
                    state.ease,
                    state.due,
                    state.lapses,
                ),
            )
