"""An item's SM-2 history as the replay of its answer events: what device sync converges on.

Sync exchanges events, never states. An item's state is this replay of its answers in answer
order (answer time, then event id), the same on every device whatever order the events
arrived in. It is what `storage.repository.record_answer` computes one answer at a time:

- a quiz answer is logged but never moves SM-2;
- a study answer is a same-day repeat (logged, SM-2 unchanged) when the app asked it as one,
  or when the item already had a plain study answer on that study day, on whichever device;
- any other study answer moves SM-2 (`sm2.review` on its study day) and counts a lapse when
  the item was recalled at its last review.

An item may have seed events (`Seed`: the state an import, such as Anki's, left at a time T).
The replay starts from its latest seed (by answer order) instead of a new state: answers at or
before T are history (logged, counted for same-day repeats, but they move nothing: their
state is the seed's), answers after T move SM-2 on top of the seed.

Pure: no clock, no I/O.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from quizapp.scheduling.sm2 import Sm2State, check_grade, is_lapse, review

Stored = tuple[int, int, int, "date | None"]
"""A state as the store keeps it: repetitions, interval, easiness in thousandths, due day."""
NEW: Stored = (0, 0, 2500, None)


@dataclass(frozen=True, slots=True)
class AnswerEvent:
    """One answer, as sync carries it (only what the replay reads)."""

    event_id: str
    at: datetime
    """UTC-aware answer time."""
    day: date
    """The study day the answering device counted it for (its own rollover hour)."""
    grade: int
    session_kind: str
    """"study" or "quiz"."""
    asked_repeat: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """What one answer did: the log row's derived columns."""

    event: AnswerEvent
    repeat: bool
    before: Sm2State
    after: Sm2State
    lapses_before: int
    lapses_after: int
    last_review_before: datetime | None


@dataclass(frozen=True, slots=True)
class ItemHistory:
    """An item's replayed answers and the state they leave."""

    steps: tuple[Step, ...]
    state: Sm2State
    lapses: int
    last_review: datetime | None
    """The time of the last answer that moved SM-2."""


@dataclass(frozen=True, slots=True)
class Seed:
    """The SM-2 state an import left for an item at `at` (its answer-time horizon)."""

    event_id: str
    at: datetime
    """UTC-aware: answers at or before it are covered by this state."""
    state: Stored
    lapses: int
    last_review: datetime | None


def latest_seed(seeds: Iterable[Seed]) -> Seed | None:
    """The seed a replay starts from: the latest in answer order."""
    return max(seeds, key=lambda s: (s.at, s.event_id), default=None)


def answer_order(event: AnswerEvent) -> tuple[datetime, str]:
    """The order answers are replayed in: time, then event id (devices' clocks may tie)."""
    return (event.at, event.event_id)


_ANY_DAY = date(2000, 1, 1)


@functools.lru_cache(maxsize=65536)
def _moved(repetitions: int, interval: int, easiness: int, grade: int) -> tuple[int, int, int]:
    """`sm2.review` apart from the due day (which is the study day plus the interval): the
    new repetitions, interval and easiness (thousandths). Cached: a replay of a million
    answers meets the same few thousand states again and again."""
    after = review(
        Sm2State.from_thousandths(repetitions, interval, easiness, None), grade, _ANY_DAY
    )
    return after.repetitions, after.interval, after.easiness_thousandths


@dataclass(frozen=True, slots=True)
class RawStep:
    """`Step` with states in their stored form, for replays of many answers."""

    event: AnswerEvent
    repeat: bool
    before: Stored
    after: Stored
    lapses_before: int
    lapses_after: int
    last_review_before: AnswerEvent | Seed | None
    """The answer that last moved SM-2 before this one, or the seed when none after it did
    and it has a last review (None: neither)."""


@functools.lru_cache(maxsize=64)
def _lapse(recalled: bool, grade: int) -> int:
    return int(is_lapse(Sm2State(repetitions=int(recalled)), grade))


def replay_raw(events: Iterable[AnswerEvent], seed: Seed | None = None) -> list[RawStep]:
    """`replay`'s steps, states in their stored form (no Decimal on the way), from `seed`'s
    state when there is one (answers up to its time are history: they move nothing)."""
    state: Stored = NEW if seed is None else seed.state
    lapses = 0 if seed is None else seed.lapses
    last: AnswerEvent | Seed | None = None
    if seed is not None and seed.last_review is not None:
        last = seed
    plain_days: set[date] = set()
    steps = []
    for event in sorted(events, key=answer_order):
        study = event.session_kind == "study"
        repeat = event.asked_repeat or (study and event.day in plain_days)
        before, lapses_before, last_before = state, lapses, last
        if seed is not None and event.at <= seed.at:
            if study and not repeat:
                plain_days.add(event.day)
        elif study and not repeat:
            plain_days.add(event.day)
            check_grade(event.grade)
            moved = _moved(before[0], before[1], before[2], event.grade)
            state = (*moved, event.day + timedelta(days=moved[1]))
            lapses += _lapse(before[0] > 0, event.grade)
            last = event
        steps.append(RawStep(event, repeat, before, state, lapses_before, lapses, last_before))
    return steps


def _review_time(last: AnswerEvent | Seed | None) -> datetime | None:
    if isinstance(last, Seed):
        return last.last_review
    return None if last is None else last.at


def _state(stored: Stored) -> Sm2State:
    return Sm2State.from_thousandths(*stored)


def replay(events: Iterable[AnswerEvent], seed: Seed | None = None) -> ItemHistory:
    """Replay an item's answers (any order in; answer order is used), from `seed` if given."""
    raw = replay_raw(events, seed)
    steps = tuple(
        Step(
            s.event,
            s.repeat,
            _state(s.before),
            _state(s.after),
            s.lapses_before,
            s.lapses_after,
            _review_time(s.last_review_before),
        )
        for s in raw
    )
    seeded_review = None if seed is None else seed.last_review
    if not raw:
        if seed is None:
            return ItemHistory((), Sm2State(), 0, None)
        return ItemHistory((), _state(seed.state), seed.lapses, seeded_review)
    last = raw[-1]
    moved_last = next((s.event for s in reversed(raw) if s.after is not s.before), None)
    return ItemHistory(
        steps,
        _state(last.after),
        last.lapses_after,
        seeded_review if moved_last is None else moved_last.at,
    )
