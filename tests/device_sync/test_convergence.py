"""Convergence, proved: devices that study offline at random (and import items' states: seed
events, as an Anki import makes them), then sync in random orders with random interruptions,
end with the same review log and states, equal to the replay of the union of all events
(`scheduling.replay`, from each item's latest seed)."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from quizapp.errors import QuizappError
from quizapp.scheduling.replay import AnswerEvent, Seed, latest_seed, replay
from quizapp.storage import events as ev
from quizapp.storage.dbapi import conversions
from quizapp.storage.device_sync import init_remote, sync
from quizapp.storage.engine import Store, open_store
from quizapp.storage.repository import bury, record_answer, suspend, undo_answer
from quizapp.storage.sync import sync_decks
from tests.pgserver import PgServer
from tests.storage.helpers import basic, deck

ITEMS = ("a", "b", "c")
DECK = deck("net", *(basic(i) for i in ITEMS), content_hash="fixed")
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Interrupted(Exception):
    """The network went away (or the process was killed) in the middle of a sync."""


@dataclass
class Device:
    store: Store
    skew: timedelta
    rollover: int
    answers: list[str] = field(default_factory=list)

    def day(self, at: datetime) -> date:
        return (at - timedelta(hours=self.rollover)).date()


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="quizapp-conv-"))
    path = folder / "template.db"
    with open_store(str(path)) as store:
        sync_decks(store, [DECK])
    yield path
    shutil.rmtree(folder, ignore_errors=True)


def _copy(template: Path, target: Path) -> None:
    source = sqlite3.connect(template)
    dest = sqlite3.connect(target)
    source.backup(dest)
    dest.execute("UPDATE sync_state SET value = ? WHERE key = 'device'", (str(uuid.uuid4()),))
    dest.commit()
    dest.close()
    source.close()


def _interrupting(store: Store, after: int) -> Callable[[], None]:
    """Make the store's `after`-th write from now fail (then writes work again)."""
    original = store.write_dbapi
    count = [0]

    def write(work: Any) -> Any:
        count[0] += 1
        if count[0] == after:

            def failing(conn: sqlite3.Connection) -> Any:
                work(conn)
                raise Interrupted

            return original(failing)
        return original(work)

    store.write_dbapi = write  # type: ignore[method-assign]

    def restore() -> None:
        store.write_dbapi = original  # type: ignore[method-assign]

    return restore


ACTION = st.tuples(
    st.integers(0, 2),  # device
    st.sampled_from(
        [
            "study",
            "study",
            "study",
            "quiz",
            "repeat",
            "undo",
            "bury",
            "suspend",
            "seed",
            "sync",
            "sync",
        ]
    ),
    st.sampled_from(ITEMS),
    st.integers(0, 5),  # grade
    st.integers(0, 60 * 40),  # minutes from the start (several study days)
    st.integers(0, 6),  # interruption after this many writes (0: none)
)


def _act(devices: list[Device], remote: str, action: tuple[Any, ...]) -> None:
    index, kind, item, grade, minutes, cut = action
    device = devices[index]
    at = START + timedelta(minutes=minutes) + device.skew
    store = device.store
    if kind in ("study", "quiz", "repeat"):
        record = record_answer(
            store,
            deck_id="net",
            item_id=item,
            grade=grade,
            typed_answer=None,
            correct=grade >= 3,
            duration_ms=1000,
            now=at,
            today=device.day(at),
            session_kind="quiz" if kind == "quiz" else "study",
            repeat=kind == "repeat",
        )
        event = store.read_dbapi(
            lambda c: c.execute(
                "SELECT event_id FROM review_log WHERE id = ?", (record.review_id,)
            ).fetchone()[0]
        )
        device.answers.append(event)
    elif kind == "undo" and device.answers:
        event = device.answers.pop()
        found = store.read_dbapi(
            lambda c: c.execute("SELECT id FROM review_log WHERE event_id = ?", (event,)).fetchone()
        )
        if found is not None:
            # answered again since: only the latest answer can be undone
            with contextlib.suppress(QuizappError):
                undo_answer(store, found[0], now=at)
    elif kind == "seed":  # an import: a state as of a time (maybe before answers it has)
        horizon = at - timedelta(minutes=grade * 90)
        interval = 1 + minutes % 20
        state = (grade % 3, interval, 1300 + 150 * grade, device.day(horizon) + timedelta(interval))
        last = None if grade == 0 else horizon - timedelta(days=1)
        convert = conversions(store.engine.dialect)
        payload = ev.seed_payload(state, grade % 2, last, None)
        store.write_dbapi(lambda c: ev.seed_item(c, convert, "net", item, horizon, payload))
    elif kind == "bury":
        bury(store, "net", item, device.day(at) + timedelta(days=1), now=at)
    elif kind == "suspend":
        suspend(store, "net", item, now=at)
    elif kind == "sync":
        restore = _interrupting(store, cut) if cut else (lambda: None)
        try:
            sync(store, remote)
        except Interrupted:
            pass
        finally:
            restore()


