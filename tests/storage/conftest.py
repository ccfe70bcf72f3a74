"""Fixtures for the storage tests: a fresh database, and a counter of write statements."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.storage.engine import Store, open_store

from .helpers import WriteCounter


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(str(tmp_path / "progress.db")) as opened:
        yield opened


@pytest.fixture
def writes(store: Store) -> Iterator[WriteCounter]:
    counter = WriteCounter(store)
    yield counter
    counter.close()
