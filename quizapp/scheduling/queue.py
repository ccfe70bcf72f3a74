"""The study queue: which items to show today, in what order, and one sitting's progress.

Pure and UI-free. Storage turns the database into `Candidate`s (and counts what was already done
today); `todays_queue` orders them; `StudySession` walks the result, answer by answer, bringing
back every item graded below 4 until it is graded 4 or 5 (SM-2 step 7). The TUI shows
`session.current` and calls `answer`, `undo` and `bury`; it stores each answer and, unless
`answer` says it was a same-day repeat, the new SM-2 state from `quizapp.scheduling.sm2.review`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from quizapp.scheduling.settings import Settings
from quizapp.scheduling.sm2 import check_grade, needs_repeat

SUSPENDED_UNTIL = date.max
"""A suspended item is an item buried for good: every queue and due count leaves it out."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reviewable item as the queue sees it."""

    deck_id: str
    item_id: str
    """The card id, or `"card-id#c2"` for one deletion of a cloze card."""
    due: date | None
    """The day it is due; None for a new item (never studied)."""
    order: int
    """Its position in its deck file; new items are introduced in this order."""

    @property
    def key(self) -> tuple[str, str]:
        """`(deck_id, item_id)`: what identifies the item, whatever its due date."""
        return (self.deck_id, self.item_id)

    @property
    def is_new(self) -> bool:
        return self.due is None

    @property
    def note(self) -> tuple[str, str]:
        """`(deck_id, card_id)`: the card this item comes from; a cloze's deletions share it."""
        return (self.deck_id, self.item_id.partition("#")[0])


def todays_queue(
    reviews_and_new: Iterable[Candidate],
    today: date,
    settings: Settings,
    seed: int,
    new_done_today: Mapping[str, int] = {},
    reviews_done_today: int | Mapping[str, int] = 0,
    repeats: Sequence[Candidate] = (),
) -> list[Candidate]:
    """Today's study queue, in the order to show it.

    1. Due reviews (`due <= today`): most overdue first; items due the same day in an order
       shuffled by `seed` (the same seed and items always give the same order).
    2. New items (`due is None`): decks in the order they first appear in `reviews_and_new`,
       each deck's items by `order`, at most `settings.new_limit(deck)` minus
       `new_done_today[deck]` per deck.
    3. The step-7 `repeats` (items graded below 4 earlier today and not graded 4 or 5 since),
       in the order given, whatever the limits: they were counted when first answered.

    Reviews and new items together stay within `settings.reviews_per_day` minus
    `reviews_done_today`, and within each deck's own `review_limit` if it has one.
    `reviews_done_today` counts today's answers that were not same-day repeats (new items
    included): a total, or a mapping of deck id to count (whose sum is the total).
    Items due after today are left out; an item given twice is taken once.
    """
    if isinstance(reviews_done_today, Mapping):
        done_by_deck: Mapping[str, int] = reviews_done_today
        done_total = sum(reviews_done_today.values())
    else:
        done_by_deck, done_total = {}, reviews_done_today
    budget = max(0, settings.reviews_per_day - done_total)
    deck_budget: dict[str, int] = {}

    def take(candidate: Candidate) -> bool:
        nonlocal budget
        deck = candidate.deck_id
        if deck not in deck_budget:
            deck_budget[deck] = max(0, settings.review_limit(deck) - done_by_deck.get(deck, 0))
        if budget <= 0 or deck_budget[deck] <= 0:
            return False
        budget -= 1
        deck_budget[deck] -= 1
        return True

    seen: set[tuple[str, str]] = set()
    due: list[Candidate] = []
    new: list[Candidate] = []
    deck_rank: dict[str, int] = {}
    for candidate in reviews_and_new:
        if candidate.key in seen:
            continue
        seen.add(candidate.key)
        deck_rank.setdefault(candidate.deck_id, len(deck_rank))
        if candidate.due is None:
            new.append(candidate)
        elif candidate.due <= today:
            due.append(candidate)

    # Shuffle from a canonical order so only the seed decides ties, then sort stably by due.
    due.sort(key=lambda c: c.key)
    random.Random(seed).shuffle(due)
    due.sort(key=lambda c: c.due or today)
    queue = [c for c in due if take(c)]

    new.sort(key=lambda c: (deck_rank[c.deck_id], c.order))
    new_left = {
        deck: max(0, settings.new_limit(deck) - new_done_today.get(deck, 0)) for deck in deck_rank
    }
    for candidate in new:
        if new_left[candidate.deck_id] > 0 and take(candidate):
            new_left[candidate.deck_id] -= 1
            queue.append(candidate)

    queued = {c.key for c in queue}
    for candidate in repeats:
        if candidate.key not in queued:
            queued.add(candidate.key)
            queue.append(candidate)
    return queue


