"""Fixtures for the draft tests: the Docker notes, drafted once per module."""

from __future__ import annotations

import pytest

from quizapp.deck.model import Deck
from quizapp.draft.cards import DraftCard

from .helpers import draft_file


@pytest.fixture(scope="module")
def docker() -> tuple[str, list[DraftCard], Deck]:
    return draft_file("docker-notes.md")
