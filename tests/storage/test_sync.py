"""Deck sync keeps progress across edits, removals and returns, and writes nothing idle."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from quizapp.context import AppContext
from quizapp.storage.appdata import load_app_data
from quizapp.storage.engine import Store
from quizapp.storage.repository import record_answer
from quizapp.storage.sync import SyncReport, card_hash, sync_decks

from .helpers import WriteCounter, basic, cloze, deck, item_state, noon, rows

DAY = date(2026, 3, 2)
CARDS_SQL = "SELECT item_id, card_id, kind, position, active FROM cards ORDER BY position, item_id"
STATE_SQL = (
    "SELECT item_id, repetitions, interval, easiness_milli, due, lapses FROM card_state "
    "ORDER BY item_id"
)


def answer(store: Store, deck_id: str, item_id: str, grade: int = 5) -> None:
    record_answer(
        store,
        deck_id=deck_id,
        item_id=item_id,
        grade=grade,
        typed_answer=None,
        correct=None,
        duration_ms=1500,
        now=noon(DAY),
        today=DAY,
    )


def test_a_new_deck_adds_one_row_per_item(store: Store) -> None:
    report = sync_decks(store, [deck("net", basic("bridge"), cloze("ov", "{{c1::a}} {{c2::b}}"))])
    assert report == SyncReport(decks_added=1, items_added=3)
    assert rows(store, "SELECT id, title, path, active FROM decks") == [("net", "Net", None, 1)]
    assert rows(store, CARDS_SQL) == [
        ("bridge", "bridge", "basic", 0, 1),
        ("ov#c1", "ov", "cloze", 1, 1),
        ("ov#c2", "ov", "cloze", 2, 1),
    ]
    assert rows(store, "SELECT count(*) FROM card_state") == [(0,)]


def test_a_cloze_with_three_deletions_is_three_items(store: Store) -> None:
    sync_decks(store, [deck("d", cloze("c", "{{c1::x}} {{c3::z}} {{c2::y}} {{c1::again}}"))])
    assert rows(store, "SELECT item_id, card_id FROM cards ORDER BY item_id") == [
        ("c#c1", "c"),
        ("c#c2", "c"),
        ("c#c3", "c"),
    ]


def test_unchanged_decks_sync_with_no_writes(store: Store, writes: WriteCounter) -> None:
    decks = [deck("a", basic("x"), basic("y")), deck("b", cloze("c", "{{c1::1}} {{c2::2}}"))]
    sync_decks(store, decks)
    assert len(writes.statements) == 2  # one executemany a table, whatever the number of rows
    writes.statements.clear()
    report = sync_decks(store, decks)
    assert report == SyncReport(decks_unchanged=2)
    assert writes.statements == []


def test_a_deck_whose_file_hash_is_unchanged_is_skipped_without_reading_its_cards(
    store: Store, writes: WriteCounter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The skip by file hash: a deck row that matches (same hash, title, path) is trusted, so
    even cards that differ are neither read nor hashed nor written."""
    sync_decks(store, [deck("a", basic("x"), basic("y"), content_hash="v1")])
    writes.statements.clear()
    hashed: list[str] = []
    real_hash = card_hash
    monkeypatch.setattr(
        "quizapp.storage.sync.card_hash", lambda card: hashed.append(card.id) or real_hash(card)
    )
    report = sync_decks(store, [deck("a", basic("x"), basic("z"), content_hash="v1")])
    assert report == SyncReport(decks_unchanged=1)
    assert (hashed, writes.statements) == ([], [])
    assert rows(store, "SELECT item_id FROM cards WHERE active = 1 ORDER BY 1") == [
        ("x",),
        ("y",),
    ]


def test_a_changed_file_with_the_same_cards_updates_only_the_deck_row(
    store: Store, writes: WriteCounter
) -> None:
    sync_decks(store, [deck("a", basic("x"), content_hash="v1")])
    writes.statements.clear()
    report = sync_decks(store, [deck("a", basic("x"), content_hash="v2")])
    assert report == SyncReport(decks_changed=1)
    assert len(writes.statements) == 1
    assert writes.statements[0].startswith("UPDATE decks")
    assert rows(store, "SELECT content_hash FROM decks") == [("v2",)]


def test_an_edited_card_keeps_its_progress(store: Store) -> None:
    sync_decks(store, [deck("a", basic("x", back="old"), basic("y"))])
    answer(store, "a", "x", grade=5)
    state_before = rows(store, STATE_SQL)
    old_hash = rows(store, "SELECT content_hash FROM cards WHERE item_id = 'x'")
    report = sync_decks(store, [deck("a", basic("x", back="new"), basic("y"))])
    assert report == SyncReport(decks_changed=1, items_updated=1)
    assert state_before == [("x", 1, 1, 2600, "2026-03-03", 0)]
    assert rows(store, STATE_SQL) == state_before
    new_hash = rows(store, "SELECT content_hash FROM cards WHERE item_id = 'x'")
    assert new_hash == [(card_hash(basic("x", back="new")),)] != old_hash
    assert rows(store, "SELECT count(*) FROM review_log") == [(1,)]


