"""A year of study by a synthetic learner under SM-2 and under FSRS: reviews done, retention.

`python -m benchmarks.fsrs_year [--cards N] [--days N] [--seed N]`

The learner's memory is FSRS's own model (py-fsrs) with parameters of its own (`LEARNER`, not
FSRS's defaults): each answer is recalled with the probability the model gives at that moment,
and every answer, same-day ones included, moves the learner's memory. The schedulers are
quizapp's own pure functions: `scheduling.sm2.review` (with step 7: grades below 4 come back
the same day) and `scheduling.fsrs.review` at a desired retention of 0.9 (learning steps come
back the same day), once with FSRS's default parameters and once with parameters fitted by
`scheduling.fsrs_fit` (the optimizer `quizapp optimize` runs) on the first 90 days of the
learner's own log. Every day the learner studies at 09:00 UTC: all due cards, then new ones
(20 a day until the deck is in), then the same-day repeats, ten minutes apart.

Reported: answers given in the year (reviews and same-day repeats), first answers of due
reviews and how many were recalled, and the retention reached: the learner's mean probability
of recalling a card on the last day (every introduced card), as FSRS's model of the learner
says.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from quizapp.scheduling import fsrs, sm2
from quizapp.scheduling.fsrs import FsrsConfig, FsrsState
from quizapp.scheduling.fsrs_fit import evaluate, fit_items, fsrs_items

LEARNER = (
    0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192,
    1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621, 0.06, 0.4,
)  # fmt: skip
"""The learner's true memory: FSRS-6 parameters unlike the defaults (FSRS-5's published
defaults, with FSRS-6's decay set to 0.4): a learner FSRS must fit to."""
START = datetime(2026, 1, 5, 9, tzinfo=UTC)
NEW_PER_DAY = 20
FIT_AFTER_DAYS = 90


@dataclass
class Card:
    memory: FsrsState | None = None
    """The learner's true memory (FSRS's model with LEARNER parameters)."""
    sm2: sm2.Sm2State = field(default_factory=sm2.Sm2State)
    fsrs: FsrsState | None = None
    history: list[tuple[int, datetime]] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    scheduler: str
    answers: int
    reviews: int
    """First answers of due (not new) cards."""
    recalled: int
    retention: float
    """Mean recall probability over all introduced cards at the end of the last day."""
    seconds: float


class Learner:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.model = FsrsConfig(parameters=LEARNER)

    def answer(self, card: Card, now: datetime) -> int:
        """Recall or not as the model says; a recalled card is graded 3, 4 or 5, a lapse 1."""
        if card.memory is None:
            grade = self.rng.choice((1, 3, 4, 4, 4, 5))  # a first look: a guess or known
        elif self.rng.random() < fsrs.retrievability(card.memory, now, self.model):
            grade = self.rng.choices((3, 4, 5), weights=(15, 75, 10))[0]
        else:
            grade = 1
        card.memory = fsrs.review(card.memory, grade, now, self.model)
        card.history.append((grade, now))
        return grade


Schedule = Callable[[Card, int, datetime, bool], bool]
"""Apply one answer to the scheduler's state; True if the card comes back the same day."""


def sm2_schedule(card: Card, grade: int, now: datetime, first_today: bool) -> bool:
    if first_today:
        card.sm2 = sm2.review(card.sm2, grade, now.date())
    return sm2.needs_repeat(grade)


def fsrs_schedule(config: FsrsConfig) -> Schedule:
    def schedule(card: Card, grade: int, now: datetime, first_today: bool) -> bool:
        card.fsrs = fsrs.review(card.fsrs, grade, now, config)
        return card.fsrs.in_steps and card.fsrs.due_at.date() <= now.date()

    return schedule


def due_day(card: Card, scheduler: str) -> date | None:
    if scheduler == "sm2":
        return card.sm2.due
    return None if card.fsrs is None else card.fsrs.due_at.date()


