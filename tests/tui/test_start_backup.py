"""What a start leaves for after the first card: the daily backup, the garbage collector."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from quizapp.storage import backup
from quizapp.storage.engine import Store

from .conftest import AppFactory, settle


async def test_daily_backup_waits_for_the_first_card(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    seen: list[float | None] = []
    real = backup.daily_backup_of

    def spy(store: Store) -> Path | None:
        seen.append(app.first_card_after)
        return real(store)

    monkeypatch.setattr(backup, "daily_backup_of", spy)
    async with app.run_test() as pilot:
        await settle(pilot)
    assert len(seen) == 1
    assert seen[0] is not None  # the card was on screen before the backup began
    made = list((tmp_path / "backups").glob("progress-*.db"))
    assert len(made) == 1  # closing the app waited for it


async def test_daily_backup_after_the_home_screen(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app("basic.yaml")
    async with app.run_test() as pilot:
        await settle(pilot)
    assert len(list((tmp_path / "backups").glob("progress-*.db"))) == 1


async def test_garbage_collector_paused_only_until_the_first_card(make_app: AppFactory) -> None:
    assert gc.isenabled()
    app = make_app("basic.yaml", deck="tui-basic")
    try:
        assert not gc.isenabled()  # while starting
        async with app.run_test() as pilot:
            await settle(pilot)
            assert app.first_card_after is not None
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_garbage_collector_resumes_when_the_start_fails(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="no-such-deck")
    try:
        async with app.run_test() as pilot:
            await settle(pilot)
        assert app.error is not None
        assert gc.isenabled()
    finally:
        gc.enable()
