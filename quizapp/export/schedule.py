"""SM-2 progress as Anki scheduling: card columns for studied items, revlog rows for answers.

A card the writer inserts is new unless it has one of these schedules; the revlog rows are
streamed into the package's collection after the cards. Pure: no clock, no database.

How our state maps to Anki's (documented for users in the README's "Export to Anki"):

- A studied item (it has a due date) becomes a review card: type 2, queue 2, `ivl` = interval,
  `factor` = easiness x 1000, `reps` = answers logged, `lapses` = lapses, `due` = its due date.
  An item never studied stays a new card.
- Anki keeps a review card's `due` as days since the collection's creation day. The package's
  collection is created on `COLLECTION_CREATED_DATE` with a UTC creation offset and the
  learner's rollover hour, so its "today" is the learner's study day counted from that date;
  Anki's importer shifts `due` by the difference between that collection's today and the target
  collection's today, which lands every card on the same calendar day it was due in quizapp.
- Each answer becomes a revlog row: id = answer time in ms, ease from the SM-2 grade
  (0-2 -> 1 Again, 3 -> 2 Hard, 4 -> 3 Good, 5 -> 4 Easy), ivl / lastIvl = interval after /
  before (days), factor = easiness after x 1000, time = the time taken to answer in ms (Anki's
  revlog `time`; when it was answered is the id), type = 0 learn
  (first answer of a new item), 1 review, 2 relearn (an item failed since its last success),
  3 (Anki's "filtered"/cram type) for answers that did not move the schedule: quizzes and
  same-day repeats.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, NamedTuple

from quizapp.deck.model import split_item_id

if TYPE_CHECKING:
    from quizapp.storage.repository import ItemProgress, ReviewRecord

COLLECTION_CREATED = 1411124400
"""`crt` of the package's collection: 2014-09-19 11:00 UTC, fixed (every package has the same
day 0, so a review card's `due` depends only on its due date)."""
COLLECTION_CREATED_DATE = date(2014, 9, 19)
"""Its creation day with a UTC creation offset: day 0 of every review card's `due`."""

