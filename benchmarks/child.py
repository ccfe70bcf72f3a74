"""One workload in a fresh process: `python -m benchmarks.child NAME JSON-PARAMS`.

Each run starts cold (no warm imports, no cached objects from another workload), times only
what its name says, and prints one JSON line: `times` (seconds, one per repetition inside this
process), `wall` (time.time() at a moment the parent needs, e.g. the first card on screen),
`rss_mb` (this process's peak resident memory, VmHWM) and `extra` facts for the report.
The parent (`benchmarks.harness`) runs several such processes and takes medians.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

Result = dict[str, Any]


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM) in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _ctx(params: dict[str, Any]) -> Any:
    from quizapp.context import AppContext
    from quizapp.paths import deck_dirs

    return AppContext(db=params["db"], deck_dirs=tuple(deck_dirs([Path(params["decks"])])))


# --- quizapp -------------------------------------------------------------------------------


def first_card_headless(params: dict[str, Any]) -> Result:
    """Start the study app headless on a deck; report the wall time of its first card."""
    import asyncio

    from quizapp.tui.app import QuizApp

    app = QuizApp(_ctx(params), deck=params["deck"], seed=params.get("seed", 1))

    async def main() -> float:
        async with app.run_test(headless=True, size=(100, 40)):
            while app.first_card_after is None:
                if app.error is not None:
                    raise SystemExit(f"the app stopped: {app.error.message}")
                await asyncio.sleep(0.001)
            return time.time()

    wall = asyncio.run(main())
    return {"times": [], "wall": wall, "extra": {"first_card_after": app.first_card_after}}


def sync(params: dict[str, Any]) -> Result:
    """Load the deck files and sync them into an open store (cold or warm: the db decides)."""
    from quizapp.deck_cache import DeckCache
    from quizapp.deckfiles import load_decks
    from quizapp.storage.engine import open_store
    from quizapp.storage.sync import sync_decks

    folder = Path(params["decks"])
    size = sum(p.stat().st_size for p in folder.glob("*.yaml"))
    with open_store(params["db"]) as store:
        start = time.perf_counter()
        results = load_decks([folder], DeckCache.default())
        report = sync_decks(store, [r.deck for r in results if r.deck is not None])
        seconds = time.perf_counter() - start
    return {
        "times": [seconds],
        "extra": {"yaml_bytes": size, "items_added": report.items_added},
    }


def answer(params: dict[str, Any]) -> Result:
    """Answer `count` cards of today's queue: commit each grade and have the next card ready."""
    from quizapp.scheduling.queue import StudySession
    from quizapp.storage import studysql
    from quizapp.storage.appdata import load_app_data
    from quizapp.storage.repository import record_answer
    from quizapp.tui.backend import Cards

    data = load_app_data(_ctx(params))
    today = date.fromisoformat(params["today"])
    cards = Cards(data.decks)
    queue, _ = data.store.read_dbapi(
        lambda conn: studysql.queue_and_repeats(conn, None, today, data.settings, 1)
    )
    session = StudySession(queue)
    grades = (4, 5, 3, 4, 2, 4, 5, 4)
    now = datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=12)
    times: list[float] = []
    try:
        for n in range(params["count"]):
            candidate = session.current
            if candidate is None:
                break
            grade = grades[n % len(grades)]
            start = time.perf_counter()
            record_answer(
                data.store,
                deck_id=candidate.deck_id,
                item_id=candidate.item_id,
                grade=grade,
                typed_answer=None,
                correct=grade >= 3,
                duration_ms=4000,
                now=now + timedelta(seconds=n),
                today=today,
                repeat=session.current_is_repeat,
            )
            session.answer(grade)
            # The next card ready as the study screen has it: its card found (Backend.item), and
            # `still_due` asked (the check against another terminal) before it is shown.
            while (following := session.current) is not None:
                if cards.item(following) is None:
                    raise SystemExit(f"no card {following.item_id}")
                repeat = session.current_is_repeat
                if data.store.read_dbapi(
                    lambda conn, c=following, r=repeat: studysql.still_due(
                        conn, c.deck_id, c.item_id, today, repeat=r
                    )
                ):
                    break
                session.discard()
            times.append(time.perf_counter() - start)
    finally:
        data.store.close()
    return {"times": times, "extra": {"queue": len(queue)}}


