"""Anki without fuzz: its intervals are then exactly FSRS's, run after run.

Anki reads ANKI_TEST_MODE once, the first time it schedules a card in the process, so it is
set when this folder's tests are collected, before any of them (or another folder's) runs.
Without it Anki spreads intervals of 3 days and more by a random few percent seeded by the
card id, and the collections these tests build would differ from run to run.
"""

from __future__ import annotations

import os

os.environ.setdefault("ANKI_TEST_MODE", "1")