def simulate(
    scheduler: str, cards: int, days: int, seed: int, keep: list[Card] | None = None
) -> Outcome:
    started = time.perf_counter()
    learner = Learner(seed)
    deck = [Card() for _ in range(cards)]
    introduced = 0
    schedule: Schedule = sm2_schedule if scheduler == "sm2" else fsrs_schedule(FsrsConfig())
    answers = reviews = recalled = 0
    for offset in range(days):
        if scheduler == "fsrs-fitted" and offset == FIT_AFTER_DAYS:
            logs = ([(g, at.date()) for g, at in c.history] for c in deck[:introduced])
            fitted = fit_items(fsrs_items(logs))
            config = FsrsConfig(parameters=fitted)
            schedule = fsrs_schedule(config)
            for card in deck[:introduced]:  # switching replays each card's log
                card.fsrs = fsrs.replay(card.history, config)
        now = START + timedelta(days=offset)
        today = now.date()
        due = [c for c in deck[:introduced] if (day := due_day(c, scheduler)) and day <= today]
        fresh = deck[introduced : introduced + NEW_PER_DAY]
        introduced += len(fresh)
        again: list[Card] = []
        for card in due + fresh:
            is_review = card.memory is not None
            grade = learner.answer(card, now)
            answers += 1
            if is_review:
                reviews += 1
                recalled += grade >= 3
            if schedule(card, grade, now, True):
                again.append(card)
            now += timedelta(seconds=20)
        while again:  # same-day repeats / learning steps, ten minutes on
            now += timedelta(minutes=10)
            later: list[Card] = []
            for card in again:
                grade = learner.answer(card, now)
                answers += 1
                if schedule(card, grade, now, False):
                    later.append(card)
            again = later
    end = START + timedelta(days=days)
    studied = [c for c in deck if c.memory is not None]
    if keep is not None:
        keep.extend(studied)
    retention = sum(fsrs.retrievability(c.memory, end, learner.model) for c in studied) / max(
        1, len(studied)
    )
    return Outcome(scheduler, answers, reviews, recalled, retention, time.perf_counter() - started)


def table(outcomes: list[Outcome], cards: int, days: int) -> str:
    lines = [
        f"{cards} cards, {NEW_PER_DAY} new a day, {days} days; the learner is FSRS's model with "
        "parameters of its own.",
        "",
        "| scheduler | answers in the year | due reviews | recalled at review | "
        "retention on the last day |",
        "|---|---:|---:|---:|---:|",
    ]
    names = {
        "sm2": "SM-2",
        "fsrs": "FSRS, 0.9, default parameters",
        "fsrs-fitted": f"FSRS, 0.9, fitted on day {FIT_AFTER_DAYS}",
    }
    for o in outcomes:
        lines.append(
            f"| {names[o.scheduler]} | {o.answers:,} | {o.reviews:,} | "
            f"{o.recalled / max(1, o.reviews):.1%} | {o.retention:.1%} |"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class FitFigures:
    train: int
    test: int
    seconds: float
    default: tuple[float, float]
    fitted: tuple[float, float]


def optimizer_figures(cards: list[Card]) -> FitFigures:
    """Fit on the first FIT_AFTER_DAYS days of the learner's log (as `quizapp optimize` would
    on that day), then score default and fitted parameters on the reviews after it."""
    cutoff = (START + timedelta(days=FIT_AFTER_DAYS)).date()
    train, test = [], []
    for card in cards:
        log = [(g, at.date()) for g, at in card.history]
        early = [entry for entry in log if entry[1] < cutoff]
        train_items = fsrs_items([early])
        train += train_items
        test += fsrs_items([log])[len(train_items) :]
    started = time.perf_counter()
    fitted = fit_items(train)
    seconds = time.perf_counter() - started
    return FitFigures(
        len(train),
        len(test),
        seconds,
        evaluate(fsrs.default_parameters(), test),
        evaluate(fitted, test),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fsrs_year")
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    fsrs_cards: list[Card] = []
    outcomes = [
        simulate(s, args.cards, args.days, args.seed, fsrs_cards if s == "fsrs" else None)
        for s in ("sm2", "fsrs", "fsrs-fitted")
    ]
    print(table(outcomes, args.cards, args.days))
    fit = optimizer_figures(fsrs_cards)
    print(
        f"\nOptimizer (fsrs-rs) on day {FIT_AFTER_DAYS}: {fit.train:,} training examples, "
        f"fitted in {fit.seconds:.2f} s; scored on the {fit.test:,} reviews after that day:\n"
    )
    print("| parameters | log loss | RMSE |\n|---|---:|---:|")
    print(f"| FSRS defaults | {fit.default[0]:.4f} | {fit.default[1]:.4f} |")
    print(f"| fitted | {fit.fitted[0]:.4f} | {fit.fitted[1]:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
