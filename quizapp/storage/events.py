"""The progress store as a set of events: what device sync exchanges, and the replay of them.

Every answer (study and quiz), undo and bury is an event with a globally unique id, the device
it came from and its time. Answers are the rows of `review_log` (their `event_id`); undo and
bury events live in `sync_events`, with answers pulled for items this device does not have
yet (they wait there until their deck arrives). An item's state is the replay of its answers
in answer order (`scheduling.replay`), its burial the latest of its bury events; so devices
that exchanged the same events hold the same log and states, whatever the order of arrival.

A seed event (kind "seed", in `sync_events`) is the state an import left for an item (Anki's
SM-2 state, and its FSRS memory state): the replay starts from the item's latest seed, and its
FSRS seed becomes the item's `fsrs_seed` row. Its payload is JSON (`seed_payload`).

`review_log.id` follows answer order within an item (undo, FSRS's replay and the export read
the log by id): an answer that arrives out of order moves the item's later rows to new ids.
Everything here runs on the store's sqlite3 connection inside the caller's transaction.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from quizapp.scheduling.replay import NEW, AnswerEvent, RawStep, Seed, Stored, replay_raw
from quizapp.scheduling.sm2 import Sm2State
from quizapp.storage.dbapi import Conversions

AfterItem = Callable[[sqlite3.Connection, str, str], None]
"""Called after an item was rebuilt (FSRS decks set their due day from the new log)."""


def event_id_at(at: datetime) -> str:
    """A new globally unique event id: 12 hex digits of milliseconds since the epoch, then
    80 random bits (so ids sort by time, like a UUIDv7, and index well)."""
    millis = int(at.timestamp() * 1000) & 0xFFFFFFFFFFFF
    new = (millis << 80) | int.from_bytes(os.urandom(10))
    last = _last_ids.get(millis, 0)
    if new <= last:
        new = last + 1  # the same millisecond in this process: still in answer order
    if len(_last_ids) > 1024:
        _last_ids.clear()
    _last_ids[millis] = new
    return f"{new:032x}"


_last_ids: dict[int, int] = {}
"""The last id made in this process for each recent millisecond."""


def device_id(conn: sqlite3.Connection) -> str:
    """This device's id (made by the migration that introduced sync)."""
    row = conn.execute("SELECT value FROM sync_state WHERE key = 'device'").fetchone()
    if row is None:  # pragma: no cover - the migration always writes it
        raise RuntimeError("this database has no device id")
    return str(row[0])


def get_state(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_state(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))
    else:
        conn.execute(
            "INSERT INTO sync_state (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def row_removed(conn: sqlite3.Connection, review_id: int) -> None:
    """A log row is deleted (an undo): SQLite may give its id to the next answer, so the
    mark below which every answer is sent (`device_sync`'s "sent_below") goes below it."""
    conn.execute(
        "UPDATE sync_state SET value = CAST(min(CAST(value AS INTEGER), ?) AS TEXT)"
        " WHERE key = 'sent_below'",
        (review_id - 1,),
    )


# --- local undo and bury events ----------------------------------------------------------

_INSERT_EVENT_SQL = (
    "INSERT OR IGNORE INTO sync_events (event_id, device, kind, at, deck_id, item_id, target,"
    " until, day, grade, typed_answer, correct, duration_ms, session_kind, asked_repeat, sent,"
    " payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _event_row(
    event_id: str,
    device: str,
    kind: str,
    at: str,
    deck_id: str,
    item_id: str,
    *,
    target: str | None = None,
    until: str | None = None,
    payload: str | None = None,
) -> tuple[object, ...]:
    """The `_INSERT_EVENT_SQL` values of an event that is not an answer (undo, bury, seed):
    the answer columns empty, not sent yet."""
    unused = (None,) * 7  # day, grade, typed_answer, correct, duration_ms, session_kind, asked
    return (event_id, device, kind, at, deck_id, item_id, target, until, *unused, 0, payload)


def add_undo(
    conn: sqlite3.Connection,
    convert: Conversions,
    target: str,
    deck_id: str,
    item_id: str,
    now: datetime,
) -> None:
    """Record that this device undid answer `target` (sent at the next sync)."""
    at = convert.time_in(now)
    row = _event_row(event_id_at(now), device_id(conn), "undo", at, deck_id, item_id, target=target)
    conn.execute(_INSERT_EVENT_SQL, row)


def add_bury(
    conn: sqlite3.Connection,
    convert: Conversions,
    deck_id: str,
    item_id: str,
    until: date | None,
    now: datetime,
) -> None:
    """Record that this device buried (or suspended, or unburied: None) an item."""
    add_burials(conn, convert, [(deck_id, item_id, until)], now)


# --- seed events ---------------------------------------------------------------------------

SEED_FORMAT = 1
"""The version of a seed event's payload (`seed_payload`)."""
FSRS_SEED_FIELDS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due_at",
    "last_review",
    "covers_until",
    "sm2_due",
    "source",
    "seeded_at",
)
"""An FSRS seed's fields in a seed event's payload, as `fsrs_seed` stores them (times and
days as the local store's text)."""


