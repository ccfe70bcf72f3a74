"""The study queue, the check before each card and the home counts, as SQL on plain sqlite3.

Starting a study session or the home screen needs only these reads, and they must not wait
for SQLAlchemy to be imported (a quarter of a second, more than anything else before the
first card): the study app runs them on the connection `quickstart` opens, or once the store
is open on its pooled sqlite3 connection (`Store.read_dbapi`); the `decks` command runs
`deck_summaries` the same way. They are the only implementation of these queries. This
module imports no SQLAlchemy and keeps to the models' storage formats: dates as ISO text,
booleans 0/1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from quizapp.scheduling import queue as pure_queue
from quizapp.scheduling.queue import Candidate
from quizapp.scheduling.settings import Settings
from quizapp.scheduling.sm2 import REPEAT_BELOW
from quizapp.scheduling.tags import ItemFilter


def date_in(day: date) -> str:
    """A date as the models store it (SQLAlchemy's SQLite DATE: ISO text)."""
    return day.isoformat()


def date_out(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _deck_filter(deck_ids: Sequence[str] | None, column: str) -> tuple[str, list[str]]:
    if deck_ids is None:
        return "", []
    marks = ", ".join("?" for _ in deck_ids)
    return f" AND {column} IN ({marks})", list(deck_ids)


_LIVE_FROM = (
    " FROM cards JOIN decks ON decks.id = cards.deck_id AND decks.active = 1"
    " LEFT OUTER JOIN card_state ON card_state.deck_id = cards.deck_id"
    " AND card_state.item_id = cards.item_id"
)
_LIVE_WHERE = " WHERE cards.active = 1"
"""Active items of active decks, with their state if any."""
_NOT_BURIED = "(card_state.buried_until IS NULL OR card_state.buried_until <= ?)"
_NOT_BURIED_TODAY = "(card_state.buried_until IS NULL OR card_state.buried_until <= :today)"
"""The same test with the named parameter of `_SUMMARY_SQL`."""


def _repeat_rows(
    conn: sqlite3.Connection, deck_ids: Sequence[str] | None, today: str
) -> list[tuple[str, str, str | None, int]]:
    where, ids = _deck_filter(deck_ids, "cards.deck_id")
    sql = (
        "SELECT cards.deck_id, cards.item_id, card_state.due, cards.position"
        + _LIVE_FROM
        + " JOIN review_log ON review_log.deck_id = cards.deck_id"
        " AND review_log.item_id = cards.item_id"
        + _LIVE_WHERE
        + where
        + " AND "
        + _NOT_BURIED
        + " AND review_log.day = ? AND review_log.session_kind = 'study'"
        " AND review_log.grade < ? AND review_log.id = (SELECT max(later.id) FROM review_log AS"
        " later WHERE later.deck_id = review_log.deck_id AND later.item_id = review_log.item_id"
        " AND later.day = ? AND later.session_kind = 'study') ORDER BY review_log.id"
    )
    return conn.execute(sql, [*ids, today, today, REPEAT_BELOW, today]).fetchall()


def _candidates(rows: list[tuple[str, str, str | None, int]]) -> list[Candidate]:
    days: dict[str, date] = {}  # a few hundred distinct due days among 100,000 rows
    found: list[Candidate] = []
    for deck_id, item_id, due, position in rows:
        if due is None:
            found.append(Candidate(deck_id, item_id, None, position))
            continue
        day = days.get(due)
        if day is None:
            day = days[due] = date.fromisoformat(due)
        found.append(Candidate(deck_id, item_id, day, position))
    return found


def queue_and_repeats(
    conn: sqlite3.Connection,
    deck_ids: Sequence[str] | None,
    today: date,
    settings: Settings,
    seed: int,
    keep: ItemFilter | None = None,
) -> tuple[list[Candidate], list[Candidate]]:
    """Today's study queue over `deck_ids` (None: every active deck) and its step-7 repeats.

    `keep` (`scheduling.tags.item_filter`): only items it keeps are queued, repeats too; the
    rest are left as they are. The reads share one snapshot (one read transaction); `conn`
    must be in autocommit mode (isolation_level None), as quizapp's connections are.
    """
    day = date_in(today)
    where, ids = _deck_filter(deck_ids, "cards.deck_id")
    candidates_sql = (
        "SELECT cards.deck_id, cards.item_id, card_state.due, cards.position"
        + _LIVE_FROM
        + _LIVE_WHERE
        + where
        + " AND (card_state.due IS NULL OR card_state.due <= ?) AND "
        + _NOT_BURIED
    )
    conn.execute("BEGIN")
    try:
        rows = conn.execute(candidates_sql, [*ids, day, day]).fetchall()
        done = conn.execute(_DONE_SQL, (day,)).fetchall()
        repeat_rows = _repeat_rows(conn, deck_ids, day)
    finally:
        conn.execute("COMMIT")
    if keep is not None:
        rows = [row for row in rows if keep(row[0], row[1])]
        repeat_rows = [row for row in repeat_rows if keep(row[0], row[1])]
    rank = {deck_id: i for i, deck_id in enumerate(deck_ids or ())}
    rows.sort(key=lambda r: (rank.get(r[0], len(rank)), r[0], r[3]))
    pending = _candidates(repeat_rows)
    pending_keys = {c.key for c in pending}
    candidates = _candidates(rows)
    del rows  # 100,000 rows at the big size: not alive next to their candidates
    queue = pure_queue.todays_queue(
        (c for c in candidates if c.key not in pending_keys),
        today,
        settings,
        seed,
        new_done_today={deck: new for deck, _, new in done},
        reviews_done_today={deck: count for deck, count, _ in done},
        repeats=pending,
    )
    return queue, pending


_DONE_SQL = (
    "SELECT deck_id, count(id), sum(CASE WHEN due_before IS NULL THEN 1 ELSE 0 END)"
    " FROM review_log WHERE day = ? AND session_kind = 'study' AND repeat IS 0"
    " GROUP BY deck_id"
)
"""Per deck, today's study answers that count against the limits, and how many were new."""


# The check before each card (?1 deck, ?2 item, ?3 day). The unary + keeps SQLite on
# ix_review_log_item (this item's answers) rather than ix_review_log_kind_day (every study
# answer of the day so far).
_ITEM_SQL = (
    "SELECT card_state.due, card_state.buried_until, {today} FROM cards"
    " JOIN decks ON decks.id = cards.deck_id AND decks.active = 1"
    " LEFT OUTER JOIN card_state ON card_state.deck_id = cards.deck_id"
    " AND card_state.item_id = cards.item_id"
    " WHERE cards.deck_id = ?1 AND cards.item_id = ?2 AND cards.active = 1"
)
_TODAY = (
    "review_log.deck_id = ?1 AND review_log.item_id = ?2 AND +review_log.day = ?3"
    " AND +review_log.session_kind = 'study'"
)
FIRST_SQL = _ITEM_SQL.format(
    today=f"EXISTS (SELECT review_log.id FROM review_log WHERE {_TODAY} AND review_log.repeat IS 0)"
)
REPEAT_SQL = _ITEM_SQL.format(
    today=f"(SELECT review_log.grade FROM review_log WHERE {_TODAY}"
    " ORDER BY review_log.id DESC LIMIT 1)"
)


def still_due(
    conn: sqlite3.Connection, deck_id: str, item_id: str, today: date, *, repeat: bool = False
) -> bool:
    """Whether a queued item should still be shown in today's study session.

    A study session builds its queue once; if the item was answered meanwhile in another
    quizapp (another terminal), asking it again would review it twice in a day, so the
    study screen asks this right before it shows each card.

    For a first review (`repeat` False): the item is active, not buried, new or due by
    `today`, and nobody has reviewed it today (a study answer that was not a repeat).
    For a same-day repeat (`repeat` True): the item is active, not buried, and its latest
    study answer today is still graded below 4 (nobody has repeated it to a pass since).
    """
    params = (deck_id, item_id, date_in(today))
    found = conn.execute(REPEAT_SQL if repeat else FIRST_SQL, params).fetchone()
    if found is None:
        return False
    due, buried_until, answered = found
    buried = date_out(buried_until)
    if buried is not None and buried > today:
        return False
    if repeat:
        return answered is not None and answered < REPEAT_BELOW
    day = date_out(due)
    return not answered and (day is None or day <= today)


@dataclass(frozen=True, slots=True)
class DeckSummary:
    deck_id: str
    title: str
    cards: int
    """Active reviewable items (a cloze with 3 deletions counts 3)."""
    new: int
    """New items that today's queue will show (under the new-card limit)."""
    repeats: int
    """Step-7 repeats left today: items whose last study grade today is below 4."""
    due: int
    """Reviews due today (overdue included) that today's queue will show."""
    total_today: int


_SUMMARY_SQL = (
    "SELECT decks.id, decks.title, count(cards.item_id),"
    " coalesce(sum(CASE WHEN card_state.due IS NULL AND "
    + _NOT_BURIED_TODAY
    + " THEN 1 ELSE 0 END), 0),"
    " coalesce(sum(CASE WHEN card_state.due <= :today AND "
    + _NOT_BURIED_TODAY
    + " THEN 1 ELSE 0 END), 0),"
    " (SELECT count(log.id) FROM review_log AS log WHERE log.deck_id = decks.id"
    " AND log.day = :today AND log.session_kind = 'study' AND log.repeat IS 0"
    " AND log.due_before IS NULL),"
    " (SELECT count(log.id) FROM review_log AS log WHERE log.deck_id = decks.id"
    " AND log.day = :today AND log.session_kind = 'study' AND log.repeat IS 0),"
    " (SELECT count(review_log.id) FROM review_log JOIN cards AS item"
    " ON item.deck_id = review_log.deck_id AND item.item_id = review_log.item_id"
    " AND item.active = 1 LEFT OUTER JOIN card_state ON card_state.deck_id = item.deck_id"
    " AND card_state.item_id = item.item_id"
    " WHERE review_log.deck_id = decks.id AND review_log.day = :today AND "
    + _NOT_BURIED_TODAY
    + " AND review_log.session_kind = 'study' AND review_log.grade < :below"
    " AND review_log.id = (SELECT max(later.id) FROM review_log AS later"
    " WHERE later.deck_id = review_log.deck_id AND later.item_id = review_log.item_id"
    " AND later.day = :today AND later.session_kind = 'study'))"
    " FROM decks LEFT OUTER JOIN cards ON cards.deck_id = decks.id AND cards.active = 1"
    " LEFT OUTER JOIN card_state ON card_state.deck_id = cards.deck_id"
    " AND card_state.item_id = cards.item_id"
    " WHERE decks.active = 1 GROUP BY decks.id, decks.title ORDER BY decks.id"
)


_SUMMARY_ITEMS_SQL = (
    "SELECT decks.id, decks.title, cards.item_id, card_state.due, card_state.buried_until"
    " FROM decks LEFT OUTER JOIN cards ON cards.deck_id = decks.id AND cards.active = 1"
    " LEFT OUTER JOIN card_state ON card_state.deck_id = cards.deck_id"
    " AND card_state.item_id = cards.item_id"
    " WHERE decks.active = 1 ORDER BY decks.id"
)


def deck_summaries(
    conn: sqlite3.Connection, today: date, settings: Settings, keep: ItemFilter | None = None
) -> list[DeckSummary]:
    """Per active deck, today's counts, in one statement (see `DeckSummary`).

    With `keep` (a tag filter), only the items it keeps are counted, as `queue_and_repeats`
    queues only those: the items are read one by one and counted here.
    """
    if keep is None:
        rows = conn.execute(_SUMMARY_SQL, {"today": date_in(today), "below": REPEAT_BELOW})
        return summaries_of(rows.fetchall(), settings)
    day = date_in(today)
    conn.execute("BEGIN")
    try:
        items = conn.execute(_SUMMARY_ITEMS_SQL).fetchall()
        done = conn.execute(_DONE_SQL, (day,)).fetchall()
        repeat_rows = _repeat_rows(conn, None, day)
    finally:
        conn.execute("COMMIT")
    answered = {deck: (count, new) for deck, count, new in done}
    repeats: dict[str, int] = {}
    for deck_id, item_id, _, _ in repeat_rows:
        if keep(deck_id, item_id):
            repeats[deck_id] = repeats.get(deck_id, 0) + 1
    counts: dict[str, list[Any]] = {}
    for deck_id, title, item_id, due, buried_until in items:
        count = counts.setdefault(deck_id, [deck_id, title, 0, 0, 0])
        if item_id is None or not keep(deck_id, item_id):
            continue
        count[2] += 1
        if buried_until is not None and buried_until > day:
            continue
        if due is None:
            count[3] += 1
        elif due <= day:
            count[4] += 1
    return summaries_of(
        (
            (
                *count,
                answered.get(deck_id, (0, 0))[1],
                answered.get(deck_id, (0, 0))[0],
                repeats.get(deck_id, 0),
            )
            for deck_id, count in counts.items()
        ),
        settings,
    )


def summaries_of(rows: Iterable[Sequence[Any]], settings: Settings) -> list[DeckSummary]:
    """Summaries from rows of (deck id, title, items, new available, due, new done today,
    answered today, repeats pending): the limits applied as `todays_queue` applies them."""
    rows = list(rows)
    global_left = max(0, settings.reviews_per_day - sum(row[6] for row in rows))
    summaries = []
    for deck_id, title, cards, new_available, due_count, new_done, answered, repeat_count in rows:
        budget = min(global_left, max(0, settings.review_limit(deck_id) - answered))
        due = min(due_count, budget)
        new_left = max(0, settings.new_limit(deck_id) - new_done)
        new = min(new_available, new_left, budget - due)
        summaries.append(
            DeckSummary(
                deck_id=deck_id,
                title=title,
                cards=cards,
                new=new,
                repeats=repeat_count,
                due=due,
                total_today=new + repeat_count + due,
            )
        )
    return summaries
