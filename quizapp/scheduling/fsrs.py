"""FSRS, the alternative to SM-2, through the `fsrs` package (py-fsrs), as pure functions.

quizapp never writes FSRS's formulas: every step is `fsrs.Scheduler.review_card`. What lives
here is how our world meets it:

- Grades: 0-2 are Again, 3 Hard, 4 Good, 5 Easy (`RATING_FOR_GRADE`). The grades a command
  card proposes map the same way: right (4) is Good; close (2), wrong (1) and nothing typed
  (0) are Again.
- Which answers are FSRS reviews: every *study* answer, in order, same-day ones included (FSRS
  has learning steps: 1 and 10 minutes for a new card, 10 minutes after a lapse, py-fsrs's
  defaults). Quiz answers are logged and never reviews, as under SM-2.
- An item's FSRS state is not stored: it is the replay of its study answers (`replay`), so
  switching a deck between SM-2 and FSRS loses nothing and computes nothing by hand. An item
  imported from Anki with FSRS on starts from a `Seed` (Anki's memory state, whose history
  Anki may only partly keep); its later answers replay on top.
- No fuzz: the same history gives the same intervals, always (golden tests hold this).
- Time: `now` (an aware datetime) is always passed in; nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from quizapp.scheduling.day import study_day
from quizapp.scheduling.settings import DEFAULT_DESIRED_RETENTION
from quizapp.scheduling.sm2 import check_grade

if TYPE_CHECKING:
    from fsrs import Card, Rating, Scheduler

MAXIMUM_INTERVAL = 36500
"""Days: py-fsrs's default cap (a hundred years)."""

FSRS_GRADES: tuple[int, ...] = (1, 3, 4, 5)
"""One grade per FSRS button, for previews: Again (any of 0-2), Hard, Good, Easy."""
BUTTON_NAMES: dict[int, str] = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
"""FSRS's rating (1-4) -> its name."""


def rating_value(grade: int) -> int:
    """Our grade 0-5 as an FSRS rating 1-4: 0-2 Again (1), 3 Hard (2), 4 Good (3), 5 Easy (4)."""
    check_grade(grade)
    return 1 if grade <= 2 else grade - 1


RATING_FOR_GRADE: dict[int, int] = {grade: rating_value(grade) for grade in range(6)}


def rating(grade: int) -> Rating:
    from fsrs import Rating

    return Rating(rating_value(grade))


def default_parameters() -> tuple[float, ...]:
    from fsrs.scheduler import DEFAULT_PARAMETERS

    return tuple(DEFAULT_PARAMETERS)


@dataclass(frozen=True, slots=True)
class FsrsConfig:
    """What FSRS schedules with: its 21 parameters and the retention aimed at."""

    parameters: tuple[float, ...] = field(default_factory=default_parameters)
    desired_retention: float = DEFAULT_DESIRED_RETENTION

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", tuple(float(p) for p in self.parameters))
        if not 0 < self.desired_retention < 1:
            raise ValueError(
                f"desired_retention must be between 0 and 1, not {self.desired_retention}"
            )

    @property
    def key(self) -> str:
        """A short text naming this configuration: equal keys schedule alike."""
        import hashlib

        digest = hashlib.sha256(repr(self.parameters).encode()).hexdigest()[:12]
        return f"fsrs:{self.desired_retention:g}:{digest}"


def step_counts() -> tuple[int, int]:
    """How many learning and relearning steps FSRS's scheduler takes (py-fsrs's defaults)."""
    from fsrs import Scheduler

    found = Scheduler()
    return len(found.learning_steps), len(found.relearning_steps)


@lru_cache(maxsize=32)
def scheduler(config: FsrsConfig) -> Scheduler:
    """The py-fsrs scheduler for `config` (no fuzz; py-fsrs's learning steps)."""
    from fsrs import Scheduler

    return Scheduler(
        parameters=config.parameters,
        desired_retention=config.desired_retention,
        maximum_interval=MAXIMUM_INTERVAL,
        enable_fuzzing=False,
    )


