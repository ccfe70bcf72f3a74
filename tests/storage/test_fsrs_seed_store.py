"""An FSRS seed (an item's memory state imported from Anki) in the store: the replay starts
from it, answers it covers are skipped, later answers go on top (live and replayed alike),
a new seed replaces the old one, undo and switching to SM-2 and back keep working."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from quizapp.scheduling import fsrs
from quizapp.scheduling.fsrs import FsrsConfig, FsrsState
from quizapp.scheduling.settings import Settings
from quizapp.storage import fsrs_store
from quizapp.storage.dbapi import conversions
from quizapp.storage.engine import Store
from quizapp.storage.sync import sync_decks

from .helpers import basic, deck, rows

FSRS = Settings(scheduler="fsrs")
SM2 = Settings()
CONFIG = FsrsConfig()
SEEDED = FsrsState(
    state=2,
    step=None,
    stability=12.5,
    difficulty=6.25,
    due_at=datetime(2026, 3, 14, 4, tzinfo=UTC),
    last_review=datetime(2026, 3, 2, 4, 0, 1, tzinfo=UTC),
)
COVERS = datetime(2026, 3, 2, 18, 30, tzinfo=UTC)
SM2_DUE = date(2026, 3, 12)


def put_seed(store: Store, state: FsrsState = SEEDED, covers: datetime = COVERS) -> None:
    convert = conversions(store.engine.dialect)
    store.write_dbapi(
        lambda conn: conn.execute(
            "INSERT OR REPLACE INTO fsrs_seed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'anki', ?)",
            (
                "d",
                "a",
                state.state,
                state.step,
                state.stability,
                state.difficulty,
                convert.time_in(state.due_at),
                convert.time_in(state.last_review),
                convert.time_in(covers),
                convert.date_in(SM2_DUE),
                convert.time_in(covers),
            ),
        )
    )


def answer(store: Store, settings: Settings, grade: int, at: datetime) -> fsrs_store.AnswerRecord:
    return fsrs_store.record(
        store,
        settings,
        deck_id="d",
        item_id="a",
        grade=grade,
        typed_answer=None,
        correct=None,
        duration_ms=1000,
        now=at,
        today=at.date(),
    )


def due_of(store: Store) -> date | None:
    found = rows(store, "SELECT due FROM card_state WHERE deck_id = 'd' AND item_id = 'a'")
    return date.fromisoformat(found[0][0]) if found and found[0][0] else None


@pytest.fixture
def seeded(store: Store) -> Store:
    """Item "a" as the import leaves it: SM-2's state due on SM2_DUE, and a seed."""
    sync_decks(store, [deck("d", basic("a"), basic("b"))])
    store.write_dbapi(
        lambda conn: conn.execute(
            "INSERT INTO card_state (deck_id, item_id, repetitions, interval, easiness_milli,"
            " due, lapses) VALUES ('d', 'a', 1, 10, 2500, ?, 0)",
            (SM2_DUE.isoformat(),),
        )
    )
    put_seed(store)
    return store


def test_a_seed_alone_is_the_state(seeded: Store) -> None:
    state = fsrs_store.item_fsrs_state(seeded, "d", "a", CONFIG)
    assert state == SEEDED
    assert fsrs_store.deck_fsrs_states(seeded, "d", CONFIG) == {"a": SEEDED}
    fsrs_store.reconcile(seeded, ["d"], FSRS)
    assert due_of(seeded) == SEEDED.due_day(FSRS.rollover_hour)
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    assert fsrs_store.predicted_retention(seeded, ["d"], FSRS, now) == pytest.approx(
        fsrs.retrievability(SEEDED, now, CONFIG)
    )


