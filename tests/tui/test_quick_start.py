"""A start on an up-to-date database (the usual one) studies exactly as a first start does.

The first queue is read without SQLAlchemy (`storage.quickstart`); the store opens once the
card is up. Same queue, same repeats, answers logged, backup made.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.storage.backup import list_backups
from quizapp.storage.repository import review_log

from .conftest import AppFactory, press, settle
from .test_flows import table_rows, text_of


async def test_the_second_start_reads_its_queue_quickly_and_loses_nothing(
    make_app: AppFactory,
) -> None:
    first = make_app("basic.yaml", deck="tui-basic")
    async with first.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not first.backend.quick_start  # a new database: opened, synced
        await press(pilot, "space", "1")
    db = Path(first.ctx.db)
    for made in list_backups(db):
        made.path.unlink()  # so that the second start has to make today's backup again
    second = make_app("basic.yaml", deck="tui-basic")
    async with second.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert second.backend.quick_start
        assert text_of(second, "#progress").strip() == "1 / 2 · 1 to repeat"
        await press(pilot, "space", "4", "space", "5")
        rows = await second.backend.with_store(review_log)
    assert [(r.item_id, r.grade, r.repeat) for r in rows] == [
        ("bridge-default", 1, False),
        ("markup-literal", 4, False),
        ("bridge-default", 5, True),
    ]
    assert len(list_backups(db)) == 1


async def test_the_home_counts_of_a_quick_start_are_the_store_s(make_app: AppFactory) -> None:
    first = make_app("basic.yaml", "cloze.yaml")
    async with first.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not first.backend.quick_start
        await press(pilot, "enter", "space", "1")  # a wrong answer: one repeat pending
        await press(pilot, "escape")
        expected = table_rows(first)
    assert expected == [["Basic cards", 2, 1, 1, 0, 2], ["Cloze cards", 2, 2, 0, 0, 2]]
    second = make_app("basic.yaml", "cloze.yaml")
    async with second.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert second.backend.quick_start
        assert table_rows(second) == expected
