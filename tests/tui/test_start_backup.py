"""The daily backup is made after the first card is on screen, never before it."""

from __future__ import annotations

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