def seed_payload(
    state: Stored,
    lapses: int,
    last_review: datetime | None,
    fsrs: Mapping[str, Any] | None,
) -> str:
    """A seed event's payload: {"v": 1, "repetitions", "interval", "easiness_milli", "due"
    (ISO day or null), "lapses", "last_review" (ISO UTC time or null), "fsrs" (null, or the
    FSRS seed: `FSRS_SEED_FIELDS` with ISO times and days, and "parameters": the FSRS
    parameters of the deck's Anki preset, when it has its own)}."""
    fsrs_json = None
    if fsrs is not None:
        fsrs_json = {name: _iso(fsrs[name]) for name in FSRS_SEED_FIELDS}
        if fsrs.get("parameters"):
            fsrs_json["parameters"] = list(fsrs["parameters"])
    return json.dumps(
        {
            "v": SEED_FORMAT,
            "repetitions": state[0],
            "interval": state[1],
            "easiness_milli": state[2],
            "due": None if state[3] is None else state[3].isoformat(),
            "lapses": lapses,
            "last_review": _iso(last_review),
            "fsrs": fsrs_json,
        },
        sort_keys=True,
    )


def _iso(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def add_seeds(
    conn: sqlite3.Connection,
    convert: Conversions,
    seeds: Iterable[tuple[str, str, datetime, str]],
) -> None:
    """Record an import's state for items: (deck id, item id, time, `seed_payload`), each
    covering the item's answers up to its time (sent at the next sync)."""
    device = device_id(conn)
    time_in = convert.time_in
    conn.executemany(
        _INSERT_EVENT_SQL,
        (
            _event_row(
                event_id_at(at), device, "seed", time_in(at), deck_id, item_id, payload=payload
            )
            for deck_id, item_id, at, payload in seeds
        ),
    )


def seed_item(
    conn: sqlite3.Connection,
    convert: Conversions,
    deck_id: str,
    item_id: str,
    at: datetime,
    payload: str,
    after_item: AfterItem | None = None,
) -> None:
    """Give an item an import's state as of `at` (`seed_payload`): a seed event, then the
    item replayed from it (its answers after `at` go on top)."""
    add_seeds(conn, convert, [(deck_id, item_id, at, payload)])
    rebuild_item(conn, convert, deck_id, item_id, after_item)


def add_burials(
    conn: sqlite3.Connection,
    convert: Conversions,
    burials: Iterable[tuple[str, str, date | None]],
    now: datetime,
) -> None:
    """`add_bury` for many items at once: (deck id, item id, until)."""
    device = device_id(conn)
    at = convert.time_in(now)
    conn.executemany(
        _INSERT_EVENT_SQL,
        (
            _event_row(
                event_id_at(now), device, "bury", at, deck_id, item_id, until=convert.date_in(until)
            )
            for deck_id, item_id, until in burials
        ),
    )


_LAST_SEED_SQL = (
    "SELECT event_id, at, payload FROM sync_events WHERE deck_id = ? AND item_id = ?"
    " AND kind = 'seed' ORDER BY at DESC, event_id DESC LIMIT 1"
)
_UPSERT_FSRS_SEED_SQL = (
    "INSERT INTO fsrs_seed (deck_id, item_id, state, step, stability, difficulty, due_at,"
    " last_review, covers_until, sm2_due, source, seeded_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (deck_id, item_id) DO UPDATE SET state = excluded.state,"
    " step = excluded.step, stability = excluded.stability, difficulty = excluded.difficulty,"
    " due_at = excluded.due_at, last_review = excluded.last_review,"
    " covers_until = excluded.covers_until, sm2_due = excluded.sm2_due,"
    " source = excluded.source, seeded_at = excluded.seeded_at"
)


_SEED_PARAMETERS_SQL = (
    "INSERT INTO deck_scheduler (deck_id, schedule, parameters, fitted_reviews, fitted_at)"
    " VALUES (?, NULL, ?, NULL, ?) ON CONFLICT (deck_id) DO UPDATE SET"
    " parameters = excluded.parameters, fitted_at = excluded.fitted_at"
    " WHERE deck_scheduler.parameters IS NULL"
)
"""An imported FSRS seed's preset parameters for its deck, where it has none (the stale
schedule is then recomputed by `fsrs_store.reconcile`, as after an import)."""


def item_seed(
    conn: sqlite3.Connection, convert: Conversions, deck_id: str, item_id: str
) -> tuple[Seed, dict[str, Any]] | None:
    """The item's latest seed event (as the replay takes it, and its payload), if any."""
    row = conn.execute(_LAST_SEED_SQL, (deck_id, item_id)).fetchone()
    if row is None:
        return None
    payload = json.loads(row[2])
    due = payload["due"]
    last = payload["last_review"]
    seed = Seed(
        str(row[0]),
        convert.time_out(row[1]),
        (
            int(payload["repetitions"]),
            int(payload["interval"]),
            int(payload["easiness_milli"]),
            None if due is None else date.fromisoformat(due),
        ),
        int(payload["lapses"]),
        None if last is None else datetime.fromisoformat(last),
    )
    return seed, payload


def _write_fsrs_seed(
    conn: sqlite3.Connection,
    convert: Conversions,
    deck_id: str,
    item_id: str,
    payload: Mapping[str, Any],
) -> None:
    """The item's `fsrs_seed` row as its latest seed event says (none: no FSRS seed)."""
    fsrs = payload.get("fsrs")
    if fsrs is None:
        conn.execute("DELETE FROM fsrs_seed WHERE deck_id = ? AND item_id = ?", (deck_id, item_id))
        return

    def when(name: str) -> object:
        value = fsrs[name]
        return None if value is None else convert.time_in(datetime.fromisoformat(value))

    parameters = fsrs.get("parameters")
    if parameters:  # the deck's Anki preset, unless this device has parameters of its own
        added = conn.execute(
            _SEED_PARAMETERS_SQL, (deck_id, json.dumps(parameters), when("seeded_at"))
        )
        if added.rowcount:
            conn.execute("UPDATE deck_scheduler SET schedule = NULL WHERE deck_id = ?", (deck_id,))
    sm2_due = fsrs["sm2_due"]
    conn.execute(
        _UPSERT_FSRS_SEED_SQL,
        (
            deck_id,
            item_id,
            fsrs["state"],
            fsrs["step"],
            fsrs["stability"],
            fsrs["difficulty"],
            when("due_at"),
            when("last_review"),
            when("covers_until"),
            None if sm2_due is None else convert.date_in(date.fromisoformat(sm2_due)),
            fsrs["source"],
            when("seeded_at"),
        ),
    )


# --- the replay of an item ---------------------------------------------------------------

_ITEM_ROWS_SQL = (
    "SELECT id, event_id, reviewed_at, day, grade, session_kind, coalesce(asked_repeat, repeat)"
    " FROM review_log WHERE deck_id = ? AND item_id = ? ORDER BY id"
)
_DERIVED_SQL = (
    "UPDATE review_log SET repeat = ?, repetitions_before = ?, interval_before = ?,"
    " easiness_milli_before = ?, due_before = ?, lapses_before = ?, last_review_before = ?,"
    " repetitions_after = ?, interval_after = ?, easiness_milli_after = ?, due_after = ?,"
    " lapses_after = ? WHERE id = ?"
)
_UPSERT_STATE_SQL = (
    "INSERT INTO card_state (deck_id, item_id, repetitions, interval, easiness_milli, due,"
    " lapses, last_review, buried_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)"
    " ON CONFLICT (deck_id, item_id) DO UPDATE SET repetitions = excluded.repetitions,"
    " interval = excluded.interval, easiness_milli = excluded.easiness_milli,"
    " due = excluded.due, lapses = excluded.lapses, last_review = excluded.last_review"
)
_LAST_BURY_SQL = (
    "SELECT until FROM sync_events WHERE deck_id = ? AND item_id = ? AND kind = 'bury'"
    " ORDER BY at DESC, event_id DESC LIMIT 1"
)
_SET_BURY_SQL = (
    "INSERT INTO card_state (deck_id, item_id, repetitions, interval, easiness_milli, due,"
    " lapses, last_review, buried_until) VALUES (?, ?, 0, 0, ?, NULL, 0, NULL, ?)"
    " ON CONFLICT (deck_id, item_id) DO UPDATE SET buried_until = excluded.buried_until"
)


def _event(convert: Conversions, row: Sequence[object]) -> AnswerEvent:
    _, event_id, at, day, grade, kind, asked = row
    return AnswerEvent(
        str(event_id),
        convert.time_out(at),
        convert.date_out(day),
        int(grade),  # type: ignore[call-overload]
        str(kind),
        bool(asked),
    )


def derived_values(
    convert: Conversions, steps: Sequence[RawStep], at_text: Mapping[str, str]
) -> list[tuple[object, ...]]:
    """Per step, the log's derived columns (as `_DERIVED_SQL` sets them, without the id);
    `at_text` gives each answer's stored time by event id."""
    date_in, bool_in = convert.date_in, convert.bool_in
    values: list[tuple[object, ...]] = []
    for step in steps:
        rb, ib, eb, db = step.before
        ra, ia, ea, da = step.after
        last = step.last_review_before
        values.append(
            (
                bool_in(step.repeat),
                rb,
                ib,
                eb,
                date_in(db),
                step.lapses_before,
                _last_text(convert, last, at_text),
                ra,
                ia,
                ea,
                date_in(da),
                step.lapses_after,
            )
        )
    return values


def _last_text(
    convert: Conversions, last: AnswerEvent | Seed | None, at_text: Mapping[str, str]
) -> str | None:
    if last is None:
        return None
    if isinstance(last, Seed):  # no answer moved the state since the seed: its last review
        assert last.last_review is not None
        return str(convert.time_in(last.last_review))
    return at_text[last.event_id]


def rebuild_item(
    conn: sqlite3.Connection,
    convert: Conversions,
    deck_id: str,
    item_id: str,
    after_item: AfterItem | None = None,
) -> None:
    """Recompute an item's log rows, state and burial from its events (in a transaction)."""
    rows = conn.execute(_ITEM_ROWS_SQL, (deck_id, item_id)).fetchall()
    seeded = item_seed(conn, convert, deck_id, item_id)
    seed = None if seeded is None else seeded[0]
    steps = replay_raw((_event(convert, row) for row in rows), seed)
    ids = {str(row[1]): int(row[0]) for row in rows}
    at_text = {str(row[1]): str(row[2]) for row in rows}
    order = [ids[step.event.event_id] for step in steps]
    if order != sorted(order):  # out of order: the item's rows move to new ids, in order
        top = conn.execute("SELECT coalesce(max(id), 0) FROM review_log").fetchone()[0]
        moves = [(top + n + 1, old) for n, old in enumerate(order)]
        conn.executemany("UPDATE review_log SET id = ? WHERE id = ?", moves)
        order = [new for new, _ in moves]
    values = derived_values(convert, steps, at_text)
    conn.executemany(_DERIVED_SQL, [(*v, id_) for v, id_ in zip(values, order, strict=True)])
    _write_state(conn, convert, deck_id, item_id, steps, at_text, seed)
    if seeded is not None:
        _write_fsrs_seed(conn, convert, deck_id, item_id, seeded[1])
    if after_item is not None:
        after_item(conn, deck_id, item_id)


def _write_state(
    conn: sqlite3.Connection,
    convert: Conversions,
    deck_id: str,
    item_id: str,
    steps: Sequence[RawStep],
    at_text: Mapping[str, str],
    seed: Seed | None = None,
) -> None:
    start = NEW if seed is None else seed.state
    state = steps[-1].after if steps else start
    lapses = steps[-1].lapses_after if steps else (0 if seed is None else seed.lapses)
    moved = next((s.event for s in reversed(steps) if s.after is not s.before), None)
    exists = conn.execute(
        "SELECT 1 FROM card_state WHERE deck_id = ? AND item_id = ?", (deck_id, item_id)
    ).fetchone()
    if exists or state != NEW:
        if moved is not None:
            last: str | None = at_text[moved.event_id]
        elif seed is not None and seed.last_review is not None:
            last = convert.time_in(seed.last_review)
        else:
            last = None
        conn.execute(
            _UPSERT_STATE_SQL,
            (
                deck_id,
                item_id,
                state[0],
                state[1],
                state[2],
                convert.date_in(state[3]),
                lapses,
                last,
            ),
        )
    write_bury(conn, deck_id, item_id)


def write_bury(conn: sqlite3.Connection, deck_id: str, item_id: str) -> None:
    """The item's burial: its latest bury event, by time then id (none: left as it is)."""
    bury = conn.execute(_LAST_BURY_SQL, (deck_id, item_id)).fetchone()
    if bury is not None:  # none: the burial stays as it is (an Anki import's suspension)
        conn.execute(_SET_BURY_SQL, (deck_id, item_id, Sm2State().easiness_thousandths, bury[0]))


# --- events from the remote --------------------------------------------------------------


EVENT_COLUMNS = (
    "event_id",
    "device",
    "kind",
    "at",
    "deck_id",
    "item_id",
    "target",
    "until",
    "day",
    "grade",
    "typed_answer",
    "correct",
    "duration_ms",
    "session_kind",
    "asked_repeat",
    "payload",
)
"""An event's fields, in the order `store_incoming` takes them (the remote's columns)."""


def store_incoming(
    conn: sqlite3.Connection, convert: Conversions, events: Sequence[Sequence[Any]]
) -> set[tuple[str, str]]:
    """Keep pulled events (tuples in `EVENT_COLUMNS` order, Python values, aware or naive UTC
    times): each new one goes to `sync_events` (answers wait there for `apply_waiting`); an
    undo removes the answer it names. Returns the items to rebuild."""
    known = _known_ids(conn, [e[0] for e in events])
    touched: set[tuple[str, str]] = set()
    rows = []
    time_in, date_in, bool_in = convert.time_in, convert.date_in, convert.bool_in
    for e in events:
        (
            event_id,
            device,
            kind,
            at,
            deck_id,
            item_id,
            target,
            until,
            day,
            grade,
            typed,
            correct,
            duration,
            session_kind,
            asked,
            payload,
        ) = e
        if event_id in known:
            continue
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        rows.append(
            (
                event_id,
                device,
                kind,
                time_in(at),
                deck_id,
                item_id,
                target,
                date_in(until),
                date_in(day),
                grade,
                typed,
                bool_in(correct),
                duration,
                session_kind,
                bool_in(asked),
                1,
                payload,
            )
        )
        if kind == "undo" and target is not None:
            found = conn.execute(
                "SELECT deck_id, item_id, id FROM review_log WHERE event_id = ?", (target,)
            ).fetchone()
            if found is not None:
                conn.execute("DELETE FROM review_log WHERE event_id = ?", (target,))
                row_removed(conn, found[2])
                touched.add((found[0], found[1]))
            conn.execute(
                "DELETE FROM sync_events WHERE event_id = ? AND kind = 'answer'", (target,)
            )
        elif kind in ("bury", "seed") and deck_id is not None and item_id is not None:
            touched.add((deck_id, item_id))
    conn.executemany(_INSERT_EVENT_SQL, rows)
    return {item for item in touched if _has_item(conn, *item)}


def _known_ids(conn: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    """Which of `ids` this device has already (in the log, or among its other events)."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        part = list(ids[start : start + 500])
        marks = ", ".join("?" * len(part))
        for table in ("review_log", "sync_events"):
            found.update(
                row[0]
                for row in conn.execute(
                    f"SELECT event_id FROM {table} WHERE event_id IN ({marks})", part
                )
            )
    return found


def _has_item(conn: sqlite3.Connection, deck_id: str, item_id: str) -> bool:
    found = conn.execute(
        "SELECT 1 FROM cards WHERE deck_id = ? AND item_id = ?", (deck_id, item_id)
    ).fetchone()
    return found is not None


_WAITING_ITEMS_SQL = (
    "SELECT DISTINCT e.deck_id, e.item_id FROM sync_events AS e JOIN cards"
    " ON cards.deck_id = e.deck_id AND cards.item_id = e.item_id"
    " WHERE e.kind = 'answer' AND (e.deck_id, e.item_id) > (?, ?)"
    " ORDER BY e.deck_id, e.item_id LIMIT ?"
)
_WAITING_ANSWERS_SQL = (
    "SELECT event_id, device, at, day, grade, typed_answer, correct, duration_ms,"
    " session_kind, asked_repeat FROM sync_events"
    " WHERE deck_id = ? AND item_id = ? AND kind = 'answer'"
    " AND NOT EXISTS (SELECT 1 FROM sync_events AS u WHERE u.target = sync_events.event_id)"
    " AND NOT EXISTS (SELECT 1 FROM review_log AS r WHERE r.event_id = sync_events.event_id)"
)
_INSERT_PULLED_SQL = (
    "INSERT INTO review_log (deck_id, item_id, reviewed_at, day, grade, typed_answer, correct,"
    " duration_ms, session_kind, event_id, device, asked_repeat, sent, repeat,"
    " repetitions_before, interval_before, easiness_milli_before, due_before, lapses_before,"
    " last_review_before, repetitions_after, interval_after, easiness_milli_after, due_after,"
    " lapses_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1,"
    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _pulled_row(
    deck_id: str, item_id: str, stored: Sequence[Any], derived: Sequence[Any]
) -> tuple[Any, ...]:
    """The `_INSERT_PULLED_SQL` values of one pulled answer: its stored form (event id,
    device, time, day, grade, typed, correct, duration, kind, asked) and its derived columns
    (`repeat` and the states before and after)."""
    event_id, device, at, day, grade, typed, correct, duration, kind, asked = stored[:10]
    return (
        deck_id,
        item_id,
        at,
        day,
        grade,
        typed,
        correct,
        duration,
        kind,
        event_id,
        device,
        asked,
        *derived,
    )


def _waiting_items(
    db: sqlite3.Connection, after: tuple[str, str], batch: int
) -> list[tuple[str, str]]:
    return db.execute(_WAITING_ITEMS_SQL, (*after, batch)).fetchall()


def apply_waiting(
    read: Callable[[Callable[[sqlite3.Connection], Any]], Any],
    write: Callable[[Callable[[sqlite3.Connection], Any]], Any],
    convert: Conversions,
    *,
    after_item: AfterItem | None = None,
    batch: int = 500,
    also: Iterable[tuple[str, str]] = (),
) -> int:
    """Move waiting answers of items this device has into `review_log`, replayed, in
    transactions of `batch` items (`read` and `write` are the store's `read_dbapi` and
    `write_dbapi`); rebuild the items in `also` too. Returns the answers applied."""
    applied = 0
    rebuild = set(also)
    cursor = ("", "")
    while True:
        items = read(functools.partial(_waiting_items, after=cursor, batch=batch))
        if not items:
            break
        cursor = (items[-1][0], items[-1][1])

        def work(db: sqlite3.Connection, items: list[tuple[str, str]] = items) -> int:
            count = 0
            for deck_id, item_id in items:
                count += _apply_item(db, convert, deck_id, item_id, after_item)
            return count

        applied += write(work)
        rebuild.difference_update((d, i) for d, i in items)
    if rebuild:

        def finish(db: sqlite3.Connection) -> None:
            for deck_id, item_id in sorted(rebuild):
                rebuild_item(db, convert, deck_id, item_id, after_item)

        write(finish)
    return applied


def _apply_item(
    conn: sqlite3.Connection,
    convert: Conversions,
    deck_id: str,
    item_id: str,
    after_item: AfterItem | None,
) -> int:
    waiting = conn.execute(_WAITING_ANSWERS_SQL, (deck_id, item_id)).fetchall()
    conn.execute(
        "DELETE FROM sync_events WHERE deck_id = ? AND item_id = ? AND kind = 'answer'",
        (deck_id, item_id),
    )
    new = [
        AnswerEvent(
            str(w[0]),
            convert.time_out(w[2]),
            convert.date_out(w[3]),
            int(w[4]),
            str(w[8]),
            bool(w[9]),
        )
        for w in waiting
    ]
    add_answers(conn, convert, deck_id, item_id, new, waiting, after_item)
    return len(waiting)


def add_answers(
    conn: sqlite3.Connection,
    convert: Conversions,
    deck_id: str,
    item_id: str,
    new: Sequence[AnswerEvent],
    stored: Sequence[Sequence[Any]],
    after_item: AfterItem | None,
) -> None:
    """Add answers of an item this device has to its log, replayed with the ones it holds.

    `stored[n]` is `new[n]` as sync_events stores an answer: (event id, device, time, day,
    grade, typed answer, correct, duration, session kind, asked repeat), converted for SQLite.
    New answers later than every answer held are appended with their derived columns computed
    at once (the common case); otherwise the item is rebuilt.
    """
    if not new:
        return
    existing = conn.execute(_ITEM_ROWS_SQL, (deck_id, item_id)).fetchall()
    old = [_event(convert, row) for row in existing]
    seeded = item_seed(conn, convert, deck_id, item_id)
    seed = None if seeded is None else seeded[0]
    appended = not old or (
        min((e.at, e.event_id) for e in new) > max((e.at, e.event_id) for e in old)
    )
    if not appended:
        zeros = (0, 0, 0, 2500, None, 0, None, 0, 0, 2500, None, 0)
        conn.executemany(
            _INSERT_PULLED_SQL, [_pulled_row(deck_id, item_id, w, zeros) for w in stored]
        )
        rebuild_item(conn, convert, deck_id, item_id, after_item)
        return
    steps = replay_raw([*old, *new], seed)
    at_text = {str(row[1]): str(row[2]) for row in existing}
    at_text.update((str(w[0]), str(w[2])) for w in stored)
    by_id = {str(w[0]): w for w in stored}
    rows = []
    for step, values in zip(steps, derived_values(convert, steps, at_text), strict=True):
        w = by_id.get(step.event.event_id)
        if w is not None:
            rows.append(_pulled_row(deck_id, item_id, w, values))
    conn.executemany(_INSERT_PULLED_SQL, rows)
    _write_state(conn, convert, deck_id, item_id, steps, at_text, seed)
    if after_item is not None:
        after_item(conn, deck_id, item_id)


def store_item_events(
    conn: sqlite3.Connection,
    convert: Conversions,
    deck_id: str,
    item_id: str,
    events: Sequence[Sequence[Any]],
    after_item: AfterItem | None,
) -> int:
    """Keep pulled events of one item (`EVENT_COLUMNS` order, answer order, none known yet):
    its undo and bury events are kept; its answers are added to the log (`add_answers`), or
    wait in sync_events while this device lacks the item. Returns the answers added."""
    others = [e for e in events if e[2] != "answer"]
    answers = [e for e in events if e[2] == "answer"]
    rebuild = bool(store_incoming(conn, convert, others)) if others else False
    if not answers:
        if rebuild:
            rebuild_item(conn, convert, deck_id, item_id, after_item)
        return 0
    if not _has_item(conn, deck_id, item_id):
        store_incoming(conn, convert, answers)
        return 0
    cancelled = {
        row[0]
        for row in conn.execute(
            "SELECT target FROM sync_events WHERE kind = 'undo' AND deck_id = ? AND item_id = ?",
            (deck_id, item_id),
        )
    }
    time_in, date_in, bool_in = convert.time_in, convert.date_in, convert.bool_in
    new, stored = [], []
    for e in answers:
        event_id, device, _, at, _, _, _, _, day, grade, typed, correct, duration, kind, asked = e[
            :15
        ]
        if event_id in cancelled:
            continue
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        new.append(AnswerEvent(event_id, at, day, grade, kind, bool(asked)))
        stored.append(
            (
                event_id,
                device,
                time_in(at),
                date_in(day),
                grade,
                typed,
                bool_in(correct),
                duration,
                kind,
                bool_in(asked),
            )
        )
    add_answers(conn, convert, deck_id, item_id, new, stored, after_item)
    seeded = any(e[2] == "seed" for e in others)  # a new start: every derived column moves
    if seeded or (rebuild and not new):
        rebuild_item(conn, convert, deck_id, item_id, after_item)
    elif rebuild:  # burials changed too: the state row takes the latest
        write_bury(conn, deck_id, item_id)
    return len(new)


_UNAPPLIED_SQL = (
    "SELECT DISTINCT e.deck_id, e.item_id FROM sync_events AS e JOIN cards"
    " ON cards.deck_id = e.deck_id AND cards.item_id = e.item_id"
    " WHERE e.kind IN ('seed', 'bury') AND NOT EXISTS (SELECT 1 FROM card_state AS s"
    " WHERE s.deck_id = e.deck_id AND s.item_id = e.item_id)"
)


def unapplied_items(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    """Items with seed or bury events pulled before their deck was here (no state row yet):
    they are rebuilt at the next sync."""
    return {(str(d), str(i)) for d, i in conn.execute(_UNAPPLIED_SQL)}


def known_ids(conn: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    """Which of `ids` this device has already."""
    return _known_ids(conn, ids)


def now_utc() -> datetime:
    """The current time (for callers that were not handed one)."""
    return datetime.now(UTC)
