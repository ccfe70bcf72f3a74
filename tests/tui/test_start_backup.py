"""What a start leaves for after the first card: the daily backup, the garbage collector."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

import quizapp.tui.backend as backend_module
from quizapp.context import AppContext
from quizapp.storage import backup
from quizapp.storage.engine import Store
from quizapp.tui.app import QuizApp

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


async def test_garbage_collector_paused_only_until_the_first_card(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gc.isenabled()
    app = make_app("basic.yaml", deck="tui-basic")
    assert gc.isenabled()  # constructing the app leaves it alone
    collecting_while_loading: list[bool] = []
    real_start = backend_module._start

    def start(ctx: AppContext) -> backend_module.Started:
        collecting_while_loading.append(gc.isenabled())
        return real_start(ctx)

    monkeypatch.setattr(backend_module, "_start", start)
    try:
        async with app.run_test() as pilot:
            await settle(pilot)
            assert app.first_card_after is not None
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # what the start made is frozen
        assert collecting_while_loading == [False]
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0  # and unfrozen when the app ends
    finally:
        gc.enable()
        gc.unfreeze()


def test_constructing_the_app_does_nothing(tmp_path: Path) -> None:
    """`QuizApp(ctx)` without running it: no database file, no thread, the collector as it
    was (on or off)."""
    db = tmp_path / "new" / "quizapp.db"
    ctx = AppContext(db=str(db), deck_dirs=(tmp_path / "decks",))
    threads = set(threading.enumerate())
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            app = QuizApp(ctx)
            assert gc.isenabled() is enabled
            assert app.new_db is None
        assert set(threading.enumerate()) == threads
        assert not db.exists() and not db.parent.exists()
        assert gc.get_freeze_count() == 0
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
