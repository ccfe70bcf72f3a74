"""Start studying without SQLAlchemy: the common start, checked on a plain sqlite3 connection.

Most starts find a database at the newest schema and decks that have not changed since the
last sync; all the first card then needs is today's queue (`studysql`). Importing SQLAlchemy
and the storage modules costs more than everything else before that card, so the study app
first tries this: a plain file path, a quizapp database at `HEAD_REVISION`, already in WAL
mode, whose deck rows match the loaded decks exactly. If so, the first queue is read here and
the store (SQLAlchemy) is opened once the card is on screen; if anything is off, nothing has
been written and the app takes the normal path (`open_store`, migrate, sync).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.context import AppContext
    from quizapp.deck.model import Deck, LoadResult
    from quizapp.scheduling.settings import Settings

HEAD_REVISION = "0007_seed_events"
"""The newest revision in `migrations/versions` (a test checks it against Alembic's head).

Known without Alembic or SQLAlchemy, so that opening a current database, which every start
does, imports neither; Alembic is imported only to migrate or to explain.
"""

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")
"""What starts a `--db` that is meant as a URL rather than a file path."""


@dataclass(frozen=True, slots=True)
class StartData:
    """What the app reads after start-up: every load result, the good decks, the settings."""

    results: tuple[LoadResult, ...]
    """Every load result, failed decks included (to show their problems)."""
    decks: tuple[Deck, ...]
    """The decks that loaded without errors, in load order: the ones synced."""
    settings: Settings
    keys: Mapping[str, str] = field(default_factory=dict)
    """The study app's keymap from the config file's `[keys]` (`quizapp.tui.keymap`)."""


def load_start(ctx: AppContext) -> StartData:
    """Settings and decks, as every start loads them (from the deck cache when unchanged)."""
    from quizapp.config import read_config
    from quizapp.deck_cache import DeckCache
    from quizapp.deckfiles import load_decks
    from quizapp.paths import config_file

    config = read_config(config_file(), ctx.overrides)
    results = tuple(load_decks(list(ctx.deck_dirs), DeckCache.default()))
    decks = tuple(result.deck for result in results if result.deck is not None)
    return StartData(results, decks, config.settings, config.keys)


def deck_row_matches(
    deck: Deck, title: str, path: str | None, content_hash: str, active: bool
) -> bool:
    """Whether a stored deck row says this deck file is unchanged since it was synced."""
    return (
        bool(deck.content_hash)
        and content_hash == deck.content_hash
        and bool(active)
        and title == deck.title
        and path == (str(deck.path) if deck.path is not None else None)
    )


def configure(conn: sqlite3.Connection) -> None:
    """quizapp's settings on a new connection (see `storage.engine`): autocommit (BEGIN is
    explicit), the busy timeout, foreign keys, synchronous=FULL."""
    conn.isolation_level = None
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")


def connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """The one way quizapp opens its database file: SQLite itself, configured.

    Nothing else may open the file, its -wal, -shm or -journal: POSIX locks belong to the
    process, so closing any other descriptor of the file drops every lock SQLite holds on
    it, and the next quizapp to exit believes it is the last one, checkpoints and deletes
    the WAL this process still writes to. `create` lets SQLite create a missing file.
    """
    mode = "rwc" if create else "rw"
    conn = sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True, isolation_level=None)
    try:
        configure(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def open_current(db: str) -> sqlite3.Connection | None:
    """A connection (autocommit, quizapp's pragmas) to `db` if it is a plain path to a
    quizapp database at HEAD_REVISION in WAL mode; None otherwise. Writes nothing.

    A file that is not SQLite is told by SQLite ("file is not a database"), never by
    reading its header here (see `connect`).
    """
    if "://" in db or URL_SCHEME.match(db):
        return None
    path = Path(db).expanduser().resolve()
    try:
        conn = connect(path)
    except (OSError, sqlite3.Error):
        return None
    try:
        mode = conn.execute("PRAGMA journal_mode").fetchone()
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        conn.close()
        return None
    if mode != ("wal",) or revision != [(HEAD_REVISION,)]:
        conn.close()
        return None
    return conn


def decks_in_sync(conn: sqlite3.Connection, decks: Sequence[Deck]) -> bool:
    """Whether a sync of `decks` would write nothing (every deck unchanged, none missing)."""
    try:
        rows = conn.execute("SELECT id, title, path, content_hash, active FROM decks").fetchall()
    except sqlite3.Error:
        return False
    stored = {row[0]: row[1:] for row in rows}
    for deck in decks:
        row = stored.pop(deck.id, None)
        if row is None or not deck_row_matches(deck, *row):
            return False
    return not any(active for *_, active in stored.values())
