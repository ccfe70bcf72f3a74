"""Device sync at scale, against a local PostgreSQL: push and pull of 1,000 new events, and the
first sync of a new device onto a remote holding 1,000,000 events (streamed in chunks).

`python -m benchmarks.device_sync [--url URL] [--big N] [--items N]`

Without `--url` a throwaway server is started as in the tests (tests/pgserver.py: Debian's
PostgreSQL, as an unprivileged user, on a unix socket). Targets (issue 19): push or pull of
1,000 events <= 1 s; the first sync of 1,000,000 events <= 60 s with bounded memory. The big
sync runs in a child process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.deck.model import BasicCard, Deck


def _deck(items: int) -> Deck:
    cards = tuple(BasicCard(id=f"c{n}", front=f"q{n}", back=f"a{n}") for n in range(items))
    return Deck(id="bench", title="Bench", cards=cards, content_hash=f"bench-{items}")


def _store(path: Path, items: int):  # type: ignore[no-untyped-def]
    from quizapp.storage.engine import open_store
    from quizapp.storage.sync import sync_decks

    store = open_store(str(path))
    sync_decks(store, [_deck(items)])
    return store


def small(url: str, folder: Path, events: int = 1000) -> dict[str, float]:
    """A device answers `events` times, pushes; another device pulls them."""
    from quizapp.storage.device_sync import sync
    from quizapp.storage.repository import record_answer

    a, b = _store(folder / "a.db", events), _store(folder / "b.db", events)
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for n in range(events):
        at = start + timedelta(seconds=n)
        record_answer(
            a,
            deck_id="bench",
            item_id=f"c{n}",
            grade=4,
            typed_answer=None,
            correct=True,
            duration_ms=900,
            now=at,
            today=at.date(),
        )
    sync(b, url)  # both know the remote (and have pulled what was there): the figures below
    sync(a, url)  # are the 1,000 new events alone
    began = time.perf_counter()
    pushed = sync(a, url)
    push_s = time.perf_counter() - began
    assert pushed.pushed == 0
    # push: a fresh device's events (the ones above were sent by the sync before)
    c = _store(folder / "c.db", events)
    sync(c, url)
    for n in range(events):
        at = start + timedelta(days=1, seconds=n)
        record_answer(
            c,
            deck_id="bench",
            item_id=f"c{n}",
            grade=5,
            typed_answer=None,
            correct=True,
            duration_ms=900,
            now=at,
            today=at.date(),
        )
    began = time.perf_counter()
    result = sync(c, url)
    push_s = time.perf_counter() - began
    assert result.pushed == events, result
    began = time.perf_counter()
    result = sync(b, url)
    pull_s = time.perf_counter() - began
    assert result.pulled == 2 * events, result  # a's and c's: 2,000 events
    began = time.perf_counter()
    result = sync(a, url)
    pull1k_s = time.perf_counter() - began
    assert result.pulled == events and result.applied == events, result
    for store in (a, b, c):
        store.close()
    return {"push_1000_s": push_s, "pull_2000_s": pull_s, "pull_1000_s": pull1k_s}


def fill_remote(url: str, events: int, items: int) -> None:
    """`events` answers over `items` items, made on the server (INSERT ... SELECT)."""
    from sqlalchemy import text

    from quizapp.storage.device_sync import init_remote, open_remote

    init_remote(url)
    remote = open_remote(url)
    per_item = max(1, events // items)
    with remote.engine.connect() as conn:
        user = conn.execute(text("SELECT current_user")).scalar_one()
        conn.execute(
            text(
                f'INSERT INTO "{user}".quizapp_events (event_id, device, kind, at, deck_id,'
                " item_id, day, grade, typed_answer, correct, duration_ms, session_kind,"
                " asked_repeat)"
                " SELECT lpad(to_hex(n), 32, '0'), 'bench-device', 'answer',"
                " timestamp '2024-01-01 09:00' + (n % :per) * interval '9 days'"
                " + (n / :per) * interval '1 second',"
                " 'bench', 'c' || (n / :per), date(timestamp '2024-01-01 09:00' + (n % :per)"
                " * interval '9 days'), 3 + n % 3, NULL, true, 1000, 'study', false"
                " FROM generate_series(0, :events - 1) AS n"
            ),
            {"per": per_item, "events": events},
        )
        conn.commit()
    remote.close()


def big_child(url: str, db: str, items: int) -> None:
    """In a child process: a new device's first sync; prints seconds and peak RSS."""
    from quizapp.storage.device_sync import sync

    store = _store(Path(db), items)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    result = sync(store, url)
    seconds = time.perf_counter() - began
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    store.close()
    print(
        json.dumps(
            {
                "first_sync_s": seconds,
                "pulled": result.pulled,
                "applied": result.applied,
                "rss_before_mb": rss_before / 1024,
                "peak_rss_mb": rss / 1024,
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a PostgreSQL URL (default: start a throwaway server)")
    parser.add_argument("--big", type=int, default=1_000_000, help="events for the first sync")
    parser.add_argument("--items", type=int, default=100_000, help="items they are spread on")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        big_child(args.child[0], args.child[1], args.items)
        return 0
    server = None
    if args.url is None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.pgserver import start_server

        server = start_server()
        database = server.database()
        server.role("bench_small", "pw", database)
        server.role("bench_big", "pw", database)
        small_url = server.url(database, "bench_small", "pw")
        big_url = server.url(database, "bench_big", "pw")
    else:
        small_url = big_url = args.url
    try:
        from quizapp.storage.device_sync import init_remote

        init_remote(small_url)
        folder = Path(tempfile.mkdtemp(prefix="quizapp-bench-sync-"))
        figures = small(small_url, folder)
        print(json.dumps(figures))
        began = time.perf_counter()
        fill_remote(big_url, args.big, args.items)
        print(json.dumps({"fill_remote_s": time.perf_counter() - began}))
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.device_sync",
                "--items",
                str(args.items),
                "--child",
                big_url,
                str(folder / "big.db"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        print(out.stdout.strip() or out.stderr.strip()[-2000:])
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