CARD_TYPE_REVIEW = 2
QUEUE_REVIEW = 2
REVLOG_LEARN = 0
REVLOG_REVIEW = 1
REVLOG_RELEARN = 2
REVLOG_CRAM = 3
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_MS = timedelta(milliseconds=1)
EASE_FOR_GRADE: Mapping[int, int] = {0: 1, 1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
"""SM-2 grade -> Anki answer button: 1 Again, 2 Hard, 3 Good, 4 Easy."""


@dataclass(frozen=True, slots=True)
class CardSchedule:
    """Anki columns for one review card, addressed by its note GUID and template ordinal."""

    guid: str
    ord: int
    due: int
    """Days since `COLLECTION_CREATED_DATE`."""
    ivl: int
    factor: int
    reps: int
    lapses: int
    data: str = ""
    """Anki's card data JSON: for an FSRS deck the memory state, {"s", "d", "dr", "decay",
    "lrt"} (stability, difficulty, desired retention, FSRS-6's decay, last review in s)."""


@dataclass(frozen=True, slots=True)
class FsrsCard:
    """An FSRS item's schedule for Anki: its interval (days) and its card data JSON."""

    ivl: int
    data: str


class RevlogRow(NamedTuple):
    id: int
    """Answer time in ms since the epoch (unique within a package)."""
    guid: str
    ord: int
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time: int
    """The time taken to answer, in ms (never negative)."""
    type: int


class AnswerRow(NamedTuple):
    """The columns of one logged answer that its revlog row needs, as the store keeps them."""

    id: int
    deck_id: str
    card_id: str
    item_id: str
    reviewed_at: datetime
    """UTC (naive means UTC)."""
    grade: int
    duration_ms: int
    session_kind: str
    repeat: int
    """1 (or True) for a same-day repeat."""
    repetitions_before: int
    interval_before: int
    interval_after: int
    easiness_milli_after: int


def answer_row(review: ReviewRecord) -> AnswerRow:
    return AnswerRow(
        id=review.id,
        deck_id=review.deck_id,
        card_id=review.card_id,
        item_id=review.item_id,
        reviewed_at=review.reviewed_at,
        grade=review.grade,
        duration_ms=review.duration_ms,
        session_kind=review.session_kind,
        repeat=review.repeat,
        repetitions_before=review.before.repetitions,
        interval_before=review.before.interval,
        interval_after=review.after.interval,
        easiness_milli_after=anki_factor(review.after.easiness),
    )


def card_ord(item_id: str) -> int:
    """The Anki template ordinal of an item: 0, or N-1 for cloze deletion cN."""
    _, number = split_item_id(item_id)
    return 0 if number is None else number - 1


def anki_due(due: date) -> int:
    """A due date as days since the package collection's creation day (never negative)."""
    return max(0, (due - COLLECTION_CREATED_DATE).days)


def anki_factor(easiness: Decimal) -> int:
    """Easiness x 1000 as Anki's integer ease factor: `Decimal("2.36")` -> 2360."""
    return int((Decimal(easiness) * 1000).to_integral_value(rounding=ROUND_HALF_UP))


def epoch_ms(moment: datetime) -> int:
    """A datetime (naive means UTC) as whole ms since the epoch, without float rounding."""
    if moment.tzinfo is None:
        return (moment - _NAIVE_EPOCH) // _MS
    return (moment - _EPOCH) // _MS


def card_schedules(
    items: Iterable[ItemProgress],
    guids: Mapping[tuple[str, str], str],
    fsrs: Mapping[tuple[str, str], FsrsCard] | None = None,
) -> list[CardSchedule]:
    """Review-card columns for every studied item whose card is exported.

    `guids` maps (deck id, card id) to the note GUID of each exported card; items of cards not
    exported (or of cloze deletions the card no longer has, which the writer skips) are left out.
    `fsrs`: the items of FSRS decks, by (deck id, item id): their FSRS interval and memory state
    (their due date already is FSRS's).
    """
    rows: list[CardSchedule] = []
    for item in items:
        if item.due is None:
            continue
        guid = guids.get((item.deck_id, item.card_id))
        if guid is None:
            continue
        memory = fsrs.get((item.deck_id, item.item_id)) if fsrs else None
        rows.append(
            CardSchedule(
                guid=guid,
                ord=card_ord(item.item_id),
                due=anki_due(item.due),
                ivl=max(1, item.interval if memory is None else memory.ivl),
                factor=anki_factor(item.easiness),
                reps=max(item.reviews, item.repetitions),
                lapses=item.lapses,
                data=memory.data if memory is not None else sm2_card_data(item.last_review),
            )
        )
    return rows


def sm2_card_data(last_review: datetime | None) -> str:
    """Anki's card data JSON for an SM-2 review card: its last review time ("lrt", in s),
    which Anki keeps for every review card (its Check Database adds it where missing)."""
    if last_review is None:
        return ""
    return json.dumps({"lrt": epoch_ms(last_review) // 1000}, separators=(",", ":"))


def revlog_type(review: ReviewRecord | AnswerRow) -> int:
    """Anki's revlog type for one answer (see the module docstring)."""
    if isinstance(review, AnswerRow):
        return _revlog_type(
            bool(review.repeat),
            review.session_kind,
            review.interval_before,
            review.repetitions_before,
        )
    before = review.before
    return _revlog_type(review.repeat, review.session_kind, before.interval, before.repetitions)


def _revlog_type(repeat: int, session_kind: str, interval: int, repetitions: int) -> int:
    """`repeat`: 1 or True for a same-day repeat (as the store or a ReviewRecord has it)."""
    if repeat or session_kind != "study":
        return REVLOG_CRAM
    if interval == 0:
        return REVLOG_LEARN
    if repetitions == 0:
        return REVLOG_RELEARN
    return REVLOG_REVIEW


def revlog_rows(
    reviews: Iterable[ReviewRecord], guids: Mapping[tuple[str, str], str]
) -> list[RevlogRow]:
    """One revlog row per logged answer of an exported card, oldest first, with unique ids."""
    ordered = sorted(reviews, key=lambda r: (r.reviewed_at, r.id))
    return list(iter_revlog_rows(map(answer_row, ordered), guids))


def iter_revlog_rows(
    answers: Iterable[AnswerRow], guids: Mapping[tuple[str, str], str]
) -> Iterator[RevlogRow]:
    """`revlog_rows` of answers already oldest first (by `reviewed_at`, then `id`), one by one.

    Rows are made as they are consumed, so a million answers read in chunks from the store
    never sit in memory together.
    """
    last_id = -1
    ords: dict[str, int] = {}
    for answer in answers:
        (_, deck_id, card_id, item_id, reviewed_at, grade, duration_ms, session_kind, repeat) = (
            answer[:9]
        )
        guid = guids.get((deck_id, card_id))
        if guid is None:
            continue
        # Anki's revlog id is the answer time in ms and must be unique: nudge exact ties.
        row_id = epoch_ms(reviewed_at)
        if row_id <= last_id:
            row_id = last_id + 1
        last_id = row_id
        ord_ = ords.get(item_id)
        if ord_ is None:
            ord_ = ords[item_id] = card_ord(item_id)
        repetitions_before, interval_before, interval_after, easiness_milli_after = answer[9:]
        yield RevlogRow(
            row_id,
            guid,
            ord_,
            EASE_FOR_GRADE[grade],
            interval_after,
            interval_before,
            easiness_milli_after,
            max(0, duration_ms),
            _revlog_type(bool(repeat), session_kind, interval_before, repetitions_before),
        )
