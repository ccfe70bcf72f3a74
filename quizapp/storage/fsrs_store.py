"""FSRS decks in the progress store: due dates from replaying the log, and fitted parameters.

An item's FSRS state is never stored; it is the replay of its study answers
(`scheduling.fsrs.replay`), started from the item's seed (`fsrs_seed`: Anki's memory state,
kept by `quizapp import anki`) if it has one. What the store keeps for FSRS is small:

- `card_state.due` of an FSRS deck is FSRS's due day, so the queue, the home counts and the
  statistics read FSRS decks exactly as SM-2 decks. Every other `card_state` column and the SM-2
  columns of the log keep SM-2's exact state under either scheduler (SM-2 moves on the first
  study answer of a day, as always), so switching back to SM-2 just puts SM-2's due day back.
- `deck_scheduler.schedule` names the schedule a deck's due days follow ("sm2" or an FSRS key).
  At start, `reconcile` compares it with config.toml and recomputes the due days of a deck whose
  scheduler, retention or parameters changed: every review is kept.
- `deck_scheduler.parameters`: what `quizapp optimize` fitted (deck id "" for all decks).

Nothing here reads the clock: `now`/`today` are passed in.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from quizapp.scheduling import fsrs
from quizapp.scheduling.fsrs import FsrsConfig, FsrsState
from quizapp.scheduling.queue import Candidate
from quizapp.scheduling.settings import Settings
from quizapp.storage.dbapi import conversions
from quizapp.storage.engine import Store
from quizapp.storage.fsrs_schedule import (
    ALL_DECKS,
    SM2,
    _rows,
    config_of,
    deck_seeds,
    fsrs_steps,
    item_state,
    schedule_key,
    schedules_current,
    with_fsrs_steps,
)
from quizapp.storage.models import DeckSchedulerRow
from quizapp.storage.repository import (
    AnswerRecord,
    record_answer,
    undo_answer,
)

if TYPE_CHECKING:
    import sqlite3


@dataclass(frozen=True, slots=True)
class FsrsAnswerRecord(AnswerRecord):
    """An answer to an item of an FSRS deck: the SM-2 record, and FSRS's new state."""

    fsrs_after: FsrsState | None = None
    comes_back: bool = False
    """FSRS put the item in a learning step due again this study day: ask it again today."""


# --- parameters and the deck's scheduler -------------------------------------------------


def deck_config(store: Store, settings: Settings, deck_id: str) -> FsrsConfig | None:
    """`config_of` read from the store."""
    if settings.scheduler_for(deck_id) != "fsrs":
        return None
    return store.read_dbapi(lambda conn: config_of(_rows(conn), settings, deck_id))


def store_parameters(
    store: Store, deck_id: str, parameters: Sequence[float], reviews: int, now: datetime
) -> None:
    """Keep fitted parameters for a deck (`ALL_DECKS`: for every deck without its own)."""
    values = fsrs.check_parameters(parameters)

    def work(session: Any) -> None:
        row = session.get(DeckSchedulerRow, deck_id)
        if row is None:
            row = DeckSchedulerRow(deck_id=deck_id, schedule=None)
            session.add(row)
        row.parameters = json.dumps(list(values))
        row.fitted_reviews = reviews
        row.fitted_at = now

    store.write(work)


def stored_parameters(store: Store, deck_id: str) -> tuple[float, ...] | None:
    """The parameters fitted for exactly this deck id (None if never fitted)."""
    with store.read() as session:
        text = session.scalar(
            select(DeckSchedulerRow.parameters).where(DeckSchedulerRow.deck_id == deck_id)
        )
    return None if not text else fsrs.check_parameters(json.loads(text))


# --- replay --------------------------------------------------------------------------------

_ITEM_ANSWERS = (
    "SELECT grade, reviewed_at FROM review_log WHERE deck_id = ?1 AND item_id = ?2"
    " AND session_kind = 'study' ORDER BY id"
)
_DECK_ANSWERS = (
    "SELECT item_id, grade, reviewed_at FROM review_log WHERE deck_id = ?"
    " AND session_kind = 'study' ORDER BY item_id, id"
)


def _time_out(store: Store) -> Any:
    return conversions(store.engine.dialect).time_out


def item_fsrs_state(
    store: Store, deck_id: str, item_id: str, config: FsrsConfig
) -> FsrsState | None:
    """The item's FSRS state: its seed and study answers replayed (None while it has none)."""
    return store.read_dbapi(lambda conn: item_state(conn, deck_id, item_id, config))


