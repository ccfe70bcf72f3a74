"""The local side of sync: existing history becomes events at the migration, local undo and
bury are events, and an answer older than the item's latest (another device's clock is ahead)
is replayed into place."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from quizapp.scheduling.queue import SUSPENDED_UNTIL
from quizapp.scheduling.replay import AnswerEvent, replay
from quizapp.storage.engine import Store, make_engine, open_store
from quizapp.storage.repository import bury, record_answer, review_log, suspend, undo_answer
from quizapp.storage.schema import upgrade
from quizapp.storage.sync import sync_decks
from tests.safety.conftest import fill, sql_rows
from tests.storage.helpers import basic, deck

DECK = deck("net", basic("a"), basic("b"), content_hash="fixed")
AT = datetime(2026, 3, 2, 12, tzinfo=UTC)


def test_existing_history_becomes_events_at_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(str(path))
    upgrade(engine, revision="0004_fsrs")
    with Store(engine, str(path)) as store:
        fill(store, 40)
        store.write_dbapi(
            lambda c: c.execute("UPDATE card_state SET buried_until = '9999-12-31' WHERE rowid = 1")
        )
    before = sql_rows(path, "SELECT id, repeat FROM review_log ORDER BY id")
    open_store(str(path)).close()
    rows = sql_rows(
        path, "SELECT id, event_id, device, asked_repeat, sent FROM review_log ORDER BY id"
    )
    assert [(r[0], r[3]) for r in rows] == before  # asked_repeat keeps each answer's repeat
    ids = [str(r[1]) for r in rows]
    assert len(set(ids)) == 40 and all(re.fullmatch("[0-9a-f]{32}", i) for i in ids)
    assert ids == sorted(ids)  # time-ordered, as the answers were
    assert {(r[2], r[4]) for r in rows} == {(None, 0)}  # made here, not sent yet
    (device,) = sql_rows(path, "SELECT value FROM sync_state WHERE key = 'device'")[0]
    assert re.fullmatch("[0-9a-f-]{36}", str(device))
    buried = sql_rows(path, "SELECT kind, until, device, sent FROM sync_events")
    assert buried == [("bury", "9999-12-31", device, 0)]


def _answer(store: Store, item: str, grade: int, at: datetime, **kw: object) -> int:
    return record_answer(
        store,
        deck_id="net",
        item_id=item,
        grade=grade,
        typed_answer=None,
        correct=None,
        duration_ms=1,
        now=at,
        today=at.date(),
        **kw,  # type: ignore[arg-type]
    ).review_id


def test_undo_and_bury_are_events(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "p.db")) as store:
        sync_decks(store, [DECK])
        review = _answer(store, "a", 4, AT)
        (event,) = store.read_dbapi(
            lambda c: c.execute("SELECT event_id FROM review_log").fetchone()
        )
        undo_answer(store, review, now=AT + timedelta(minutes=1))
        bury(store, "net", "b", date(2026, 3, 3), now=AT + timedelta(minutes=2))
        suspend(store, "net", "b", now=AT + timedelta(minutes=3))
        rows = store.read_dbapi(
            lambda c: c.execute(
                "SELECT kind, deck_id, item_id, target, until, at, sent FROM sync_events"
                " ORDER BY at"
            ).fetchall()
        )
    assert rows == [
        ("undo", "net", "a", event, None, "2026-03-02 12:01:00.000000", 0),
        ("bury", "net", "b", None, "2026-03-03", "2026-03-02 12:02:00.000000", 0),
        ("bury", "net", "b", None, SUSPENDED_UNTIL.isoformat(), "2026-03-02 12:03:00.000000", 0),
    ]


def test_an_answer_is_logged_after_every_answer_of_the_item_it_follows(tmp_path: Path) -> None:
    """Answer order is causal: after an answer synced from a device whose clock is ahead (or
    another terminal's a moment before), a new answer of the item is stamped just after it,
    so it is appended, every device replays it in the same place, and no id moves."""
    later = AT + timedelta(days=1, minutes=10)
    with open_store(str(tmp_path / "p.db")) as store:
        sync_decks(store, [DECK])
        first = _answer(store, "a", 5, later)  # (from a clock ahead)
        record = record_answer(
            store,
            deck_id="net",
            item_id="a",
            grade=3,
            typed_answer=None,
            correct=None,
            duration_ms=1,
            now=AT,
            today=AT.date(),
        )
        log = review_log(store)
        _answer(store, "b", 4, AT)  # another item: its own time
        times = store.read_dbapi(
            lambda c: c.execute(
                "SELECT item_id, reviewed_at FROM review_log ORDER BY id"
            ).fetchall()
        )
    assert [(r.id, r.grade) for r in log] == [(first, 5), (record.review_id, 3)]
    assert times == [
        ("a", "2026-03-03 12:10:00.000000"),
        ("a", "2026-03-03 12:10:00.000001"),
        ("b", "2026-03-02 12:00:00.000000"),
    ]
    expected = replay(
        [
            AnswerEvent("y", later, later.date(), 5, "study"),
            AnswerEvent("x", later + timedelta(microseconds=1), AT.date(), 3, "study"),
        ]
    )
    assert [r.after for r in log] == [s.after for s in expected.steps]
    assert record.before == log[0].after


def test_an_answer_after_an_undone_sent_answer_is_sent(tmp_path: Path) -> None:
    """SQLite gives a deleted last row's id to the next answer: it must still be pushed."""
    from quizapp.storage.device_sync import init_remote, sync

    remote = str(tmp_path / "remote.db")
    init_remote(remote)
    laptop, desktop = (open_store(str(tmp_path / f"{n}.db")) for n in ("laptop", "desktop"))
    for store in (laptop, desktop):
        sync_decks(store, [DECK])
    first = _answer(laptop, "a", 4, AT)
    sync(laptop, remote)
    undo_answer(laptop, first, now=AT + timedelta(minutes=1))
    again = _answer(laptop, "b", 5, AT + timedelta(minutes=2))
    assert again == first  # the id came back
    assert sync(laptop, remote).pushed == 2  # the undo and the new answer
    sync(desktop, remote)
    assert [(r.item_id, r.grade) for r in review_log(desktop)] == [("b", 5)]
    laptop.close()
    desktop.close()


def test_progress_imported_before_seed_events_becomes_seed_events(tmp_path: Path) -> None:
    """At migration 0007, a stored state that is not the replay of the item's log (an import
    wrote it), and an FSRS seed, become seed events; a burial without an event gets one."""
    from quizapp.storage import events as ev
    from quizapp.storage.dbapi import conversions

    path = tmp_path / "old.db"
    engine = make_engine(str(path))
    upgrade(engine, revision="0006_fsrs_seed")
    with Store(engine, str(path)) as store:
        fill(store, 30)
        rows = sql_rows(path, "SELECT deck_id, item_id FROM card_state ORDER BY 1, 2")
        deck_id = str(rows[0][0])
        items = [str(r[1]) for r in rows]
        imported, seeded, suspended = items[:3]

        def old_import(c: Any) -> None:
            c.execute(
                "UPDATE card_state SET repetitions = 7, interval = 40, easiness_milli = 2310,"
                " due = '2026-05-01', lapses = 2 WHERE item_id = ?",
                (imported,),
            )
            c.execute(
                "INSERT INTO fsrs_seed VALUES (?, ?, 2, NULL, 12.5, 5.5,"
                " '2026-04-01 04:00:00.000000', '2026-03-01 04:00:01.000000',"
                " '2026-03-01 12:00:00.000000', '2026-04-01', 'anki',"
                " '2026-03-05 09:00:00.000000')",
                (deck_id, seeded),
            )
            c.execute(
                "UPDATE card_state SET buried_until = '9999-12-31' WHERE item_id = ?",
                (suspended,),
            )

        store.write_dbapi(old_import)
    before = sql_rows(path, "SELECT * FROM card_state ORDER BY deck_id, item_id")
    with open_store(str(path)) as store:
        kinds = sql_rows(path, "SELECT kind, item_id FROM sync_events ORDER BY kind, item_id")
        assert kinds == [("bury", suspended), ("seed", imported), ("seed", seeded)]
        convert = conversions(store.engine.dialect)
        seed, _ = store.read_dbapi(lambda c: ev.item_seed(c, convert, deck_id, imported))
        assert seed.state == (7, 40, 2310, date(2026, 5, 1)) and seed.lapses == 2
        last_answer = sql_rows(
            path, f"SELECT max(reviewed_at) FROM review_log WHERE item_id = '{imported}'"
        )[0][0]
        assert convert.time_in(seed.at) == last_answer
        fsrs_seed = store.read_dbapi(lambda c: ev.item_seed(c, convert, deck_id, seeded))[1]
        assert fsrs_seed["fsrs"]["stability"] == 12.5 and fsrs_seed["fsrs"]["source"] == "anki"

        def rebuild_all(c: Any) -> None:
            for item in items:
                ev.rebuild_item(c, convert, deck_id, item)

        store.write_dbapi(rebuild_all)  # a pull: the stored states stay as they were
    assert sql_rows(path, "SELECT * FROM card_state ORDER BY deck_id, item_id") == before
