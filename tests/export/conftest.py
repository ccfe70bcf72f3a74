"""Fixtures of the export tests: a fresh Anki collection per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    col = Collection(str(tmp_path / "c.anki2"))
    yield col
    col.close()