def pending_repeats(todays_answers: Iterable[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """The step-7 repeats still owed today, worked out from today's answers.

    `todays_answers`: `(deck_id, item_id, grade)` of every answer of the study day, reviews and
    repeats alike, oldest first (study sessions only, not quizzes). An item is owed a repeat when
    its latest grade today is below 4. Returns their `(deck_id, item_id)` keys, the one whose
    latest answer is oldest first: the order to pass them to `todays_queue` as `repeats`.
    """
    latest: dict[tuple[str, str], int] = {}
    for deck_id, item_id, grade in todays_answers:
        key = (deck_id, item_id)
        latest.pop(key, None)  # re-insert so dict order is the order of latest answers
        latest[key] = check_grade(grade)
    return [key for key, grade in latest.items() if needs_repeat(grade)]


def quiz_items(candidates: Sequence[Candidate], count: int, seed: int) -> list[Candidate]:
    """`count` items drawn at random (by `seed`) regardless of their schedule, for a quiz.

    Each item at most once; all of them, shuffled, if there are fewer than `count`.
    """
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    unique = list({c.key: c for c in reversed(candidates)}.values())[::-1]
    return random.Random(seed).sample(unique, min(count, len(unique)))


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer given in a session, as `StudySession.undo` hands it back."""

    candidate: Candidate
    grade: int
    repeat: bool
    """A same-day repeat: it was logged, but it did not change the item's SM-2 state."""
    siblings: tuple[Candidate, ...] = ()
    """Siblings (other deletions of the same cloze) this answer took out of the session."""


@dataclass(frozen=True, slots=True)
class Bury:
    """A `bury` in a session, as `StudySession.undo` hands it back."""

    candidate: Candidate


@dataclass(frozen=True, slots=True)
class _Snapshot:
    remaining: tuple[Candidate, ...]
    reviewed: frozenset[tuple[str, str]]
    answered: int


class StudySession:
    """One sitting over a queue: the current item, answers, same-day repeats, undo and bury.

    Pure, in-memory state; storing answers is the caller's job. Typical use::

        session = StudySession(todays_queue(..., repeats=repeats), repeats=repeats)
        while (item := session.current) is not None:
            grade = ...  # ask the learner
            if session.answer(grade):
                ...  # a same-day repeat: log the answer only
            else:
                ...  # log it and store sm2.review(state, grade, today)

    Every item graded below 4 goes back to the end of the queue, after the items not yet shown,
    and comes back until it is graded 4 or 5 (SM-2 step 7). Only an item's first answer of the
    day is a review; later ones are repeats.

    As in Anki, an answer takes its siblings (the other deletions of the same cloze card) out
    of the session: they wait for another day instead of coming back to back and giving each
    other away. A sibling already answered today (a pending repeat) stays.

    For a header such as "7 / 32 · 3 to repeat": `position` / `total` · `repeats_pending`.
    """

    def __init__(self, queue: Iterable[Candidate], repeats: Iterable[Candidate] = ()) -> None:
        """Start a sitting on `queue` (e.g. from `todays_queue`).

        `repeats`: the items already reviewed earlier today that wait for a repeat (the same
        `repeats` given to `todays_queue`); answering them is a repeat from the start.
        """
        self._remaining: tuple[Candidate, ...] = tuple(queue)
        self._reviewed: frozenset[tuple[str, str]] = frozenset(c.key for c in repeats)
        self._answered = 0
        self._undo: list[tuple[_Snapshot, Answer | Bury]] = []

    @property
    def current(self) -> Candidate | None:
        """The item to show now; None when the session is finished."""
        return self._remaining[0] if self._remaining else None

    @property
    def current_is_repeat(self) -> bool:
        """Whether answering the current item will be a same-day repeat."""
        current = self.current
        return current is not None and current.key in self._reviewed

    @property
    def remaining(self) -> tuple[Candidate, ...]:
        """The items still to show, the current one first (an item may come back later)."""
        return self._remaining

    @property
    def answered(self) -> int:
        """Answers given in this session, repeats included."""
        return self._answered

    @property
    def position(self) -> int:
        """1-based number of the current item among all shown so far (answered + 1);
        `answered` once finished."""
        return self._answered + (1 if self._remaining else 0)

    @property
    def total(self) -> int:
        """Answers this session will take as things stand: answered + remaining.

        That is the queue's length, plus every repeat added by a grade below 4, minus buried
        items; it grows while items are graded below 4.
        """
        return self._answered + len(self._remaining)

    @property
    def repeats_pending(self) -> int:
        """Remaining items (the current one included) that were already answered today."""
        return sum(1 for c in self._remaining if c.key in self._reviewed)

    @property
    def is_finished(self) -> bool:
        return not self._remaining

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def last_step(self) -> Answer | Bury | None:
        """What `undo` would undo, without undoing it (None if nothing): so that the caller
        can undo what it stored first, and leave the session as it is if that is refused."""
        return self._undo[-1][1] if self._undo else None

    def answer(self, grade: int, comes_back: bool | None = None) -> bool:
        """Record `grade` (0-5) for the current item and move on.

        Returns True when this answer is a same-day repeat: the caller logs it but must not
        change the item's SM-2 state. A grade below 4 puts the item back at the end of the queue;
        `comes_back`, when given, decides instead (FSRS: the item is in a learning step due
        again today). Raises ValueError for a bad grade, IndexError if the session is finished.
        """
        check_grade(grade)
        current = self._current_or_raise()
        repeat = current.key in self._reviewed
        rest = self._remaining[1:]
        siblings = tuple(
            c
            for c in rest
            if c.note == current.note and c.key != current.key and c.key not in self._reviewed
        )
        self._push(Answer(current, grade, repeat, siblings))
        rest = tuple(c for c in rest if c not in siblings)
        again = needs_repeat(grade) if comes_back is None else comes_back
        self._remaining = (*rest, current) if again else rest
        self._reviewed = self._reviewed | {current.key}
        self._answered += 1
        return repeat

    def answered_today(self, key: tuple[str, str]) -> bool:
        """Whether the item was answered today (in this session, or before it as a repeat)."""
        return key in self._reviewed

    def bury(self) -> Candidate:
        """Drop the current item for the rest of this session (any pending repeat too).

        Returns the buried item. Raises IndexError if the session is finished.
        """
        current = self._current_or_raise()
        self._push(Bury(current))
        self._remaining = tuple(c for c in self._remaining if c.key != current.key)
        return current

    def discard(self, candidate: Candidate | None = None) -> None:
        """Remove an item (default: the current one) from the session for good, not undoable.

        For an item that can no longer be shown (e.g. its card left the deck file): unlike
        `bury`, it leaves no undo step, and undoing earlier steps does not bring it back.
        """
        target = candidate if candidate is not None else self._current_or_raise()

        def keep(items: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
            return tuple(c for c in items if c.key != target.key)

        self._remaining = keep(self._remaining)
        self._undo = [
            (replace(snapshot, remaining=keep(snapshot.remaining)), action)
            for snapshot, action in self._undo
        ]

    def undo(self) -> Answer | Bury | None:
        """Undo the last `answer` or `bury`: the session is as it was before it, so that
        item is current again.

        Returns what was undone (for an `Answer`, the caller also undoes what it stored for it),
        or None if there is nothing to undo.
        """
        if not self._undo:
            return None
        snapshot, action = self._undo.pop()
        self._remaining = snapshot.remaining
        self._reviewed = snapshot.reviewed
        self._answered = snapshot.answered
        return action

    def _push(self, action: Answer | Bury) -> None:
        snapshot = _Snapshot(self._remaining, self._reviewed, self._answered)
        self._undo.append((snapshot, action))

    def _current_or_raise(self) -> Candidate:
        if not self._remaining:
            raise IndexError("the study session is finished")
        return self._remaining[0]