_DECK_LOG_MARK = (
    "SELECT count(id), max(id), total(grade), max(reviewed_at),"
    " (SELECT count(*) || ':' || max(seeded_at) || ':' || total(stability) FROM fsrs_seed"
    " WHERE fsrs_seed.deck_id = ?1) FROM review_log WHERE deck_id = ?1 AND session_kind = 'study'"
)
_REPLAYS: dict[tuple[str, str, str], tuple[tuple[Any, ...], dict[str, FsrsState]]] = {}
"""The last replay of each deck (by database, deck and FSRS key), with the mark of the log and
the seeds it replayed: the statistics screen asks again and again, and a deck's log only grows."""


def deck_fsrs_states(store: Store, deck_id: str, config: FsrsConfig) -> dict[str, FsrsState]:
    """Every studied item's FSRS state in a deck, by item id (one read, then the replay; the
    replay is reused while the deck's study log is unchanged)."""
    time_out = _time_out(store)

    def read(
        conn: sqlite3.Connection,
    ) -> tuple[tuple[Any, ...], list[Any] | None, dict[str, fsrs.Seed]]:
        mark = tuple(conn.execute(_DECK_LOG_MARK, (deck_id,)).fetchone())
        cached = _REPLAYS.get(key)
        if cached is not None and cached[0] == mark:
            return mark, None, {}
        return mark, conn.execute(_DECK_ANSWERS, (deck_id,)).fetchall(), deck_seeds(conn, deck_id)

    key = (str(store.url), deck_id, config.key)
    mark, rows, seeds = store.read_dbapi(read)
    if rows is None:
        return dict(_REPLAYS[key][1])
    states = _replay_rows(rows, time_out, config, seeds)
    if len(_REPLAYS) > 16:
        _REPLAYS.clear()
    _REPLAYS[key] = (mark, states)
    return dict(states)


def _replay_rows(
    rows: Iterable[Any], time_out: Any, config: FsrsConfig, seeds: dict[str, fsrs.Seed]
) -> dict[str, FsrsState]:
    """Each item's state: its seed, then its study answers `(item, grade, at)` (in log order)
    that the seed does not cover."""
    states: dict[str, FsrsState] = {item: seed.state for item, seed in seeds.items()}
    for item_id, grade, at in rows:
        moment = time_out(at)
        seed = seeds.get(item_id)
        if seed is None or not seed.covers(moment):
            states[item_id] = fsrs.review(states.get(item_id), grade, moment, config)
    return states


# --- answers -------------------------------------------------------------------------------

_SET_DUE = "UPDATE card_state SET due = ? WHERE deck_id = ? AND item_id = ?"


def record_fsrs_answer(
    store: Store,
    config: FsrsConfig,
    rollover_hour: int,
    *,
    deck_id: str,
    item_id: str,
    grade: int,
    typed_answer: str | None,
    correct: bool | None,
    duration_ms: int,
    now: datetime,
    today: date,
    session_kind: str = "study",
    repeat: bool = False,
) -> FsrsAnswerRecord:
    """`record_answer` for an item of an FSRS deck: the answer is logged (with SM-2's state,
    kept exact), and a study answer also moves FSRS, whose due day becomes the item's.

    Every study answer is an FSRS review, same-day ones included; quiz answers are not.
    """
    from quizapp.storage.repository import _Answer  # the one answer path, on this connection

    convert = conversions(store.engine.dialect)

    def after(conn: sqlite3.Connection, record: AnswerRecord) -> FsrsAnswerRecord:
        state: FsrsState | None = None
        comes_back = False
        if session_kind == "study":
            state = item_state(conn, deck_id, item_id, config)
            if state is not None:
                due = state.due_day(rollover_hour)
                conn.execute(_SET_DUE, (convert.date_in(due), deck_id, item_id))
                comes_back = state.in_steps and due <= today
        return FsrsAnswerRecord(
            record.review_id, record.before, record.after, fsrs_after=state, comes_back=comes_back
        )

    answer = _Answer(  # one transaction for both schedulers, on the answer's fast path
        convert,
        deck_id,
        item_id,
        grade,
        typed_answer,
        correct,
        duration_ms,
        now,
        today,
        session_kind,
        repeat,
    )
    return store.write_dbapi(lambda conn: after(conn, answer.record(conn)))


