"""`export anki --with-progress` of an FSRS deck: Anki with FSRS on goes on from the same point
(FSRS's due days and intervals, and the memory state in Anki's card data), checked with the
official `anki` package."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection

from quizapp.deckfiles import load_decks
from quizapp.scheduling.day import study_day
from quizapp.scheduling.fsrs import FsrsConfig
from quizapp.scheduling.settings import Settings
from quizapp.storage import fsrs_store
from quizapp.storage.engine import open_store
from quizapp.storage.sync import sync_decks
from tests.inprocess import run_quizapp

from .samples import DATA, import_package

GOOD = DATA / "good"
DECK = "export-networking"


def _quizapp(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    for name in ("QUIZAPP_DB", "QUIZAPP_DECKS", "QUIZAPP_DEBUG"):
        env.pop(name, None)
    return run_quizapp(["--db", str(tmp_path / "q.db"), *args], env=env)


@pytest.fixture
def fsrs_history(tmp_path: Path) -> dict[str, fsrs_store.FsrsState]:
    config = tmp_path / "config" / "quizapp" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[decks.{DECK}]\nscheduler = "fsrs"\ndesired_retention = 0.9\n')
    settings = Settings(scheduler="fsrs")
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(days=20)
    decks = [r.deck for r in load_decks([GOOD]) if r.deck is not None]
    with open_store(str(tmp_path / "q.db")) as store:
        sync_decks(store, decks)
        fsrs_store.reconcile(store, [DECK], settings)
        for days, item_id, grade in (
            (0, "bridge-default", 4),
            (0.01, "bridge-default", 4),
            (3, "bridge-default", 3),
            (0, "overlay-encrypt#c2", 5),
            (9, "overlay-encrypt#c2", 1),
            (9.01, "overlay-encrypt#c2", 4),
        ):
            moment = now + timedelta(days=days)
            fsrs_store.record(
                store,
                settings,
                deck_id=DECK,
                item_id=item_id,
                grade=grade,
                typed_answer=None,
                correct=None,
                duration_ms=3000,
                now=moment,
                today=study_day(moment, 4),
            )
        return fsrs_store.deck_fsrs_states(store, DECK, FsrsConfig())


def test_fsrs_memory_state_and_due_days_reach_anki(
    tmp_path: Path, collection: Collection, fsrs_history: dict[str, fsrs_store.FsrsState]
) -> None:
    out = tmp_path / "fsrs.apkg"
    done = _quizapp(
        tmp_path,
        "--decks",
        str(GOOD),
        "export",
        "anki",
        "-o",
        str(out),
        "--with-progress",
        "--deck",
        DECK,
    )
    assert done.returncode == 0, done.stderr
    collection.set_config("fsrs", True)
    import_package(collection, out, with_scheduling=True)
    cards = {
        (card.note().fields[0], card.ord): card
        for card in (collection.get_card(cid) for cid in collection.find_cards(""))
    }
    today = study_day(datetime.now(UTC), 4)
    bridge = cards[("Which network type is turned on by default?", 0)]
    (cloze_text,) = {text for text, _ in cards if text.startswith("Create an overlay")}
    c2 = cards[(cloze_text, 1)]
    for card, item_id in ((bridge, "bridge-default"), (c2, "overlay-encrypt#c2")):
        state = fsrs_history[item_id]
        assert card.type == 2
        assert card.memory_state is not None
        assert card.memory_state.stability == pytest.approx(state.stability, abs=1e-3)
        assert card.memory_state.difficulty == pytest.approx(state.difficulty, abs=1e-3)
        assert card.desired_retention == pytest.approx(0.9)
        assert card.ivl == max(1, state.interval_days())
        due_in = (state.due_day(4) - today).days
        assert card.due - collection.sched.today == due_in
        raw = collection.db.scalar("SELECT data FROM cards WHERE id = ?", card.id)
        assert set(json.loads(raw)) == {"s", "d", "dr", "decay", "lrt"}
        assert json.loads(raw)["lrt"] == int(state.last_review.timestamp())