def summaries(params: dict[str, Any]) -> Result:
    """The home screen's per-deck counts (`deck_summaries`), `count` times in one process."""
    from quizapp.scheduling.settings import Settings
    from quizapp.storage.engine import open_store
    from quizapp.storage.repository import deck_summaries

    today = date.fromisoformat(params["today"])
    times: list[float] = []
    with open_store(params["db"]) as store:
        for _ in range(params["count"]):
            start = time.perf_counter()
            rows = deck_summaries(store, today, Settings())
            times.append(time.perf_counter() - start)
    return {"times": times, "extra": {"decks": len(rows)}}


def open_app_data(params: dict[str, Any]) -> Result:
    """What every command does first: load decks, open the store, sync (warm)."""
    from quizapp.storage.appdata import load_app_data

    start = time.perf_counter()
    data = load_app_data(_ctx(params))
    seconds = time.perf_counter() - start
    data.store.close()
    return {"times": [seconds]}


# --- Anki ----------------------------------------------------------------------------------


def anki_open(params: dict[str, Any]) -> Result:
    """Open the collection, then compute the deck due tree `count` times."""
    start = time.perf_counter()
    from anki.collection import Collection

    col = Collection(params["collection"])
    opened = time.perf_counter() - start
    times: list[float] = []
    for _ in range(params["count"]):
        start = time.perf_counter()
        col.sched.deck_due_tree()
        times.append(time.perf_counter() - start)
    col.close(downgrade=False)
    return {"times": times, "extra": {"open": opened}}


def anki_answer(params: dict[str, Any]) -> Result:
    """Answer `count` queued cards (Good/Easy/Hard...), each followed by fetching the next."""
    import anki.collection  # before anki.cards, which alone is a circular import
    from anki.cards import Card
    from anki.scheduler.v3 import CardAnswer

    Collection = anki.collection.Collection

    col = Collection(params["collection"])
    ratings = (
        CardAnswer.GOOD,
        CardAnswer.EASY,
        CardAnswer.HARD,
        CardAnswer.GOOD,
        CardAnswer.AGAIN,
        CardAnswer.GOOD,
        CardAnswer.EASY,
        CardAnswer.GOOD,
    )
    deck = col.decks.id_for_name(params.get("deck", "Synthetic"))
    if deck is None:
        raise SystemExit("no Synthetic deck in the collection")
    col.decks.select(deck)
    times: list[float] = []
    queued = col.sched.get_queued_cards()
    for n in range(params["count"]):
        if not queued.cards:
            break
        top = queued.cards[0]
        card = Card(col, backend_card=top.card)
        card.start_timer()
        start = time.perf_counter()
        answer = col.sched.build_answer(card=card, states=top.states, rating=ratings[n % 8])
        col.sched.answer_card(answer)
        queued = col.sched.get_queued_cards()
        if queued.cards:
            Card(col, backend_card=queued.cards[0].card).note()
        times.append(time.perf_counter() - start)
    col.close(downgrade=False)
    return {"times": times}


def anki_import(params: dict[str, Any]) -> Result:
    """Import a .apkg into a new, empty collection."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(params["collection"])
    start = time.perf_counter()
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=params["apkg"],
            options=ImportAnkiPackageOptions(with_scheduling=params.get("scheduling", False)),
        )
    )
    seconds = time.perf_counter() - start
    cards = col.card_count()
    col.close(downgrade=False)
    return {"times": [seconds], "extra": {"cards": cards}}


WORKLOADS: dict[str, Callable[[dict[str, Any]], Result]] = {
    "first_card_headless": first_card_headless,
    "sync": sync,
    "answer": answer,
    "summaries": summaries,
    "open_app_data": open_app_data,
    "anki_open": anki_open,
    "anki_answer": anki_answer,
    "anki_import": anki_import,
}


def main(argv: list[str]) -> None:
    name, params = argv[0], json.loads(argv[1])
    result = WORKLOADS[name](params)
    result["rss_mb"] = peak_rss_mb()
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: nothing of it is measured


if __name__ == "__main__":
    main(sys.argv[1:])