def record(store: Store, settings: Settings, **answer: Any) -> AnswerRecord:
    """`record_answer` under the scheduler config.toml gives the answer's deck (keywords as
    `record_answer`'s): SM-2's, or `record_fsrs_answer` for an FSRS deck."""
    config = deck_config(store, settings, answer["deck_id"])
    if config is None:
        return record_answer(store, **answer)
    return record_fsrs_answer(store, config, settings.rollover_hour, **answer)


def undo(store: Store, settings: Settings, review_id: int, deck_id: str) -> None:
    """`undo_answer` under the scheduler of the answer's deck."""
    config = deck_config(store, settings, deck_id)
    if config is None:
        undo_answer(store, review_id)
    else:
        undo_fsrs_answer(store, review_id, config, settings.rollover_hour)


def undo_fsrs_answer(store: Store, review_id: int, config: FsrsConfig, rollover_hour: int) -> None:
    """`undo_answer` for an FSRS deck: the answer leaves the log, and FSRS's due day is
    recomputed from the answers that remain."""
    found = store.read_dbapi(
        lambda conn: conn.execute(
            "SELECT deck_id, item_id FROM review_log WHERE id = ?", (review_id,)
        ).fetchone()
    )
    undo_answer(store, review_id)
    if found is not None:
        deck_id, item_id = found
        _set_dues(store, deck_id, config, rollover_hour, items=[item_id])


def queue_and_repeats(
    store: Store, deck_ids: Sequence[str], today: date, settings: Settings, seed: int
) -> tuple[list[Candidate], list[Candidate]]:
    """`studysql.queue_and_repeats`, with FSRS's same-day steps for FSRS decks."""
    from quizapp.storage import studysql

    queue, pending = store.read_dbapi(
        lambda conn: studysql.queue_and_repeats(conn, deck_ids, today, settings, seed)
    )
    fsrs_decks = [d for d in deck_ids if settings.scheduler_for(d) == "fsrs"]
    if not fsrs_decks:
        return queue, pending
    steps = store.read_dbapi(lambda conn: {d: fsrs_steps(conn, d, today) for d in fsrs_decks})
    return with_fsrs_steps(queue, pending, steps)


# --- switching scheduler -------------------------------------------------------------------

_SM2_LAST_DUE = (
    "SELECT log.due_after FROM review_log AS log"
    " WHERE log.deck_id = card_state.deck_id AND log.item_id = card_state.item_id"
    " AND log.session_kind = 'study' AND log.repeat IS 0{after} ORDER BY log.id DESC LIMIT 1"
)
_SEED_OF = (
    " FROM fsrs_seed AS seed WHERE seed.deck_id = card_state.deck_id"
    " AND seed.item_id = card_state.item_id"
)
_SM2_DUE = (
    "UPDATE card_state SET due = coalesce(("
    + _SM2_LAST_DUE.format(
        after=" AND log.reviewed_at > coalesce((SELECT seed.covers_until" + _SEED_OF + "), '')"
    )
    + "), (SELECT seed.sm2_due"
    + _SEED_OF
    + "), ("
    + _SM2_LAST_DUE.format(after="")
    + "), card_state.due) WHERE card_state.deck_id = ?"
)
"""SM-2's due day back: the one its last study answer set; for an item imported with a seed
and not answered since, the due day the import set (Anki's, whose history may be partial);
for an item with neither (imported without history), its due day as it is: FSRS, having no
state for it, never moved it."""


def _set_dues(
    store: Store,
    deck_id: str,
    config: FsrsConfig | None,
    rollover_hour: int,
    items: Sequence[str] | None = None,
) -> None:
    convert = conversions(store.engine.dialect)

    def work(conn: sqlite3.Connection) -> None:
        if config is None:
            conn.execute(_SM2_DUE, (deck_id,))
            return
        seeds = deck_seeds(conn, deck_id)
        if items is None:
            rows = conn.execute(_DECK_ANSWERS, (deck_id,)).fetchall()
        else:
            seeds = {item: seeds[item] for item in items if item in seeds}
            rows = [
                (item_id, grade, at)
                for item_id in items
                for grade, at in conn.execute(_ITEM_ANSWERS, (deck_id, item_id)).fetchall()
            ]
        states = _replay_rows(rows, convert.time_out, config, seeds)
        targets = list(items) if items is not None else list(states)
        conn.executemany(
            _SET_DUE,
            [
                (
                    convert.date_in(states[item].due_day(rollover_hour))
                    if item in states
                    else None,
                    deck_id,
                    item,
                )
                for item in targets
            ],
        )

    store.write_dbapi(work)