@dataclass(frozen=True, slots=True)
class FsrsState:
    """An item's FSRS memory state after its last study answer (None stands for a new item)."""

    state: int
    """py-fsrs's State: 1 learning, 2 review, 3 relearning."""
    step: int | None
    stability: float
    difficulty: float
    due_at: datetime
    """When FSRS wants it next (aware, UTC)."""
    last_review: datetime
    reviews: int = 0
    """Study answers replayed into this state."""

    @property
    def in_steps(self) -> bool:
        """In a (re)learning step: due again minutes from the last answer, not days."""
        return self.state != 2

    def due_day(self, rollover_hour: int) -> date:
        """The study day it is due on."""
        return study_day(self.due_at, rollover_hour)

    def interval_days(self) -> int:
        """Whole days from the last answer to the due time (0 within learning steps)."""
        return max(0, (self.due_at - self.last_review).days)


def _card(state: FsrsState | None) -> Card:
    from fsrs import Card, State

    if state is None:
        return Card(card_id=0)
    return Card(
        card_id=0,
        state=State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due_at,
        last_review=state.last_review,
    )


def _aware(now: datetime) -> datetime:
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise ValueError(f"now must be a timezone-aware datetime, not {now!r}")
    return now.astimezone(UTC)


def review(state: FsrsState | None, grade: int, now: datetime, config: FsrsConfig) -> FsrsState:
    """The FSRS state after a study answer with `grade` (0-5) at `now`. Pure."""
    card, _ = scheduler(config).review_card(_card(state), rating(grade), _aware(now))
    assert card.stability is not None and card.difficulty is not None
    assert card.last_review is not None
    return FsrsState(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due_at=card.due,
        last_review=card.last_review,
        reviews=(state.reviews if state is not None else 0) + 1,
    )


@dataclass(frozen=True, slots=True)
class Seed:
    """An item's FSRS memory state as another app left it (Anki's stability and difficulty):
    where the replay of its answers starts. The answers at or before `covers_until` are the
    history the seed already holds; only later ones are replayed on top."""

    state: FsrsState
    covers_until: datetime

    def covers(self, moment: datetime) -> bool:
        """Whether an answer at `moment` is already part of the seed."""
        return moment <= self.covers_until


def replay(
    answers: Iterable[tuple[int, datetime]], config: FsrsConfig, seed: Seed | None = None
) -> FsrsState | None:
    """The FSRS state after the study answers `(grade, answered_at)`, oldest first, starting
    from `seed` if the item has one (the answers it covers are skipped)."""
    state: FsrsState | None = None if seed is None else seed.state
    for grade, moment in answers:
        if seed is None or not seed.covers(moment):
            state = review(state, grade, moment, config)
    return state


def preview(state: FsrsState | None, now: datetime, config: FsrsConfig) -> dict[int, timedelta]:
    """For each button (grade 1 Again, 3 Hard, 4 Good, 5 Easy): the time until the item would be
    due if answered so at `now`."""
    moment = _aware(now)
    return {g: review(state, g, moment, config).due_at - moment for g in FSRS_GRADES}


def retrievability(state: FsrsState | None, now: datetime, config: FsrsConfig) -> float:
    """FSRS's predicted probability of recalling the item at `now` (0 for a new item)."""
    if state is None:
        return 0.0
    return float(scheduler(config).get_card_retrievability(_card(state), _aware(now)))


def check_parameters(parameters: Sequence[float]) -> tuple[float, ...]:
    """`parameters` as a tuple of 21 floats; ValueError if they are not FSRS-6 parameters."""
    values = tuple(float(p) for p in parameters)
    if len(values) != len(default_parameters()):
        raise ValueError(f"FSRS takes {len(default_parameters())} parameters, not {len(values)}")
    return values


def format_span(span: timedelta) -> str:
    """A preview interval as a button shows it: 1m, 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = max(0, span.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30.5:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30.4:.1f}mo"
    return f"{days / 365:.1f}y"