def _log(store: Store) -> list[tuple[Any, ...]]:
    return store.read_dbapi(
        lambda c: c.execute(
            "SELECT deck_id, item_id, event_id, reviewed_at, day, grade, session_kind, repeat,"
            " repetitions_before, interval_before, easiness_milli_before, due_before,"
            " lapses_before, last_review_before, repetitions_after, interval_after,"
            " easiness_milli_after, due_after, lapses_after, coalesce(asked_repeat, repeat)"
            " FROM review_log"
            " ORDER BY deck_id, item_id, id"
        ).fetchall()
    )


def _states(store: Store) -> list[tuple[Any, ...]]:
    return store.read_dbapi(
        lambda c: c.execute(
            "SELECT item_id, repetitions, interval, easiness_milli, due, lapses, last_review,"
            " buried_until FROM card_state WHERE due IS NOT NULL OR buried_until IS NOT NULL"
            " ORDER BY item_id"
        ).fetchall()
    )


def _all_seeds(store: Store) -> dict[str, list[Seed]]:
    """Every seed event of each item, as the pure replay takes them."""
    convert = conversions(store.engine.dialect)
    rows = store.read_dbapi(
        lambda c: c.execute(
            "SELECT item_id, event_id, at, payload FROM sync_events WHERE kind = 'seed'"
            " ORDER BY event_id"
        ).fetchall()
    )
    found: dict[str, list[Seed]] = {}
    for item_id, event_id, at, payload in rows:
        p = json.loads(payload)
        last = p["last_review"]
        found.setdefault(item_id, []).append(
            Seed(
                event_id,
                convert.time_out(at),
                (
                    p["repetitions"],
                    p["interval"],
                    p["easiness_milli"],
                    date.fromisoformat(p["due"]),
                ),
                p["lapses"],
                None if last is None else datetime.fromisoformat(last),
            )
        )
    return found


def _expected(
    log: list[tuple[Any, ...]], seeds: dict[str, list[Seed]]
) -> dict[str, tuple[Any, ...]]:
    """The replay of the union, item by item, from each item's latest seed (the pure
    function, not the store)."""
    found = {}
    for item in ITEMS:
        events = [
            AnswerEvent(
                r[2],
                datetime.fromisoformat(r[3]).replace(tzinfo=UTC),
                date.fromisoformat(r[4]),
                r[5],
                r[6],
                bool(r[19]),
            )
            for r in log
            if r[1] == item
        ]
        history = replay(events, latest_seed(seeds.get(item, [])))
        if history.state.due is not None:
            found[item] = (
                history.state.repetitions,
                history.state.interval,
                history.state.easiness_thousandths,
                history.state.due.isoformat(),
                history.lapses,
            )
    return found


