"""An item's SM-2 history as the replay of its answer events: what device sync converges on.

Sync exchanges events, never states. An item's state is this replay of its answers in answer
order (answer time, then event id), the same on every device whatever order the events
arrived in. It is what `storage.repository.record_answer` computes one answer at a time:

- a quiz answer is logged but never moves SM-2;
- a study answer is a same-day repeat (logged, SM-2 unchanged) when the app asked it as one,
  or when the item already had a plain study answer on that study day, on whichever device;
- any other study answer moves SM-2 (`sm2.review` on its study day) and counts a lapse when
  the item was recalled at its last review.

Pure: no clock, no I/O.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from quizapp.scheduling.sm2 import Sm2State, check_grade, is_lapse, review


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


def answer_order(event: AnswerEvent) -> tuple[datetime, str]:
    """The order answers are replayed in: time, then event id (devices' clocks may tie)."""
    return (event.at, event.event_id)


_ANY_DAY = date(2000, 1, 1)


@functools.lru_cache(maxsize=65536)
def _moved(repetitions: int, interval: int, easiness: int, grade: int) -> tuple[int, int, int]:
    """`sm2.review` apart from the due day (which is the study day plus the interval): the
    new repetitions, interval and easiness (thousandths). Cached: a replay of a million
    answers meets the same few thousand states again and again."""
    after = review(Sm2State.from_thousandths(repetitions, interval, easiness, None), grade, _ANY_DAY)
    return after.repetitions, after.interval, after.easiness_thousandths


def replay(events: Iterable[AnswerEvent]) -> ItemHistory:
    """Replay an item's answers (any order in; answer order is used)."""
    state, lapses, last_review = Sm2State(), 0, None
    plain_days: set[date] = set()
    steps = []
    for event in sorted(events, key=answer_order):
        study = event.session_kind == "study"
        repeat = event.asked_repeat or (study and event.day in plain_days)
        before, lapses_before, last_before = state, lapses, last_review
        if study and not repeat:
            plain_days.add(event.day)
            check_grade(event.grade)
            moved = _moved(
                before.repetitions, before.interval, before.easiness_thousandths, event.grade
            )
            state = Sm2State.from_thousandths(*moved, event.day + timedelta(days=moved[1]))
            lapses += int(is_lapse(before, event.grade))
            last_review = event.at
        steps.append(Step(event, repeat, before, state, lapses_before, lapses, last_before))
    return ItemHistory(tuple(steps), state, lapses, last_review)
