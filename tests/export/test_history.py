"""The review log streamed from the store gives the revlog the in-memory path gives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.deckfiles import load_decks
from quizapp.export.builder import build_package, note_guid
from quizapp.export.history import ReviewLogSource, studied_items
from quizapp.export.schedule import RevlogRow, epoch_ms, iter_revlog_rows, revlog_rows
from quizapp.scheduling.day import study_day
from quizapp.storage.engine import Store, open_store
from quizapp.storage.repository import progress, record_answer, review_log
from quizapp.storage.sync import sync_decks

from .samples import DATA

START = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
ANSWERS = [
    # (deck, item, grade, minutes after START, session kind, repeat)
    ("export-networking", "bridge-default", 5, 0, "study", False),
    ("export-escaping", "dangling", 4, 0, "study", False),  # the same instant: a tie
    ("export-networking", "overlay-encrypt#c2", 2, 1, "study", False),
    ("export-networking", "overlay-encrypt#c2", 4, 2, "study", True),
    ("export-networking", "swarm-consensus", 3, 3, "quiz", False),
    ("export-networking", "bridge-default", 1, 60 * 24 * 3, "study", False),
    ("export-networking", "bridge-default", 4, 60 * 24 * 4, "study", False),
    ("export-networking", "overlay-encrypt#c1", 5, -60, "study", False),  # logged later
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    decks = [r.deck for r in load_decks([DATA / "good"]) if r.deck is not None]
    with open_store(str(tmp_path / "q.db")) as store:
        sync_decks(store, decks)
        for deck_id, item_id, grade, minutes, kind, repeat in ANSWERS:
            now = START + timedelta(minutes=minutes)
            record_answer(
                store,
                deck_id=deck_id,
                item_id=item_id,
                grade=grade,
                typed_answer=None,
                correct=None,
                duration_ms=1500 + minutes,
                now=now,
                today=study_day(now, 4),
                session_kind=kind,
                repeat=repeat,
            )
        yield store


GUIDS = {
    (deck, card): note_guid(deck, card)
    for deck, card in [
        ("export-networking", "bridge-default"),
        ("export-networking", "overlay-encrypt"),
        ("export-networking", "swarm-consensus"),
        ("export-escaping", "dangling"),
    ]
}


@pytest.mark.parametrize("chunk_rows", [1, 3, 5000])
def test_streamed_revlog_is_the_in_memory_revlog(store: Store, chunk_rows: int) -> None:
    expected = revlog_rows(review_log(store), GUIDS)
    assert len(expected) == len(ANSWERS)
    streamed = list(iter_revlog_rows(ReviewLogSource(store, chunk_rows), GUIDS))
    assert streamed == expected


def test_streamed_rows_exactly(store: Store) -> None:
    rows = list(iter_revlog_rows(ReviewLogSource(store), GUIDS))
    first = epoch_ms(START)
    bridge, overlay = (
        GUIDS[("export-networking", "bridge-default")],
        GUIDS[("export-networking", "overlay-encrypt")],
    )
    dangling = GUIDS[("export-escaping", "dangling")]
    assert rows[:3] == [
        RevlogRow(first - 3_600_000, overlay, 0, 4, 1, 0, 2600, 1440, 0),
        RevlogRow(first, bridge, 0, 4, 1, 0, 2600, 1500, 0),
        # The tie: one ms later, so that Anki's revlog ids stay unique.
        RevlogRow(first + 1, dangling, 0, 3, 1, 0, 2500, 1500, 0),
    ]
    assert [(row.ord, row.ease, row.type) for row in rows[3:]] == [
        (1, 1, 0),  # overlay c2 failed on its first answer: learning
        (1, 3, 3),  # its same-day repeat
        (0, 2, 3),  # a quiz answer
        (0, 1, 1),  # bridge failed at review
        (0, 3, 2),  # then relearned
    ]


def test_decks_not_exported_are_left_out_and_each_pass_reads_again(store: Store) -> None:
    guids = {key: guid for key, guid in GUIDS.items() if key[0] == "export-escaping"}
    source = ReviewLogSource(store)
    assert [row.guid for row in iter_revlog_rows(source, guids)] == [
        GUIDS[("export-escaping", "dangling")]
    ]
    assert len(list(iter_revlog_rows(source, guids))) == 1  # read again: a new pass


def test_the_reader_never_closes_the_store_it_reads(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[Store] = []
    monkeypatch.setattr(Store, "close", lambda self: closed.append(self))
    rows = list(ReviewLogSource(store, 2))
    assert len(rows) == len(ANSWERS)
    assert closed == []
    # The store is still the caller's to use: its pooled connection was given back.
    assert store.engine.pool.checkedout() == 0
    assert len(list(ReviewLogSource(store))) == len(ANSWERS)


def test_build_package_takes_reviews_or_answers_not_both(store: Store) -> None:
    with pytest.raises(ValueError, match="not both"):
        build_package([], reviews=[], answers=ReviewLogSource(store), now=START)


def test_studied_items_are_the_progress_of_the_studied_items(store: Store) -> None:
    decks = ["export-networking", "export-escaping"]
    studied = [item for item in progress(store, decks) if item.due is not None]
    assert [(i.item_id, i.reviews, str(i.easiness)) for i in studied] == [
        ("dangling", 1, "2.5"),
        ("bridge-default", 3, "2.06"),
        ("overlay-encrypt#c1", 1, "2.6"),
        ("overlay-encrypt#c2", 2, "2.18"),
    ]
    assert studied_items(store, decks) == studied
    assert studied_items(store, ["export-escaping"]) == [
        item for item in studied if item.deck_id == "export-escaping"
    ]
