"""FSRS decks on a plain sqlite3 connection: which scheduler, and FSRS's same-day steps.

What the study app needs before its first card (is every deck's schedule current? which FSRS
items are owed a same-day step?) without importing SQLAlchemy, as `studysql` does for SM-2:
these functions run on the quick start's connection and on the store's pooled one alike.
The rest of FSRS in the store (answers, replays, switching) is `fsrs_store`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from quizapp.scheduling import fsrs
from quizapp.scheduling.fsrs import FsrsConfig
from quizapp.scheduling.queue import Candidate
from quizapp.scheduling.settings import Settings
from quizapp.scheduling.sm2 import REPEAT_BELOW, Sm2State, review

if TYPE_CHECKING:
    from quizapp.storage.events import AfterItem

SM2 = "sm2"
ALL_DECKS = ""
"""The deck id under which parameters fitted on every deck are stored."""


def _rows(conn: sqlite3.Connection) -> dict[str, tuple[str | None, str | None]]:
    found = conn.execute("SELECT deck_id, schedule, parameters FROM deck_scheduler").fetchall()
    return {deck_id: (schedule, parameters) for deck_id, schedule, parameters in found}


def _parameters(rows: Mapping[str, tuple[str | None, str | None]], deck_id: str) -> Any:
    for key in (deck_id, ALL_DECKS):
        text = rows.get(key, (None, None))[1]
        if text:
            return fsrs.check_parameters(json.loads(text))
    return None


def config_of(
    rows: Mapping[str, tuple[str | None, str | None]], settings: Settings, deck_id: str
) -> FsrsConfig | None:
    """The FSRS configuration of a deck (None: the deck uses SM-2)."""
    if settings.scheduler_for(deck_id) != "fsrs":
        return None
    parameters = _parameters(rows, deck_id)
    retention = settings.retention_for(deck_id)
    if parameters is None:
        return FsrsConfig(desired_retention=retention)
    return FsrsConfig(parameters=parameters, desired_retention=retention)


def schedule_key(config: FsrsConfig | None, rollover_hour: int) -> str:
    """What `deck_scheduler.schedule` records: "sm2", or the FSRS key and the rollover hour
    (FSRS's due times become study days at that hour)."""
    return SM2 if config is None else f"{config.key}:{rollover_hour}"


def schedules_current(
    conn: sqlite3.Connection, deck_ids: Iterable[str], settings: Settings
) -> bool:
    """Whether every deck's due days already follow its configured scheduler (plain sqlite3)."""
    try:
        rows = _rows(conn)
    except Exception:
        return False
    for deck_id in deck_ids:
        config = config_of(rows, settings, deck_id)
        wanted = schedule_key(config, settings.rollover_hour)
        if (rows.get(deck_id, (None, None))[0] or SM2) != wanted:
            return False
    return True


# --- same-day steps ------------------------------------------------------------------------

_STEPS_SQL = (
    "SELECT cards.deck_id, cards.item_id, card_state.due, cards.position, max(review_log.id)"
    " FROM review_log JOIN cards ON cards.deck_id = review_log.deck_id"
    " AND cards.item_id = review_log.item_id AND cards.active = 1"
    " JOIN card_state ON card_state.deck_id = cards.deck_id AND card_state.item_id = cards.item_id"
    " WHERE review_log.deck_id = ? AND review_log.day = ? AND review_log.session_kind = 'study'"
    " AND card_state.due <= ? AND (card_state.buried_until IS NULL OR card_state.buried_until <= ?)"
    " GROUP BY cards.deck_id, cards.item_id ORDER BY max(review_log.id)"
)


def fsrs_steps(conn: sqlite3.Connection, deck_id: str, today: date) -> list[Candidate]:
    """Items of an FSRS deck answered today that FSRS wants again today (a learning step):
    its same-day repeats, oldest last answer first."""
    day = today.isoformat()
    rows = conn.execute(_STEPS_SQL, (deck_id, day, day, day)).fetchall()
    return [Candidate(d, i, date.fromisoformat(due), pos) for d, i, due, pos, _ in rows]


def fsrs_still_due(conn: sqlite3.Connection, deck_id: str, item_id: str, today: date) -> bool:
    """Whether an FSRS item answered today is still owed its same-day step."""
    return any(c.item_id == item_id for c in fsrs_steps(conn, deck_id, today))


def with_fsrs_steps(
    queue: list[Candidate],
    pending: list[Candidate],
    steps: Mapping[str, list[Candidate]],
) -> tuple[list[Candidate], list[Candidate]]:
    """Today's queue and repeats with FSRS's rules for the FSRS decks in `steps`: their items
    come back today when FSRS's learning steps say so, not when graded below 4."""
    drop = {c.key for found in steps.values() for c in found} | {c.key for c in pending}
    keep = [c for c in queue if c.deck_id not in steps or c.key not in drop]
    pending = [c for c in pending if c.deck_id not in steps]
    extra = [c for found in steps.values() for c in found]
    return keep + extra, pending + extra


# --- each grade's next interval, before grading --------------------------------------------

_SM2_STATE = (
    "SELECT repetitions, interval, easiness_milli, due FROM card_state"
    " WHERE deck_id = ? AND item_id = ? AND due IS NOT NULL"
)


def stored_time(text: str) -> datetime:
    """A UTC time as the models store it (naive ISO text) as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


_ITEM_MARK = (
    "SELECT count(id), max(id), max(reviewed_at) FROM review_log WHERE deck_id = ?1"
    " AND item_id = ?2 AND session_kind = 'study' AND id <= ?3"
)
_ITEM_ROWS_AFTER = (
    "SELECT id, grade, reviewed_at FROM review_log WHERE deck_id = ?1 AND item_id = ?2"
    " AND session_kind = 'study' AND id > ?3 ORDER BY id"
)
_SEEDS = (
    "SELECT item_id, state, step, stability, difficulty, due_at, last_review, covers_until"
    " FROM fsrs_seed WHERE deck_id = ?1"
)
_LAST_STATES: dict[
    tuple[str, str, str], tuple[tuple[Any, ...], fsrs.Seed | None, fsrs.FsrsState]
] = {}
"""Per item seen in this process: its FSRS state, the mark (count, last id, last time) of
the study answers it replays and the seed it starts from. The preview before grading fills
it, so the answer replays only itself; a log that no longer agrees with the mark (an undo,
another process) or a new seed (an import) is replayed in full."""


def _seed(row: Sequence[Any]) -> fsrs.Seed:
    _, state, step, stability, difficulty, due_at, last_review, covers_until = row
    return fsrs.Seed(
        fsrs.FsrsState(
            state=int(state),
            step=step,
            stability=float(stability),
            difficulty=float(difficulty),
            due_at=stored_time(due_at),
            last_review=stored_time(last_review),
        ),
        stored_time(covers_until),
    )


def deck_seeds(
    conn: sqlite3.Connection, deck_id: str, item_id: str | None = None
) -> dict[str, fsrs.Seed]:
    """The seeds (`fsrs_seed`) of a deck's items, or of one item, by item id."""
    if item_id is None:
        rows = conn.execute(_SEEDS, (deck_id,)).fetchall()
    else:
        rows = conn.execute(_SEEDS + " AND item_id = ?2", (deck_id, item_id)).fetchall()
    return {row[0]: _seed(row) for row in rows}


def item_state(
    conn: sqlite3.Connection, deck_id: str, item_id: str, config: FsrsConfig
) -> fsrs.FsrsState | None:
    """The item's FSRS state: its seed if it has one, then the replay of its study answers
    (those the seed does not cover), continued from the last state this process computed
    while the log and the seed still agree with it."""
    key = (deck_id, item_id, config.key)
    seed = deck_seeds(conn, deck_id, item_id).get(item_id)
    cached = _LAST_STATES.get(key)
    state: fsrs.FsrsState | None = None if seed is None else seed.state
    count, last_id, last_at = 0, 0, None
    if cached is not None:
        mark, seeded, known = cached
        if seeded == seed and (
            tuple(conn.execute(_ITEM_MARK, (deck_id, item_id, mark[1])).fetchone()) == mark
        ):
            state, (count, last_id, last_at) = known, mark
    rows = conn.execute(_ITEM_ROWS_AFTER, (deck_id, item_id, last_id)).fetchall()
    for row_id, grade, at in rows:
        moment = stored_time(at)
        if seed is None or not seed.covers(moment):
            state = fsrs.review(state, grade, moment, config)
        count, last_id, last_at = count + 1, row_id, at
    if state is not None:
        if len(_LAST_STATES) > 10_000:
            _LAST_STATES.clear()
        _LAST_STATES[key] = ((count, last_id, last_at), seed, state)
    return state


def sm2_preview(state: Sm2State, today: date, repeat: bool) -> dict[str, str]:
    """What each grade would do to an SM-2 item: its next interval ("today+1d": back later
    today, step 7, then due in a day). A same-day repeat changes nothing."""
    if repeat:
        return {"0-3": "today", "4-5": "done today"}
    spans = {}
    for label, grade in (("0-2", 0), ("3", 3), ("4", 4), ("5", 5)):
        days = review(state, grade, today).interval
        spans[label] = ("today+" if grade < REPEAT_BELOW else "") + f"{days}d"
    return spans


def fsrs_preview(state: fsrs.FsrsState | None, now: datetime, config: FsrsConfig) -> dict[str, str]:
    """What each grade would do to an FSRS item: the time until it is due again."""
    spans = fsrs.preview(state, now, config)
    labels = {1: "0-2", 3: "3", 4: "4", 5: "5"}
    return {labels[grade]: fsrs.format_span(span) for grade, span in spans.items()}


def preview_text(
    conn: sqlite3.Connection,
    settings: Settings,
    deck_id: str,
    item_id: str,
    now: datetime,
    today: date,
    repeat: bool,
) -> str:
    """The line the study screen shows before grading, under the deck's scheduler:
    "next: 0-2 10m · 3 15m · 4 1d · 5 8d"."""
    config = config_of(_rows(conn), settings, deck_id)
    if config is None:
        found = conn.execute(_SM2_STATE, (deck_id, item_id)).fetchone()
        state = Sm2State()
        if found is not None:
            repetitions, interval, milli, due = found
            state = Sm2State.from_thousandths(repetitions, interval, milli, date.fromisoformat(due))
        spans = sm2_preview(state, today, repeat)
    else:
        spans = fsrs_preview(item_state(conn, deck_id, item_id, config), now, config)
    return "next: " + " · ".join(f"{label} {span}" for label, span in spans.items())


# --- today's counts ---------------------------------------------------------------------------

_WAITING_SQL = (
    "SELECT count(cards.item_id) FROM cards JOIN card_state ON card_state.deck_id = cards.deck_id"
    " AND card_state.item_id = cards.item_id WHERE cards.deck_id = ?1 AND cards.active = 1"
    " AND card_state.due <= ?2"
    " AND (card_state.buried_until IS NULL OR card_state.buried_until <= ?2)"
    " AND NOT EXISTS (SELECT review_log.id FROM review_log WHERE review_log.deck_id = ?1"
    " AND review_log.item_id = cards.item_id AND +review_log.day = ?2"
    " AND +review_log.session_kind = 'study')"
)


def with_fsrs_counts(
    conn: sqlite3.Connection, summaries: list[Any], settings: Settings, today: date
) -> list[Any]:
    """Today's deck counts (`studysql.DeckSummary`) with FSRS's rules for FSRS decks: their
    repeats are the items in a learning step due today, and those are not also due reviews."""
    from dataclasses import replace

    found = []
    for summary in summaries:
        if settings.scheduler_for(summary.deck_id) != "fsrs":
            found.append(summary)
            continue
        repeats = len(fsrs_steps(conn, summary.deck_id, today))
        (waiting,) = conn.execute(_WAITING_SQL, (summary.deck_id, today.isoformat())).fetchone()
        due = min(summary.due, waiting)
        found.append(
            replace(summary, repeats=repeats, due=due, total_today=summary.new + repeats + due)
        )
    return found


def fsrs_after_item(settings: Settings) -> AfterItem:
    """After an item of an FSRS deck was replayed: its due day is FSRS's, from the new log
    (FSRS state is the replay of the synced answers, as SM-2's is)."""
    from quizapp.storage.dbapi import conversions

    date_in = conversions(_sqlite_dialect()).date_in
    configs: dict[str, object] = {}

    def after(conn: sqlite3.Connection, deck_id: str, item_id: str) -> None:
        if settings.scheduler_for(deck_id) != "fsrs":
            return
        if deck_id not in configs:
            configs[deck_id] = config_of(_rows(conn), settings, deck_id)
        config = configs[deck_id]
        if config is None:
            return
        state = item_state(conn, deck_id, item_id, config)  # type: ignore[arg-type]
        due = None if state is None else state.due_day(settings.rollover_hour)
        conn.execute(
            "UPDATE card_state SET due = ? WHERE deck_id = ? AND item_id = ?",
            (date_in(due), deck_id, item_id),
        )

    return after


def _sqlite_dialect() -> object:
    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    return SQLiteDialect_pysqlite()
