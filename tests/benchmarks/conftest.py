"""Make the repository's `benchmarks` package importable, and build one tiny history for all.

tests/benchmarks has no __init__.py on purpose: as a package it would be named `benchmarks`
and hide the real one.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.history import History, build_history  # noqa: E402

TODAY = date(2026, 3, 10)


@pytest.fixture(scope="module")
def tiny_history(tmp_path_factory: pytest.TempPathFactory) -> History:
    """60 items (48 cards) with 400 answers over two years, ending the day before TODAY."""
    folder = tmp_path_factory.mktemp("history")
    return build_history(folder, items=60, reviews=400, today=TODAY, seed=7)


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("QUIZAPP_DB", raising=False)
    monkeypatch.delenv("QUIZAPP_DECKS", raising=False)
