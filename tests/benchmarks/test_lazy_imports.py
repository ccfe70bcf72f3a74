"""`validate`, `grade` and `export` never import textual; the study app never imports the export.

Each check runs in a fresh interpreter (sys.modules of this test process is no evidence).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.synth import write_decks

ROOT = Path(__file__).resolve().parents[2]

CLI = """
import json, sys
from quizapp.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""

STUDY = """
import asyncio, json, sys
from pathlib import Path
from quizapp.context import AppContext
from quizapp.tui.app import QuizApp

app = QuizApp(AppContext(db=sys.argv[1], deck_dirs=(Path(sys.argv[2]),)), deck="synthetic-000",
              seed=1)

async def main():
    async with app.run_test(headless=True) as pilot:
        while app.first_card_after is None:
            await pilot.pause(0.01)

asyncio.run(main())
print(json.dumps(sorted(sys.modules)))
"""


def _last_line(code: str, args: list[str], tmp_path: Path) -> str:
    """Run `code` in a fresh interpreter with a private home; its last line of output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZAPP_", "XDG_"))}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    env["QUIZAPP_DB"] = str(tmp_path / "quizapp.db")
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def _modules(code: str, args: list[str], tmp_path: Path) -> set[str]:
    return set(json.loads(_last_line(code, args, tmp_path)))


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    write_decks(tmp_path / "decks", 8, seed=1)
    return tmp_path / "decks"


def test_validate_never_imports_textual(decks: Path, tmp_path: Path) -> None:
    modules = _modules(CLI, ["validate", str(decks)], tmp_path)
    assert "quizapp" in modules and "yaml" in modules
    assert not modules & {"textual", "rich", "quizapp.export", "sqlalchemy", "alembic"}


def test_grade_never_imports_textual(decks: Path, tmp_path: Path) -> None:
    args = ["grade", str(decks / "synthetic-000.yaml"), "card-000001", "docker", "ps"]
    modules = _modules(CLI, args, tmp_path)
    assert "quizapp" in modules
    assert not modules & {"textual", "rich", "quizapp.export", "sqlalchemy", "alembic"}


def test_export_never_imports_textual(decks: Path, tmp_path: Path) -> None:
    args = ["--decks", str(decks), "export", "anki", "-o", str(tmp_path / "out.apkg")]
    modules = _modules(CLI, args, tmp_path)
    assert (tmp_path / "out.apkg").is_file()
    assert "quizapp.export.writer" in modules
    assert not modules & {"textual", "rich"}


def test_export_with_progress_never_imports_textual(decks: Path, tmp_path: Path) -> None:
    args = [
        "--decks",
        str(decks),
        "export",
        "anki",
        "--with-progress",
        "-o",
        str(tmp_path / "p.apkg"),
    ]
    modules = _modules(CLI, args, tmp_path)
    assert "quizapp.export.writer" in modules and "sqlalchemy" in modules
    assert not modules & {"textual", "rich"}


def test_the_study_app_never_imports_the_export(decks: Path, tmp_path: Path) -> None:
    modules = _modules(STUDY, [str(tmp_path / "quizapp.db"), str(decks)], tmp_path)
    assert "textual" in modules and "sqlalchemy" in modules
    assert "quizapp.export" not in modules


def test_opening_a_current_database_never_imports_alembic(decks: Path, tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from quizapp.storage.engine import open_store\n"
        "open_store(sys.argv[1]).close()\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))\n"
    )
    db = str(tmp_path / "quizapp.db")
    assert "alembic" in _modules(code, [db], tmp_path)  # a new database: migrated
    assert "alembic" not in _modules(code, [db], tmp_path)  # current: no Alembic


def test_the_head_revision_constant_is_alembics_head() -> None:
    from quizapp.storage.schema import HEAD_REVISION, head_revision

    assert head_revision() == HEAD_REVISION


FIRST_CARD = """
import asyncio, json, sys
from pathlib import Path
from quizapp.context import AppContext
from quizapp.tui.app import QuizApp

app = QuizApp(AppContext(db=sys.argv[1], deck_dirs=(Path(sys.argv[2]),)), deck="synthetic-000",
              seed=1)
at_first_card = set()
started = app._started


def watched():
    # Called once the first card is up, before the store is opened in the background.
    at_first_card.update(sys.modules)
    started()


app._started = watched

async def main():
    async with app.run_test(headless=True) as pilot:
        while app.first_card_after is None:
            await pilot.pause(0.01)

asyncio.run(main())
print(json.dumps(sorted(at_first_card)))
"""


def test_a_start_on_an_up_to_date_database_shows_the_first_card_before_sqlalchemy(
    decks: Path, tmp_path: Path
) -> None:
    """SQLAlchemy (and the ORM storage modules) load after the first card is on screen."""
    db = str(tmp_path / "quizapp.db")
    assert "sqlalchemy" in _modules(FIRST_CARD, [db, str(decks)], tmp_path)  # created, synced
    modules = _modules(FIRST_CARD, [db, str(decks)], tmp_path)
    assert "textual" in modules
    assert not modules & {"sqlalchemy", "alembic", "quizapp.export"}


UI_THREAD = """
import asyncio, json, sys, threading
from pathlib import Path

importers = []


class Spy:
    def find_spec(self, name, path=None, target=None):
        if name == "sqlalchemy" or name.startswith("quizapp.storage.repository"):
            importers.append(threading.current_thread().name)


sys.meta_path.insert(0, Spy())

from quizapp.context import AppContext
from quizapp.tui.app import QuizApp

app = QuizApp(AppContext(db=sys.argv[1], deck_dirs=(Path(sys.argv[2]),)), deck="synthetic-000",
              seed=1)

async def main():
    async with app.run_test(headless=True) as pilot:
        while app.first_card_after is None:
            await pilot.pause(0.01)
        screen = app.screen
        backend = app.backend
        candidate = screen.session.current
        await backend.record(candidate, grade=4, typed=None, correct=True, duration_ms=1,
                             now=app.now(), today=app.today)
        await backend.summaries(app.today)
        await backend.stats(app.today, None)

asyncio.run(main())
print(json.dumps(importers))
"""


def test_the_study_app_imports_storage_off_the_ui_thread(decks: Path, tmp_path: Path) -> None:
    """SQLAlchemy and the repository load on the database thread, never on the UI's."""
    db = str(tmp_path / "quizapp.db")
    for start in ("first", "up to date"):
        importers = json.loads(_last_line(UI_THREAD, [db, str(decks)], tmp_path))
        assert importers, start
        assert "MainThread" not in importers, start


HOME = FIRST_CARD.replace(', deck="synthetic-000",', ",").replace(
    "while app.first_card_after is None:", "while not at_first_card:"
)


def test_a_home_start_on_an_up_to_date_database_counts_before_sqlalchemy(
    decks: Path, tmp_path: Path
) -> None:
    """`quizapp` (the home screen): the per-deck counts are on screen before SQLAlchemy loads."""
    db = str(tmp_path / "quizapp.db")
    assert "sqlalchemy" in _modules(HOME, [db, str(decks)], tmp_path)  # created, synced
    modules = _modules(HOME, [db, str(decks)], tmp_path)
    assert "textual" in modules
    assert not modules & {"sqlalchemy", "alembic", "quizapp.export"}