def run_scenario(
    template: Path,
    actions: list[tuple[Any, ...]],
    skews: list[int],
    rollovers: list[int],
    order: list[int],
    remote: str | None = None,
) -> None:
    """The scenario on three devices from `template`, through `remote` (None: a new SQLite
    file)."""
    folder = Path(tempfile.mkdtemp(prefix="quizapp-conv-"))
    if remote is None:
        remote = str(folder / "remote.db")
    init_remote(remote)
    devices = []
    for n in range(3):
        path = folder / f"device{n}.db"
        _copy(template, path)
        devices.append(Device(open_store(str(path)), timedelta(minutes=skews[n]), rollovers[n]))
    try:
        for action in actions:
            _act(devices, remote, action)
        for _ in range(2):  # everyone syncs, in a random order, twice: all have everything
            for n in order:
                sync(devices[n].store, remote)
        logs = [_log(d.store) for d in devices]
        states = [_states(d.store) for d in devices]
        assert logs[0] == logs[1] == logs[2]
        assert states[0] == states[1] == states[2]
        seeds = [_all_seeds(d.store) for d in devices]
        assert seeds[0] == seeds[1] == seeds[2]
        expected = _expected(logs[0], seeds[0])
        got = {row[0]: (*row[1:5], row[5]) for row in states[0] if row[4] is not None}
        assert got == expected
        # the remote holds every event once: the union of answers, undos and burials
        _check_remote(remote, devices)
    finally:
        for d in devices:
            d.store.close()
        shutil.rmtree(folder, ignore_errors=True)


def _all_events(devices: list[Device]) -> set[tuple[str]]:
    found: set[tuple[str]] = set()
    for d in devices:
        found |= set(
            d.store.read_dbapi(
                lambda c: c.execute(
                    "SELECT event_id FROM sync_events UNION SELECT event_id FROM review_log"
                ).fetchall()
            )
        )
    return found


def _check_remote(remote: str, devices: list[Device]) -> None:
    """The remote holds every event once: each device's, and answers that were undone."""
    from sqlalchemy import select

    from quizapp.storage.device_sync import _with_schema, open_remote, remote_events

    opened = open_remote(remote)
    try:
        with opened.engine.connect() as base:
            _, conn = _with_schema(opened, base)
            c = remote_events.c
            rows = conn.execute(select(c.event_id, c.kind, c.target)).all()
    finally:
        opened.close()
    targets = {target for _, kind, target in rows if kind == "undo"}
    assert len(rows) == len({e for e, _, _ in rows})
    local = {e for (e,) in _all_events(devices)}
    remote_ids = {e for e, _, _ in rows}
    assert local <= remote_ids
    assert all(e in targets for e in remote_ids - local)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a scenario takes minutes
)
@given(
    actions=st.lists(ACTION, min_size=5, max_size=30),
    skews=st.lists(st.integers(-5, 5), min_size=3, max_size=3),
    rollovers=st.lists(st.integers(0, 6), min_size=3, max_size=3),
    order=st.permutations([0, 1, 2]),
)
def test_devices_converge_on_the_replay_of_every_event(
    template: Path,
    actions: list[tuple[Any, ...]],
    skews: list[int],
    rollovers: list[int],
    order: list[int],
) -> None:
    run_scenario(template, actions, skews, rollovers, order)


@pytest.mark.slow
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    actions=st.lists(ACTION, min_size=5, max_size=60),
    skews=st.lists(st.integers(-5, 5), min_size=3, max_size=3),
    rollovers=st.lists(st.integers(0, 6), min_size=3, max_size=3),
    order=st.permutations([0, 1, 2]),
)
def test_devices_converge_many_scenarios(
    template: Path,
    actions: list[tuple[Any, ...]],
    skews: list[int],
    rollovers: list[int],
    order: list[int],
) -> None:
    run_scenario(template, actions, skews, rollovers, order)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(
    actions=st.lists(ACTION, min_size=5, max_size=30),
    skews=st.lists(st.integers(-5, 5), min_size=3, max_size=3),
    rollovers=st.lists(st.integers(0, 6), min_size=3, max_size=3),
    order=st.permutations([0, 1, 2]),
)
def test_devices_converge_through_postgresql(
    template: Path,
    pg_server: PgServer,
    actions: list[tuple[Any, ...]],
    skews: list[int],
    rollovers: list[int],
    order: list[int],
) -> None:
    database = pg_server.database()
    role = f"r_{uuid.uuid4().hex[:10]}"
    pg_server.role(role, "pw", database)
    run_scenario(template, actions, skews, rollovers, order, pg_server.url(database, role, "pw"))
