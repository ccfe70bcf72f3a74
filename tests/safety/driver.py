"""A scripted study session for the crash and two-terminal tests (run as a subprocess).

    python driver.py DB DECK_DIR [--answers N] [--seed S] [--mode crash|share] [--day ISO]

Starts like the app (`load_app_data`: settings, decks, the daily backup, sync), prints
"ready", then answers cards with the repository function the study screen uses
(`record_answer`) and prints "recorded <review id>" after each commit has returned: the
moment the screen would show the answer as saved and move on.

crash: every item once a day in deck order, the day following the number of answers already
in the database (so a killed run can be continued). share: today's queue in a seeded order,
each card checked with `still_due` right before it is "shown", as two terminals would.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # for tests.storage.helpers

from sqlalchemy import func, select

from quizapp.context import AppContext
from quizapp.storage.appdata import load_app_data
from quizapp.storage.models import ReviewRow
from quizapp.storage.repository import record_answer
from tests.storage.helpers import still_due, todays_queue

DAY0 = date(2026, 3, 1)


def run(argv: Sequence[str], out: TextIO) -> int:
    """The driver's body; `out` gets "ready" and "recorded <id>" lines, each flushed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("decks", type=Path)
    parser.add_argument("--answers", type=int, default=0, help="0: until killed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mode", choices=("crash", "share"), default="crash")
    parser.add_argument("--day", type=date.fromisoformat, default=DAY0)
    parser.add_argument("--wait", action="store_true", help="after ready, wait for a stdin line")
    args = parser.parse_args(argv)
    app = load_app_data(AppContext(db=args.db, deck_dirs=(args.decks,)))
    store = app.store
    (deck,) = app.decks
    items = [item for card in deck.cards for item in card.item_ids]
    rng = random.Random(args.seed)
    queue = []
    if args.mode == "share":
        # Built before "ready", as two terminals both showing their first card: a queue built
        # after the other session's first answers would rightly hold fewer new cards.
        queue = todays_queue(store, [deck.id], args.day, app.settings, args.seed)
        rng.shuffle(queue)
    print("ready", file=out, flush=True)
    if args.wait:
        sys.stdin.readline()
    done = 0

    def answer(item_id: str, today: date, n: int) -> None:
        nonlocal done
        record = record_answer(
            store,
            deck_id=deck.id,
            item_id=item_id,
            grade=rng.choice((3, 4, 5)) if args.mode == "share" else rng.randint(0, 5),
            typed_answer=f"answer {n}",
            correct=None,
            duration_ms=rng.randint(0, 9000),
            now=datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
            + timedelta(milliseconds=n),
            today=today,
        )
        print(f"recorded {record.review_id}", file=out, flush=True)
        done += 1

    if args.mode == "crash":
        with store.read() as session:
            n = session.scalar(select(func.count(ReviewRow.id))) or 0
        while not args.answers or done < args.answers:
            answer(items[n % len(items)], DAY0 + timedelta(days=n // len(items)), n)
            n += 1
    else:
        skipped = 0
        for candidate in queue:
            if args.answers and done >= args.answers:
                break
            if not still_due(store, deck.id, candidate.item_id, args.day):
                skipped += 1
                continue
            answer(candidate.item_id, args.day, done)
        print(f"skipped {skipped}", file=out, flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:], sys.stdout))
