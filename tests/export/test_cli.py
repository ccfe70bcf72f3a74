"""`quizapp export anki` end to end, in a subprocess, with a throwaway data dir."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from anki.collection import Collection

from quizapp.deckfiles import load_decks
from quizapp.scheduling.day import study_day
from quizapp.storage.engine import open_store
from quizapp.storage.repository import record_answer
from quizapp.storage.sync import sync_decks
from tests.inprocess import run_quizapp

from .samples import DATA, import_package

GOOD = DATA / "good"
BAD = DATA / "bad"


def _quizapp(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    for name in ("QUIZAPP_DB", "QUIZAPP_DECKS", "QUIZAPP_DEBUG"):
        env.pop(name, None)
    return run_quizapp(["--db", str(tmp_path / "q.db"), *args], env=env)


def test_export_a_deck_and_anki_imports_it(tmp_path: Path, collection: Collection) -> None:
    out = tmp_path / "net.apkg"
    done = _quizapp(
        tmp_path,
        "--decks",
        str(GOOD),
        "export",
        "anki",
        "-o",
        str(out),
        "--deck",
        "export-networking",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"Wrote {out}: 1 deck, 4 notes, 5 cards.\n  Export Test::Networking: 4 notes, 5 cards\n"
    )
    assert done.stderr == ""
    import_package(collection, out)
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert names == {"Default", "Export Test", "Export Test::Networking"}
    assert (collection.note_count(), collection.card_count()) == (4, 5)


def test_unwritable_path(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "x.apkg"
    done = _quizapp(tmp_path, "--decks", str(GOOD), "export", "anki", "-o", str(out))
    assert done.returncode == 2
    assert done.stderr == (
        f"quizapp: error: cannot write {out}: folder {out.parent} does not exist\n"
    )
    assert done.stdout == ""
    assert not out.parent.exists()


def test_bad_deck(tmp_path: Path) -> None:
    out = tmp_path / "x.apkg"
    done = _quizapp(
        tmp_path, "--decks", str(BAD), "export", "anki", "-o", str(out), "--deck", "export-broken"
    )
    assert done.returncode == 1
    assert done.stderr.startswith("quizapp: error: 1 deck file with errors; nothing was written:\n")
    assert (
        f"{BAD / 'export-broken.yaml'}:8:13: error: the answer 'Zab' is not one of the choices"
        in done.stderr
    )
    assert "Traceback" not in done.stderr
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == []


def test_with_progress_carries_sm2_state_into_anki(tmp_path: Path, collection: Collection) -> None:
    now = datetime.now(UTC)
    today = study_day(now, 4)
    decks = [r.deck for r in load_decks([GOOD]) if r.deck is not None]
    with open_store(str(tmp_path / "q.db")) as store:
        sync_decks(store, decks)
        for item_id, grade in (("bridge-default", 5), ("overlay-encrypt#c2", 3)):
            record_answer(
                store,
                deck_id="export-networking",
                item_id=item_id,
                grade=grade,
                typed_answer=None,
                correct=None,
                duration_ms=3000,
                now=now,
                today=today,
            )

    out = tmp_path / "progress.apkg"
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
        "export-networking",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        "With progress: 2 review cards (3 still new), 2 revlog rows."
    )
    import_package(collection, out, with_scheduling=True)
    cards = {
        (card.note().fields[0], card.ord): card
        for card in (collection.get_card(cid) for cid in collection.find_cards(""))
    }
    bridge = cards[("Which network type is turned on by default?", 0)]
    assert (bridge.type, bridge.ivl, bridge.factor, bridge.reps, bridge.lapses) == (
        2,
        1,
        2600,
        1,
        0,
    )
    assert bridge.due - collection.sched.today == 1
    (cloze_text,) = {text for text, _ in cards if text.startswith("Create an overlay")}
    c2 = cards[(cloze_text, 1)]
    assert (c2.type, c2.ivl, c2.factor, c2.due - collection.sched.today) == (2, 1, 2360, 1)
    assert cards[(cloze_text, 0)].type == 0
    ms = int(now.timestamp() * 1000)
    rows = collection.db.all("SELECT cid, ease, ivl, lastIvl, factor, time, type FROM revlog")
    assert sorted(rows) == sorted(
        [[bridge.id, 4, 1, 0, 2600, 3000, 0], [c2.id, 2, 1, 0, 2360, 3000, 0]]
    )
    ids = collection.db.list("SELECT id FROM revlog ORDER BY id")
    assert abs(ids[0] - ms) < 1000 and ids[1] == ids[0] + 1
