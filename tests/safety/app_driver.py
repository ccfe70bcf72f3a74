"""The study app's storage path, scripted from stdin (run as a subprocess by the tests).

    python app_driver.py DB DECK_DIR [--day ISO] [--seed S] [--new-limit N] [--audit]

The same calls, in the same order, as the study app (`QuizApp` and `StudyScreen`) makes on
its `Backend`: load (the quick start), today's queue, the daily backup once the first card is
up, `still_due` before each card, `record` per grade, `undo`, `stats` at the end, `close`.
Only Textual is left out, so a test can drive two or three of these as separate processes and
know exactly which answers each one showed as saved.

Commands, one a line: `answer [GRADE]` (grade the current card; default 4), `undo`, `stats`,
`quit`. Replies, one a line, each flushed: `ready <card>` after load, `recorded <id> <item>`
once an answer is committed (what the screen would show as saved), `undone <id>` /
`refused <reason>`, `card <item>` / `done` for what is on screen, `stats <n>`, `bye`.
Each answer's typed text is a token unique to it (`<pid>-<n>`), given after the item, so a
test can find it in any copy of the database whatever its review id there.

With `--audit`, a `sys.addaudithook` hook fails the process (exit 97, the path on stderr)
on any `open` outside SQLite of the database, its -wal/-shm/-journal or the restore target:
Python's own opens raise audit events, SQLite's C-level opens do not.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

DAY0 = date(2026, 3, 1)


def guard(db: str) -> None:
    """Fail the process on any non-SQLite open of `db` or its companion files."""
    base = os.path.realpath(db)
    watched = {base + extra for extra in ("", "-wal", "-shm", "-journal")}

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event not in ("open", "os.open") or not args:
            return
        target = args[0]
        if isinstance(target, int):
            return
        try:
            path = os.path.realpath(os.fsdecode(target))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return
        if path in watched:
            sys.stderr.write(f"second opener: {event} {path}\n")
            sys.stderr.flush()
            os._exit(97)

    sys.addaudithook(hook)


async def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("decks", type=Path)
    parser.add_argument("--day", type=date.fromisoformat, default=DAY0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--new-limit", type=int, default=None)
    parser.add_argument("--audit", action="store_true")
    args = parser.parse_args(argv)
    if args.audit:
        guard(args.db)

    from quizapp.context import AppContext
    from quizapp.errors import QuizappError
    from quizapp.scheduling.queue import StudySession
    from quizapp.tui.backend import Backend

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    overrides = {} if args.new_limit is None else {"new_per_day": args.new_limit}
    backend = Backend(AppContext(db=args.db, deck_dirs=(args.decks,), overrides=overrides))
    backend.start_loading()
    await backend.load()
    queue, repeats = await backend.queue(None, args.day, args.seed)
    session = StudySession(queue, repeats)
    review_ids: list[int] = []
    moment = datetime(args.day.year, args.day.month, args.day.day, 12, tzinfo=UTC)

    async def show() -> str:
        while (candidate := session.current) is not None:
            if backend.item(candidate) is None or not await backend.still_due(
                candidate, args.day, repeat=session.current_is_repeat
            ):
                session.discard()
            else:
                return f"card {candidate.item_id}"
        return "done"

    say(f"ready {await show()}")
    backend.back_up()  # the app's `_started`: the first card is on screen
    n = 0
    while line := await asyncio.to_thread(sys.stdin.readline):
        words = line.split()
        if not words:
            continue
        if words[0] == "answer" and session.current is not None:
            candidate = session.current
            n += 1
            token = f"{os.getpid()}-{n}"
            record = await backend.record(
                candidate,
                grade=int(words[1]) if len(words) > 1 else 4,
                typed=token,
                correct=True,
                duration_ms=100,
                now=moment + timedelta(milliseconds=n),
                today=args.day,
                repeat=session.current_is_repeat,
            )
            session.answer(int(words[1]) if len(words) > 1 else 4)
            review_ids.append(record.review_id)
            say(f"recorded {record.review_id} {candidate.item_id} {token}")
            say(await show())
        elif words[0] == "answer":
            say("done")
        elif words[0] == "undo":
            if not review_ids:
                say("refused nothing to undo")
                continue
            try:
                await backend.undo(review_ids[-1])
            except QuizappError as refusal:
                say(f"refused {refusal}")
                continue
            session.undo()
            say(f"undone {review_ids.pop()}")
            say(await show())
        elif words[0] == "stats":
            stats = await backend.stats(args.day, None)
            say(f"stats {stats.reviews_today}")
        elif words[0] == "quit":
            break
    backend.close()
    say("bye")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