def test_moving_a_card_is_not_an_edit_but_updates_its_position(store: Store) -> None:
    sync_decks(store, [deck("a", basic("x"), basic("y"))])
    report = sync_decks(store, [deck("a", basic("y"), basic("x"))])
    assert report == SyncReport(decks_changed=1, items_updated=2)
    assert rows(store, "SELECT item_id, position FROM cards ORDER BY position") == [
        ("y", 0),
        ("x", 1),
    ]


def test_a_removed_card_is_deactivated_and_its_progress_returns_with_it(store: Store) -> None:
    sync_decks(store, [deck("a", basic("x"), basic("y"))])
    answer(store, "a", "y", grade=4)
    report = sync_decks(store, [deck("a", basic("x"))])
    assert report == SyncReport(decks_changed=1, items_deactivated=1)
    assert rows(store, CARDS_SQL) == [("x", "x", "basic", 0, 1), ("y", "y", "basic", 1, 0)]
    assert item_state(store, "a", "y") is None
    assert rows(store, STATE_SQL) == [("y", 1, 1, 2500, "2026-03-03", 0)]

    report = sync_decks(store, [deck("a", basic("x"), basic("y"))])
    assert report == SyncReport(decks_changed=1, items_reactivated=1)
    assert rows(store, CARDS_SQL) == [("x", "x", "basic", 0, 1), ("y", "y", "basic", 1, 1)]
    progress = item_state(store, "a", "y")
    assert progress is not None
    assert (progress.repetitions, progress.interval, progress.due, progress.reviews) == (
        1,
        1,
        date(2026, 3, 3),
        1,
    )


def test_a_changed_id_starts_anew(store: Store) -> None:
    sync_decks(store, [deck("a", basic("old-id"))])
    answer(store, "a", "old-id")
    report = sync_decks(store, [deck("a", basic("new-id"))])
    assert report == SyncReport(decks_changed=1, items_added=1, items_deactivated=1)
    assert rows(store, CARDS_SQL) == [
        ("new-id", "new-id", "basic", 0, 1),
        ("old-id", "old-id", "basic", 0, 0),
    ]
    fresh = item_state(store, "a", "new-id")
    assert fresh is not None
    assert (fresh.repetitions, fresh.due, fresh.reviews) == (0, None, 0)
    assert rows(store, STATE_SQL) == [("old-id", 1, 1, 2600, "2026-03-03", 0)]


def test_a_dropped_cloze_deletion_is_deactivated(store: Store) -> None:
    sync_decks(store, [deck("a", cloze("c", "{{c1::x}} {{c2::y}} {{c3::z}}"))])
    sync_decks(store, [deck("a", cloze("c", "{{c1::x}} {{c2::y}} z"))])
    assert rows(store, "SELECT item_id, active FROM cards ORDER BY item_id") == [
        ("c#c1", 1),
        ("c#c2", 1),
        ("c#c3", 0),
    ]


def test_a_missing_deck_is_deactivated_then_restored(store: Store) -> None:
    sync_decks(store, [deck("a", basic("x")), deck("b", basic("y"))])
    answer(store, "b", "y")
    report = sync_decks(store, [deck("a", basic("x"))])
    assert report == SyncReport(decks_unchanged=1, decks_deactivated=1)
    assert rows(store, "SELECT id, active FROM decks ORDER BY id") == [("a", 1), ("b", 0)]
    assert item_state(store, "b", "y") is None
    report = sync_decks(store, [deck("a", basic("x")), deck("b", basic("y"))])
    assert report == SyncReport(decks_changed=1, decks_unchanged=1)
    state = item_state(store, "b", "y")
    assert state is not None and state.repetitions == 1


def test_a_deck_that_fails_validation_never_reaches_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    decks_dir = tmp_path / "decks"
    decks_dir.mkdir()
    (decks_dir / "good.yaml").write_text(
        "deck: good\ntitle: Good\ncards:\n  - id: one\n    front: F\n    back: B\n    section: S\n",
        encoding="utf-8",
    )
    (decks_dir / "bad.yaml").write_text(
        "deck: bad\ntitle: Bad\ncards:\n  - id: one\n    front: F\n", encoding="utf-8"
    )
    ctx = AppContext(db=str(tmp_path / "q.db"), deck_dirs=(decks_dir,))
    app = load_app_data(ctx)
    with app.store:
        assert [d.id for d in app.decks] == ["good"]
        assert sorted(r.path.name for r in app.results) == ["bad.yaml", "good.yaml"]
        assert app.sync == SyncReport(decks_added=1, items_added=1)
        assert rows(app.store, "SELECT id, title, path, active FROM decks") == [
            ("good", "Good", str(decks_dir / "good.yaml"), 1)
        ]
        assert rows(app.store, "SELECT deck_id, item_id FROM cards") == [("good", "one")]
    again = load_app_data(ctx)
    with again.store:
        assert again.sync == SyncReport(decks_unchanged=1)
