"""Two quizapp processes on one new database, answering the same deck at once, lose nothing.

Both create the schema, sync the deck and then, released together, write as fast as they
can: study answers on their own half of the items and quiz answers on all of them.
Neither may fail (no "database is locked"), and every answer must be in the log.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from quizapp.storage.engine import open_store

from .helpers import rows

ITEMS = 40

WORKER = """
import sys, time
from datetime import UTC, date, datetime
from pathlib import Path
from quizapp.deck.model import BasicCard, Deck
from quizapp.storage.repository import open_store, record_answer, sync_decks

db, role, go, items = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
cards = tuple(BasicCard(id=f"c{i}", front="f", back="b") for i in range(items))
today = date(2026, 5, 1)
while not go.exists():
    time.sleep(0.001)
with open_store(db) as store:
    sync_decks(store, [Deck(id="shared", title="Shared", cards=cards, content_hash="h")])
    for i in range(role, items, 2):
        for kind in ("study", "quiz"):
            record_answer(
                store, deck_id="shared", item_id=f"c{i}", grade=4, typed_answer=str(role),
                correct=True, duration_ms=role, now=datetime.now(UTC), today=today,
                session_kind=kind,
            )
        record_answer(
            store, deck_id="shared", item_id=f"c{(i + 1) % items}", grade=3,
            typed_answer=str(role), correct=True, duration_ms=role, now=datetime.now(UTC),
            today=today, session_kind="quiz",
        )
print("done", role)
"""


def test_two_processes_answering_at_once_lose_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "shared.db")
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db, str(role), str(go), str(ITEMS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in (0, 1)
    ]
    time.sleep(0.5)  # let both interpreters start and wait at the gate
    go.touch()
    results = [worker.communicate(timeout=120) for worker in workers]
    assert [(w.returncode, out, err) for w, (out, err) in zip(workers, results, strict=True)] == [
        (0, "done 0\n", ""),
        (0, "done 1\n", ""),
    ]
    with open_store(db) as store:
        assert rows(store, "SELECT count(*) FROM cards") == [(ITEMS,)]
        assert rows(
            store,
            "SELECT typed_answer, session_kind, count(*) FROM review_log "
            "GROUP BY 1, 2 ORDER BY 1, 2",
        ) == [
            ("0", "quiz", ITEMS),
            ("0", "study", ITEMS // 2),
            ("1", "quiz", ITEMS),
            ("1", "study", ITEMS // 2),
        ]
        assert rows(
            store, "SELECT count(*), min(repetitions), max(repetitions) FROM card_state"
        ) == [(ITEMS, 1, 1)]
        assert rows(store, "PRAGMA integrity_check") == [("ok",)]