def reschedule(store: Store, deck_id: str, config: FsrsConfig | None, rollover_hour: int) -> None:
    """Make the deck's due days follow SM-2 (`config` None) or FSRS, from its review log, and
    record which. Every review is kept; SM-2's state never changed, so SM-2 comes back exact."""
    _set_dues(store, deck_id, config, rollover_hour)
    schedule = schedule_key(config, rollover_hour)

    def mark(session: Any) -> None:
        row = session.get(DeckSchedulerRow, deck_id)
        if row is None:
            session.add(DeckSchedulerRow(deck_id=deck_id, schedule=schedule))
        else:
            row.schedule = schedule

    store.write(mark)


def reconcile(store: Store, deck_ids: Iterable[str], settings: Settings) -> list[str]:
    """Reschedule each deck whose due days do not follow its configured scheduler (after a
    change in config.toml or new fitted parameters). Returns the decks rescheduled."""
    deck_ids = list(deck_ids)
    rows = store.read_dbapi(_rows)
    changed = []
    for deck_id in deck_ids:
        config = config_of(rows, settings, deck_id)
        wanted = schedule_key(config, settings.rollover_hour)
        if (rows.get(deck_id, (None, None))[0] or SM2) != wanted:
            reschedule(store, deck_id, config, settings.rollover_hour)
            changed.append(deck_id)
    return changed


# --- previews and statistics ---------------------------------------------------------------


def anki_fsrs_cards(
    store: Store, deck_ids: Iterable[str], settings: Settings
) -> dict[tuple[str, str], tuple[int, str]]:
    """For the export: each studied item of the FSRS decks among `deck_ids`, its FSRS interval
    and Anki's card data JSON with its memory state ({"s", "d", "dr", "decay", "lrt"})."""
    deck_ids = [d for d in deck_ids if settings.scheduler_for(d) == "fsrs"]
    if not deck_ids:
        return {}
    rows = store.read_dbapi(_rows)
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for deck_id in deck_ids:
        config = config_of(rows, settings, deck_id)
        if config is None:
            continue
        for item_id, state in deck_fsrs_states(store, deck_id, config).items():
            data = {
                "s": round(state.stability, 4),
                "d": round(state.difficulty, 4),
                "dr": config.desired_retention,
                "decay": round(config.parameters[20], 4),
                "lrt": int(state.last_review.timestamp()),
            }
            found[(deck_id, item_id)] = (
                max(1, state.interval_days()),
                json.dumps(data, separators=(",", ":")),
            )
    return found


def predicted_retention(
    store: Store, deck_ids: Iterable[str], settings: Settings, now: datetime
) -> float | None:
    """FSRS's predicted recall today, averaged over the studied items of the FSRS decks among
    `deck_ids`; None if none of them uses FSRS or has a studied item."""
    deck_ids = [d for d in deck_ids if settings.scheduler_for(d) == "fsrs"]
    if not deck_ids:
        return None
    rows = store.read_dbapi(_rows)
    total, count = 0.0, 0
    for deck_id in deck_ids:
        config = config_of(rows, settings, deck_id)
        if config is None:
            continue
        live = {item for (item,) in store.read_dbapi(functools.partial(_live_items, deck_id))}
        for item_id, state in deck_fsrs_states(store, deck_id, config).items():
            if item_id in live:
                total += fsrs.retrievability(state, now, config)
                count += 1
    return None if count == 0 else total / count


__all__ = [
    "ALL_DECKS",
    "FsrsAnswerRecord",
    "config_of",
    "deck_config",
    "deck_fsrs_states",
    "item_fsrs_state",
    "predicted_retention",
    "reconcile",
    "record_fsrs_answer",
    "reschedule",
    "schedules_current",
    "store_parameters",
    "stored_parameters",
    "undo_fsrs_answer",
]


def _live_items(deck_id: str, conn: sqlite3.Connection) -> list[tuple[str]]:
    """The ids of the deck's active items (on the database thread's connection)."""
    rows: list[tuple[str]] = conn.execute(
        "SELECT item_id FROM cards WHERE deck_id = ? AND active = 1", (deck_id,)
    ).fetchall()
    return rows
