"""`[sync] auto = true`: background sync at start and quit, the home screen's sync line, and
a quit that never hangs on a dead server."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

import pytest

from quizapp.storage.device_sync import init_remote
from quizapp.tui import autosync

from .conftest import AppFactory, press, settle


def _config(tmp_path: Path, url: str) -> None:
    folder = tmp_path / "config" / "quizapp"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(f'[sync]\nurl = "{url}"\nauto = true\n')


def _line(app: object) -> str:
    from textual.widgets import Static

    return str(app.screen.query_one("#sync-line", Static).render())  # type: ignore[attr-defined]


async def _until(pilot: object, check: object, seconds: float = 10.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        await settle(pilot)  # type: ignore[arg-type]
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)


async def test_the_app_syncs_at_start_and_quit_and_says_so(
    tmp_path: Path, make_app: AppFactory
) -> None:
    remote = tmp_path / "remote.db"
    init_remote(str(remote))
    _config(tmp_path, str(remote))
    app = make_app("basic.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.autosync is not None
        await _until(pilot, lambda: "last synced" in _line(app))
        assert "Sync: last synced" in _line(app) and "0 answers wait to be sent" in _line(app)
        await press(pilot, "enter", "space", "4", "escape")
        assert "1 answer waits to be sent" in _line(app)
    # quitting synced the answer
    import sqlite3

    conn = sqlite3.connect(remote)
    assert conn.execute("SELECT count(*) FROM quizapp_events").fetchone() == (1,)
    conn.close()


async def test_an_unreachable_server_is_one_line_and_study_goes_on(
    tmp_path: Path, make_app: AppFactory
) -> None:
    _config(tmp_path, f"postgresql://me:topsecret@/db?host={tmp_path}/no-server-here")
    app = make_app("basic.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _until(pilot, lambda: "not reachable" in _line(app))
        line = _line(app)
        assert "never synced" in line and "not reachable: connecting:" in line
        assert "topsecret" not in line and "\n" not in line
        await press(pilot, "enter", "space", "4")  # studying works regardless
        assert "2 / " in str(app.screen.query_one("#progress").render())


async def test_a_bad_sync_url_is_the_home_screens_reason(
    tmp_path: Path, make_app: AppFactory
) -> None:
    """A URL refused before any connection (wrong scheme, missing file) once left the line
    silent, or showing the reason of an earlier run."""
    _config(tmp_path, "mysql://me:topsecret@host/db")
    app = make_app("basic.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _until(pilot, lambda: "not reachable" in _line(app))
        line = _line(app)
        assert line.endswith(
            "not reachable: cannot sync with 'mysql': use postgresql://... or a SQLite file"
        )
        assert "topsecret" not in line


async def test_auto_sync_without_a_url_says_so(tmp_path: Path, make_app: AppFactory) -> None:
    folder = tmp_path / "config" / "quizapp"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text("[sync]\nauto = true\n")
    app = make_app("basic.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.autosync is None
        assert _line(app) == (
            "Sync: auto = true in config.toml, but no url under [sync] (nor QUIZAPP_SYNC_URL): "
            "nothing is synced"
        )
        assert app.screen.query_one("#sync-line").display


@pytest.fixture
def silent_server() -> object:
    """A TCP port that accepts connections and never says a word (a hung server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


async def test_quitting_never_waits_long_on_a_hung_server(
    tmp_path: Path, make_app: AppFactory, silent_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(autosync, "CONNECT_TIMEOUT", 60)  # the server would hold us a minute
    monkeypatch.setattr(autosync, "QUIT_WAIT", 1.0)
    _config(tmp_path, f"postgresql://me@127.0.0.1:{silent_server}/db")
    app = make_app("basic.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.autosync is not None
        started = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - started < 4.0
