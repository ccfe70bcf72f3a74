"""Fixtures for the study app: fixture decks, a tmp database, fixed day, clock and seed."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from quizapp.context import AppContext
from quizapp.tui.app import QuizApp

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


class FakeClock:
    """A monotonic clock that moves 1.5 s each time it is read."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        self.t += 1.5
        return self.t


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("QUIZAPP_DB", raising=False)
    monkeypatch.delenv("QUIZAPP_DECKS", raising=False)
    yield


AppFactory = Callable[..., QuizApp]


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty progress database, made once and copied per test (migrations are slow)."""
    from quizapp.storage.engine import open_store

    path = tmp_path_factory.mktemp("template") / "empty.db"
    open_store(str(path)).close()
    return path


@pytest.fixture
def make_app(tmp_path: Path, empty_db: Path) -> AppFactory:
    """`make_app("basic.yaml", deck="tui-basic")`: an app over copies of fixture decks."""

    def make(
        *files: str,
        deck: str | None = None,
        today: date = TODAY,
        folder: str = "decks",
        db: Path | None = None,
        overrides: dict[str, int] | None = None,
        keymap: dict[str, str] | None = None,
    ) -> QuizApp:
        decks = tmp_path / "decks"
        decks.mkdir(exist_ok=True)
        for name in files:
            shutil.copy(DATA / folder / name, decks / name)
        if db is None:
            db = tmp_path / "progress.db"
            if not db.exists():
                shutil.copy(empty_db, db)
        ctx = AppContext(db=str(db), deck_dirs=(decks,), overrides=dict(overrides or {}))
        return QuizApp(
            ctx, deck=deck, today=today, now=lambda: NOW, clock=FakeClock(), seed=7, keymap=keymap
        )

    return make


async def settle(pilot: Pilot[object]) -> None:
    """Wait until every worker (database calls included) is done and the screen is drawn."""
    app = pilot.app
    for _ in range(50):
        await pilot.pause()
        running = [w for w in app.workers if not w.is_finished]
        if not running:
            break
        await app.workers.wait_for_complete(running)
    await pilot.pause()


async def press(pilot: Pilot[object], *keys: str) -> None:
    """Press keys one at a time, each one's database work done before the next."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def no_cursor_blink(pilot: Pilot[object]) -> None:
    from textual.widgets import Input

    for widget in pilot.app.query(Input):
        widget.cursor_blink = False
        # Under load a blink tick could still land after the pause (a CI snapshot once
        # showed the cursor hidden): stop the timer and show the cursor for good.
        if widget._blink_timer is not None:
            widget._blink_timer.stop()
        widget._cursor_visible = True
