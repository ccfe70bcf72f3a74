"""SM-2 exactly as Piotr Wozniak published it for SuperMemo 2 (1987-1990), as a pure function.

One review is `review(state, quality, today) -> new state`: no clock, no I/O, so the storage
layer records states and the tests replay whole schedules by hand.

The published algorithm, and how each step is kept here:

1. Items start with an easiness factor (E-Factor) of 2.5.
2. Intervals: I(1) = 1 day, I(2) = 6 days, I(n) = I(n-1) * EF for n > 2; "if the interval is a
   fraction, round it up" (`ceil`). EF is the easiness *before* this review's update.
3. After each answer of quality q (0-5):
   EF' = EF + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)), never below 1.3.
4. If q < 3, repetitions start again from the beginning (interval 1) without resetting EF
   (EF is still moved by the formula above).
5. Step 7, the same-day repeats of items graded below 4, lives in `quizapp.scheduling.queue`:
   those repeats are logged but never passed to `review` again.

Easiness is a plain `Decimal`: it moves in exact steps of 0.02, so `ceil(15 * 2.8)` is 42, never
43 as float drift would give. It compares with other Decimals (and ints) exactly and never with
floats (`Decimal("2.6") != 2.6`, as Python's own rule for Decimal and float says), so tests write
the exact value: `Decimal("2.6")`, or `float(state.easiness) == 2.6` for the E-Factor as a float.
The database stores it as integer thousandths.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TypeGuard

INITIAL_EASINESS = Decimal("2.5")
MIN_EASINESS = Decimal("1.3")
GRADES: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
PASSING_GRADE = 3
"""A review graded at least this is a successful repetition (SM-2 step 6)."""
REPEAT_BELOW = 4
"""A review graded below this comes back later the same day (SM-2 step 7)."""

GRADE_MEANINGS: dict[int, str] = {
    5: "perfect",
    4: "correct after hesitation",
    3: "correct with serious difficulty",
    2: "wrong, but the answer seemed easy",
    1: "wrong, but remembered on seeing it",
    0: "blackout",
}
"""Wozniak's published meaning of each grade (SuperMemo 2, step 4), in short words."""

GRADE_LABELS: dict[int, str] = {
    0: "blackout",
    1: "familiar",
    2: "almost",
    3: "hard",
    4: "good",
    5: "perfect",
}
"""One-word labels for buttons and footers ("0 blackout … 5 perfect")."""


@dataclass(frozen=True, slots=True)
class Sm2State:
    """One item's SM-2 state. The defaults are a new, never reviewed item."""

    repetitions: int = 0
    """Successful repetitions in a row (reset to 0 by a grade below 3)."""
    interval: int = 0
    """Days from the last review to the next one (0 until the first review)."""
    easiness: Decimal = INITIAL_EASINESS
    """The E-Factor, >= 1.3; `float(state.easiness)` gives its value."""
    due: date | None = None
    """The day the item is next due; None for a new item."""

    def __post_init__(self) -> None:
        easiness = _to_decimal(self.easiness)
        object.__setattr__(self, "easiness", easiness)
        if not _is_int(self.repetitions) or self.repetitions < 0:
            raise ValueError(f"repetitions must be an int >= 0, not {self.repetitions!r}")
        if not _is_int(self.interval) or self.interval < 0:
            raise ValueError(f"interval must be an int >= 0, not {self.interval!r}")
        if easiness < MIN_EASINESS:
            raise ValueError(f"easiness must be >= {MIN_EASINESS}, not {easiness}")
        if self.due is not None and (
            isinstance(self.due, datetime) or not isinstance(self.due, date)
        ):
            raise TypeError(f"due must be a date or None, not {self.due!r}")

    @property
    def is_new(self) -> bool:
        """Never reviewed."""
        return self.due is None

    @property
    def easiness_thousandths(self) -> int:
        """The easiness as an integer number of thousandths, for storage (2.5 -> 2500)."""
        return to_thousandths(self.easiness)

    @classmethod
    def from_thousandths(
        cls, repetitions: int, interval: int, easiness_thousandths: int, due: date | None
    ) -> Sm2State:
        """Rebuild a state from its stored form (easiness in integer thousandths)."""
        return cls(
            repetitions=repetitions,
            interval=interval,
            easiness=from_thousandths(easiness_thousandths),
            due=due,
        )


def to_thousandths(easiness: Decimal) -> int:
    """`Decimal("2.36")` -> 2360. Raises ValueError if it is not a whole number of thousandths."""
    scaled = _to_decimal(easiness) * 1000
    if scaled != scaled.to_integral_value():
        raise ValueError(f"easiness {easiness} is not a whole number of thousandths")
    return int(scaled)


def from_thousandths(thousandths: int) -> Decimal:
    """2360 -> `Decimal("2.36")`."""
    if not _is_int(thousandths):
        raise ValueError(f"thousandths must be an int, not {thousandths!r}")
    return (Decimal(thousandths) / 1000).normalize()


def check_grade(quality: object) -> int:
    """Return `quality` if it is an int 0-5 (not a bool); raise ValueError otherwise."""
    if not _is_int(quality) or quality not in GRADES:
        raise ValueError(f"a grade is an int from 0 to 5, not {quality!r}")
    return quality


def easiness_delta(quality: int) -> Decimal:
    """SM-2's change of the E-Factor for a grade: +0.1, 0, -0.14, -0.32, -0.54, -0.8 for 5..0."""
    miss = 5 - check_grade(quality)
    return Decimal("0.1") - miss * (Decimal("0.08") + miss * Decimal("0.02"))


def review(state: Sm2State, quality: int, today: date) -> Sm2State:
    """The state after answering an item with grade `quality` (0-5) on the study day `today`.

    Pure. Raises ValueError for a grade that is not an int from 0 to 5 (bools included).
    Same-day repeats (SM-2 step 7) must not be passed here: they leave the state as it is.
    """
    check_grade(quality)
    if isinstance(today, datetime) or not isinstance(today, date):
        raise TypeError(f"today must be a date (see study_day), not {today!r}")
    if quality >= PASSING_GRADE:
        repetitions = state.repetitions + 1
        if repetitions == 1:
            interval = 1
        elif repetitions == 2:
            interval = 6
        else:
            interval = math.ceil(state.interval * state.easiness)
    else:
        repetitions = 0
        interval = 1
    easiness = max(MIN_EASINESS, state.easiness + easiness_delta(quality))
    return replace(
        state,
        repetitions=repetitions,
        interval=interval,
        easiness=easiness,
        due=today + timedelta(days=interval),
    )


def is_lapse(before: Sm2State, quality: int) -> bool:
    """Whether answering an item in state `before` with `quality` counts as a lapse.

    A lapse is a failed review (grade below 3) of an item that had been recalled successfully at
    its last review (`repetitions > 0`): something learned has been forgotten. So failing a new
    item is not a lapse, and failing the same item again before it is recalled once more counts
    only once. Same-day repeats are never reviews, so they are never lapses.
    """
    return check_grade(quality) < PASSING_GRADE and before.repetitions > 0


def needs_repeat(quality: int) -> bool:
    """Whether an answer with this grade comes back later the same day (SM-2 step 7)."""
    return check_grade(quality) < REPEAT_BELOW


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float | str):
        # repr/str of a float is its shortest round-trip form: 2.5 -> "2.5", 1.3 -> "1.3".
        return Decimal(str(value))
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    raise TypeError(f"easiness must be a Decimal, not {value!r}")