def test_answers_the_seed_covers_are_skipped_later_ones_go_on_top(seeded: Store) -> None:
    covered = COVERS - timedelta(hours=1)
    answer(seeded, SM2, 1, covered)  # logged under SM-2: history the seed already holds
    assert fsrs_store.item_fsrs_state(seeded, "d", "a", CONFIG) == SEEDED
    fsrs_store.reconcile(seeded, ["d"], FSRS)
    later = datetime(2026, 3, 14, 9, tzinfo=UTC)
    record = answer(seeded, FSRS, 4, later)
    expected = fsrs.review(SEEDED, 4, later, CONFIG)
    assert isinstance(record, fsrs_store.FsrsAnswerRecord) and record.fsrs_after == expected
    assert due_of(seeded) == expected.due_day(FSRS.rollover_hour)
    # The same from a cold replay (another process): of the item, and of the whole deck.
    fsrs_store.reconcile(seeded, ["d"], SM2)
    fsrs_store.reconcile(seeded, ["d"], FSRS)
    assert fsrs_store.deck_fsrs_states(seeded, "d", CONFIG)["a"] == expected
    assert due_of(seeded) == expected.due_day(FSRS.rollover_hour)
    then = later + timedelta(days=20)
    assert fsrs_store.item_fsrs_state(seeded, "d", "a", CONFIG) == expected
    assert answer(seeded, FSRS, 3, then).fsrs_after == fsrs.review(expected, 3, then, CONFIG)  # type: ignore[attr-defined]


def test_a_new_seed_replaces_the_old_one_at_once(seeded: Store) -> None:
    fsrs_store.reconcile(seeded, ["d"], FSRS)
    assert fsrs_store.item_fsrs_state(seeded, "d", "a", CONFIG) == SEEDED
    assert fsrs_store.deck_fsrs_states(seeded, "d", CONFIG)["a"] == SEEDED
    newer = FsrsState(2, None, 30.0, 5.0, SEEDED.due_at + timedelta(days=30), SEEDED.due_at)
    put_seed(seeded, newer, covers=SEEDED.due_at + timedelta(hours=5))
    assert fsrs_store.item_fsrs_state(seeded, "d", "a", CONFIG) == newer
    assert fsrs_store.deck_fsrs_states(seeded, "d", CONFIG)["a"] == newer


def test_undo_goes_back_to_the_seed(seeded: Store) -> None:
    fsrs_store.reconcile(seeded, ["d"], FSRS)
    before = due_of(seeded)
    record = answer(seeded, FSRS, 1, datetime(2026, 3, 10, 9, tzinfo=UTC))
    assert due_of(seeded) == date(2026, 3, 10) != before
    fsrs_store.undo(seeded, FSRS, record.review_id, "d")
    assert due_of(seeded) == before
    assert fsrs_store.item_fsrs_state(seeded, "d", "a", CONFIG) == SEEDED


def test_switching_to_sm2_gives_the_imported_due_day_until_an_answer_moves_sm2(
    seeded: Store,
) -> None:
    answer(seeded, SM2, 4, COVERS - timedelta(days=3))  # imported history: its due is older
    assert due_of(seeded) != SM2_DUE
    seeded.write_dbapi(
        lambda conn: conn.execute(
            "UPDATE card_state SET due = ? WHERE item_id = 'a'", (SM2_DUE.isoformat(),)
        )
    )  # the import sets Anki's due day after the history
    fsrs_store.reconcile(seeded, ["d"], FSRS)
    assert due_of(seeded) == SEEDED.due_day(FSRS.rollover_hour)
    fsrs_store.reconcile(seeded, ["d"], SM2)
    assert due_of(seeded) == SM2_DUE
    fsrs_store.reconcile(seeded, ["d"], FSRS)
    record = answer(seeded, FSRS, 4, datetime(2026, 3, 14, 9, tzinfo=UTC))
    fsrs_store.reconcile(seeded, ["d"], SM2)
    assert due_of(seeded) == record.after.due


def test_an_item_with_neither_history_nor_seed_keeps_its_due_day(seeded: Store) -> None:
    """Imported from Anki without history (deleted) nor memory state (an SM-2 collection)."""
    seeded.write_dbapi(
        lambda conn: conn.execute(
            "INSERT INTO card_state (deck_id, item_id, repetitions, interval, easiness_milli,"
            " due, lapses) VALUES ('d', 'b', 3, 40, 2300, '2026-04-01', 0)"
        )
    )
    for settings in (FSRS, SM2, FSRS, SM2):
        fsrs_store.reconcile(seeded, ["d"], settings)
        found = rows(seeded, "SELECT due FROM card_state WHERE item_id = 'b'")
        assert found == [("2026-04-01",)]
