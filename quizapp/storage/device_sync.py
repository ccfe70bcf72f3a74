"""Device sync: exchange progress events with a remote database (PostgreSQL, or a SQLite file).

Not to be confused with `storage.sync`, which refreshes the store from the deck files. Here
the local SQLite file stays the store the study app uses; `sync` unions its events
(`storage.events`) with a remote's, through SQLAlchemy Core (psycopg 3 for PostgreSQL):

1. pull: the remote's events after the last one pulled (`seq`), streamed in chunks; each chunk
   is kept locally with the new cursor in one transaction;
2. push: local events the remote lacks, in chunks, `ON CONFLICT DO NOTHING` on the event id
   (so a push cut short and run again never counts an event twice), then marked sent;
3. apply: pulled answers are replayed into the log and states, item by item.

Every step is idempotent, so a sync interrupted anywhere converges when run again.

On PostgreSQL each learner connects as their own role and the events live in a schema named
after the role, which other roles cannot use: the server keeps learners apart. The remote
schema is versioned (`quizapp_meta`); `init` creates or migrates it.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    inspect,
    make_url,
    select,
    text,
)
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.schema import CreateSchema

from quizapp.errors import QuizappError
from quizapp.storage import events as ev
from quizapp.storage.dbapi import conversions
from quizapp.storage.engine import Store
from quizapp.storage.urls import sqlite_file

REMOTE_VERSION = 2
"""The remote schema this quizapp writes; a remote at a higher one is refused. Version 2
added `payload` (seed events: an import's state for an item)."""
CHUNK = 5000
"""Events per remote round trip and per local transaction (memory stays bounded)."""
CONNECT_TIMEOUT = 10
"""Seconds to wait for the server to answer a connection."""

UPGRADES: dict[int, Callable[[Connection], None]] = {}
"""Remote schema migrations: UPGRADES[n] brings version n to n + 1 (`init_remote` runs
them, in one transaction). Version 1 is the first; later ones add their step here."""


def _add_payload(conn: Connection) -> None:
    """Version 1 -> 2: seed events carry their state as JSON in `payload`."""
    schema = _schema_of(conn)
    name = f'"{schema}".quizapp_events' if schema else "quizapp_events"
    conn.execute(text(f"ALTER TABLE {name} ADD COLUMN payload TEXT"))


UPGRADES[1] = _add_payload

metadata = MetaData()
remote_events = Table(
    "quizapp_events",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("device", String(36), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("at", DateTime(), nullable=False),
    Column("deck_id", String(64)),
    Column("item_id", String(80)),
    Column("target", String(36)),
    Column("until", Date()),
    Column("day", Date()),
    Column("grade", Integer()),
    Column("typed_answer", Text()),
    Column("correct", Boolean()),
    Column("duration_ms", Integer()),
    Column("session_kind", String(8)),
    Column("asked_repeat", Boolean()),
    Column("payload", Text()),
)
remote_meta = Table(
    "quizapp_meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text(), nullable=False),
)
assert tuple(c.name for c in remote_events.columns)[1:] == ev.EVENT_COLUMNS  # pull's order


class SyncError(QuizappError):
    """A sync that could not be done: one line, the local store unchanged by the failure."""


@dataclass(frozen=True, slots=True)
class Remote:
    """An open remote: its engine, where its tables are, and how to show its URL."""

    engine: Engine
    schema: str | None
    shown: str
    password: str | None

    def connect(self) -> Connection:
        conn = self.engine.connect()
        return conn.execution_options(schema_translate_map={None: self.schema})

    def close(self) -> None:
        self.engine.dispose()


@dataclass(frozen=True, slots=True)
class SyncResult:
    pushed: int
    pulled: int
    applied: int
    waiting: int
    """Answers held back: their items are not in this device's decks (yet)."""
    shown: str


# --- the URL --------------------------------------------------------------------------------


def resolve_url(argument: str | None, env: str | None, configured: str | None) -> str:
    """The remote's URL: the command line's, else QUIZAPP_SYNC_URL, else config.toml's."""
    for value in (argument, env, configured):
        if value:
            return value
    raise SyncError(
        "no sync URL: give one (quizapp sync postgresql://user@host/db), set QUIZAPP_SYNC_URL, "
        'or put url = "..." under [sync] in config.toml',
        2,
    )


def remote_url(value: str, local: Path | None = None, *, create: bool = False) -> URL:
    """`value` as a SQLAlchemy URL for the remote: postgresql:// means psycopg 3; a plain
    path or sqlite:/// is a SQLite file (not the local database itself)."""
    if "://" not in value:
        url = URL.create("sqlite", database=str(Path(value).expanduser().resolve()))
    else:
        try:
            url = make_url(value)
        except (ArgumentError, ValueError):  # ValueError: a port that is not a number
            raise SyncError("the sync URL is not a valid database URL", 2) from None
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
    backend = url.get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise SyncError(
            f"cannot sync with {url.drivername!r}: use postgresql://... or a SQLite file", 2
        )
    if backend == "postgresql" and url.get_driver_name() != "psycopg":
        raise SyncError("PostgreSQL is reached through psycopg 3: use postgresql://...", 2)
    if backend == "sqlite":
        if url.query:
            raise SyncError(
                "a SQLite sync remote takes no options after '?': give the file alone", 2
            )
        if url.database and url.database.startswith("~"):  # sqlite:///~/remote.db
            url = url.set(database=str(Path(url.database).expanduser()))
    file = sqlite_file(url)
    if backend == "sqlite":
        if file is None:
            raise SyncError("a SQLite sync remote must be a file (sqlite:////path/remote.db)", 2)
        if local is not None and file.resolve() == local.resolve():
            raise SyncError("the sync remote is this device's own database", 2)
        if not file.parent.is_dir():
            raise SyncError(f"cannot use the sync file {file}: its folder does not exist", 2)
        if not create and not file.exists():
            raise SyncError(
                f"there is no sync file {file} (make it with `quizapp sync --init {file}`)", 2
            )
    return url


def shown_url(url: URL) -> str:
    """The URL without its password, for every message."""
    return url.render_as_string(hide_password=True)


def open_remote(
    value: str, local: Path | None = None, timeout: int = CONNECT_TIMEOUT, *, create: bool = False
) -> Remote:
    """An engine for the remote (not yet connected); `create`: a SQLite file may be made."""
    url = remote_url(value, local, create=create)
    args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql":
        args = {"connect_timeout": timeout, "application_name": "quizapp sync"}
    else:
        args = {"timeout": timeout}
    try:
        engine = create_engine(url, connect_args=args)
    except (ArgumentError, NoSuchModuleError, ImportError) as error:
        raise SyncError(f"cannot use the sync URL {shown_url(url)}: {error}", 2) from None
    return Remote(engine, None, shown_url(url), (url.password and str(url.password)) or None)


def _reason(error: BaseException, remote: Remote) -> str:
    """The first line of a driver's message, with any password taken out."""
    orig = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(orig).strip().splitlines() if line.strip()]
    message = lines[0] if lines else type(orig).__name__
    for line in lines[1:]:  # libpq says "connection failed: ..." then the reason
        if line.lower().startswith(("fatal", "error")) or "failed" in message[-10:]:
            message = f"{message} {line}"
            break
    if remote.password:
        message = message.replace(remote.password, "***")
    return message


def _fail(error: BaseException, remote: Remote, doing: str) -> SyncError:
    return SyncError(f"sync with {remote.shown} failed while {doing}: {_reason(error, remote)}")


# --- the remote schema ----------------------------------------------------------------------


def _schema_name(conn: Connection) -> str | None:
    if conn.dialect.name != "postgresql":
        return None
    return str(conn.execute(text("SELECT current_user")).scalar_one())


def _version(conn: Connection) -> int | None:
    if not inspect(conn).has_table("quizapp_meta", schema=_schema_of(conn)):
        return None
    value = conn.execute(
        select(remote_meta.c.value).where(remote_meta.c.key == "version")
    ).scalar_one_or_none()
    return None if value is None else int(value)


def _schema_of(conn: Connection) -> str | None:
    mapping = conn.get_execution_options().get("schema_translate_map") or {}
    return mapping.get(None)


def _with_schema(remote: Remote, conn: Connection) -> tuple[Remote, Connection]:
    schema = _schema_name(conn)
    remote = Remote(remote.engine, schema, remote.shown, remote.password)
    return remote, conn.execution_options(schema_translate_map={None: schema})


def init_remote(value: str, local: Path | None = None) -> str:
    """Create or migrate the remote's sync tables; returns what was done, in one line."""
    remote = open_remote(value, local, create=True)
    try:
        with remote.engine.connect() as base:
            remote, conn = _with_schema(remote, base)
            version = _version(conn)
            if version is not None and version > REMOTE_VERSION:
                raise _newer(remote, version)
            if version == REMOTE_VERSION:
                return f"{remote.shown}: the sync tables are current (version {version})"
            if version is not None:
                for step in range(version, REMOTE_VERSION):
                    UPGRADES[step](conn)
                conn.execute(
                    remote_meta.update()
                    .where(remote_meta.c.key == "version")
                    .values(value=str(REMOTE_VERSION))
                )
                conn.commit()
                return (
                    f"{remote.shown}: migrated the sync tables from version {version} "
                    f"to {REMOTE_VERSION}"
                )
            if conn.dialect.name == "sqlite" and inspect(conn).get_table_names():
                # A progress database given by mistake: quizapp would refuse to open it after.
                raise SyncError(
                    f"{remote.shown} already holds other tables (a quizapp progress database?):"
                    " the sync tables need a file of their own: give a new path",
                    2,
                )
            done = []
            if remote.schema is not None and not inspect(conn).has_schema(remote.schema):
                conn.execute(CreateSchema(remote.schema))
                done.append(
                    f"created schema {remote.schema} (only role {remote.schema} may use it)"
                )
            metadata.create_all(conn)
            conn.execute(
                remote_meta.insert(),
                [
                    {"key": "version", "value": str(REMOTE_VERSION)},
                    {"key": "remote_id", "value": str(uuid.uuid4())},
                ],
            )
            conn.commit()
            where = f" in schema {remote.schema}" if remote.schema else ""
            done.append(f"created the sync tables{where} at version {REMOTE_VERSION}")
            return f"{remote.shown}: " + "; ".join(done)
    except SyncError:
        raise
    except (SQLAlchemyError, OSError) as error:
        raise _fail(error, remote, "creating the sync tables") from None
    finally:
        remote.close()


def _newer(remote: Remote, version: int) -> SyncError:
    return SyncError(
        f"{remote.shown} holds sync tables of version {version}, newer than this quizapp's "
        f"({REMOTE_VERSION}): upgrade quizapp on this device; nothing was changed"
    )


def _check_remote(remote: Remote, conn: Connection) -> str:
    version = _version(conn)
    if version is None:
        raise SyncError(
            f"{remote.shown} has no quizapp sync tables: run `quizapp sync --init URL` once"
        )
    if version > REMOTE_VERSION:
        raise _newer(remote, version)
    if version < REMOTE_VERSION:
        raise SyncError(
            f"{remote.shown} holds sync tables of version {version}, older than this "
            f"quizapp's ({REMOTE_VERSION}): run `quizapp sync --init URL` to migrate them "
            "(after upgrading quizapp on every device that syncs with it)"
        )
    value = conn.execute(
        select(remote_meta.c.value).where(remote_meta.c.key == "remote_id")
    ).scalar_one()
    return str(value)


# --- sync -----------------------------------------------------------------------------------

_UNSENT_LOG_SQL = (
    "SELECT id, event_id, coalesce(device, ?), reviewed_at, deck_id, item_id, day, grade,"
    " typed_answer, correct, duration_ms, session_kind, coalesce(asked_repeat, repeat)"
    " FROM review_log WHERE sent = 0 AND id > ? ORDER BY id LIMIT ?"
)
_UNSENT_EVENTS_SQL = (
    "SELECT event_id, device, kind, at, deck_id, item_id, target, until, day, grade,"
    " typed_answer, correct, duration_ms, session_kind, asked_repeat, payload"
    " FROM sync_events WHERE sent = 0 AND event_id > ? ORDER BY event_id LIMIT ?"
)


_UNSENT_COUNT_SQL = "SELECT count(*) FROM review_log WHERE id > ? AND sent = 0"


def _sent_below(conn: Any) -> int:
    """Every answer with an id up to this one is sent (`review_log.sent` is not indexed, so
    that an answer writes no more index than it must: the unsent ones are found from here,
    by id). Answers appended later, and rows a replay moves, get higher ids."""
    return int(ev.get_state(conn, "sent_below") or 0)


def waiting_to_send(store: Store) -> int:
    """Local events (answers, undos, burials) the remote does not have yet."""

    def count(conn: sqlite3.Connection) -> int:
        answers = conn.execute(_UNSENT_COUNT_SQL, (_sent_below(conn),)).fetchone()[0]
        others = conn.execute("SELECT count(*) FROM sync_events WHERE sent = 0").fetchone()[0]
        return int(answers) + int(others)

    return store.read_dbapi(count)


def sync(
    store: Store,
    value: str,
    *,
    after_item: ev.AfterItem | None = None,
    local: Path | None = None,
    timeout: int = CONNECT_TIMEOUT,
    now: Callable[[], datetime] = ev.now_utc,
) -> SyncResult:
    """Pull, push, apply (see the module's docstring). Raises SyncError, after recording the
    reason locally (`last_error`) for the home screen."""
    try:
        remote = open_remote(value, local, timeout)
    except SyncError as problem:  # a bad URL, a missing file: the home screen says so too
        _note(store, "last_error", str(problem))
        raise
    try:
        return _sync(store, remote, after_item, now)
    except SyncError as problem:
        _note(store, "last_error", str(problem))
        raise
    except (SQLAlchemyError, OSError) as error:
        failure = _fail(error, remote, "exchanging events")
        _note(store, "last_error", str(failure))
        raise failure from None
    except Exception as error:
        _note(store, "last_error", f"sync with {remote.shown} failed: {type(error).__name__}")
        raise
    finally:
        remote.close()


def _note(store: Store, key: str, value: str) -> None:
    # The note is a courtesy for the home screen; the error itself is what the user sees.
    with contextlib.suppress(Exception):
        store.write_dbapi(lambda conn: ev.set_state(conn, key, value))


def _sync(
    store: Store, remote: Remote, after_item: ev.AfterItem | None, now: Callable[[], datetime]
) -> SyncResult:
    convert = conversions(store.engine.dialect)
    try:
        base = remote.engine.connect()
    except (SQLAlchemyError, OSError) as error:
        raise _fail(error, remote, "connecting") from None
    with base:
        remote, conn = _with_schema(remote, base)
        remote_id = _check_remote(remote, conn)
        conn.commit()
        device, pulled_seq = store.write_dbapi(lambda db: _switch_remote(db, remote_id))
        pulled, added, touched = _pull(store, conn, convert, pulled_seq, after_item)
        pushed = _push(store, conn, convert, device)
    touched |= store.read_dbapi(ev.unapplied_items)
    applied = ev.apply_waiting(
        store.read_dbapi, store.write_dbapi, convert, after_item=after_item, also=touched
    )
    waiting = store.read_dbapi(
        lambda db: db.execute("SELECT count(*) FROM sync_events WHERE kind = 'answer'").fetchone()[
            0
        ]
    )
    stamp = now().astimezone(UTC).isoformat(timespec="seconds")

    def done(db: Any) -> None:
        ev.set_state(db, "last_sync", stamp)
        ev.set_state(db, "last_error", None)

    store.write_dbapi(done)
    return SyncResult(pushed, pulled, added + applied, int(waiting), remote.shown)


def _switch_remote(db: Any, remote_id: str) -> tuple[str, int]:
    """This device's id and the pull cursor for this remote (a different remote than last
    time: everything is sent again, `ON CONFLICT` keeps it once, and pulled from the start)."""
    if ev.get_state(db, "remote") != remote_id:
        db.execute("UPDATE review_log SET sent = 0 WHERE sent = 1")
        db.execute("UPDATE sync_events SET sent = 0 WHERE sent = 1")
        ev.set_state(db, "sent_below", "0")
        ev.set_state(db, "remote", remote_id)
        ev.set_state(db, "pulled_seq", "0")
    return ev.device_id(db), int(ev.get_state(db, "pulled_seq") or 0)


def _pull(
    store: Store, conn: Connection, convert: Any, after: int, after_item: ev.AfterItem | None
) -> tuple[int, int, set[tuple[str, str]]]:
    """Pull the events after `after` up to the newest one now, streamed item by item in
    answer order (so each item is replayed once, appending); the cursor moves at the end,
    and a pull cut short is taken up again from the old cursor (known events are skipped)."""
    seq = remote_events.c
    newest = conn.execute(select(func.max(seq.seq)).where(seq.seq > after)).scalar()
    if newest is None:
        conn.commit()
        return 0, 0, set()
    query = (
        select(*[remote_events.c[name] for name in ev.EVENT_COLUMNS])
        .where(seq.seq > after, seq.seq <= newest)
        .order_by(seq.deck_id, seq.item_id, seq.at, seq.event_id)
    )
    counts = [0, 0]  # new events, answers added to the log
    touched: set[tuple[str, str]] = set()
    carried: list[tuple[Any, ...]] = []
    result = conn.execute(query.execution_options(stream_results=True, yield_per=CHUNK))

    def keep(db: Any, events: list[tuple[Any, ...]]) -> None:
        known = ev.known_ids(db, [e[0] for e in events])
        fresh = [e for e in events if e[0] not in known]
        counts[0] += len(fresh)
        start = 0
        for n in range(1, len(fresh) + 1):
            if n == len(fresh) or fresh[n][4:6] != fresh[start][4:6]:
                deck_id, item_id = fresh[start][4:6]
                if deck_id is None or item_id is None:
                    touched.update(ev.store_incoming(db, convert, fresh[start:n]))
                else:
                    counts[1] += ev.store_item_events(
                        db, convert, deck_id, item_id, fresh[start:n], after_item
                    )
                start = n

    for rows in result.partitions():
        events = carried + [tuple(row) for row in rows]
        last = events[-1][4:6]  # the last item may go on in the next chunk: it waits for it
        cut = len(events)
        while cut > 0 and events[cut - 1][4:6] == last:
            cut -= 1
        if cut == 0:  # one item fills the chunk: keep it whole, it is in answer order
            cut = len(events)
        ready, carried = events[:cut], events[cut:]
        store.write_dbapi(functools.partial(keep, events=ready))

    def finish(db: Any) -> None:
        if carried:
            keep(db, carried)
        ev.set_state(db, "pulled_seq", str(newest))

    store.write_dbapi(finish)
    conn.commit()
    return counts[0], counts[1], touched


def _insert(conn: Connection) -> Any:
    """INSERT ... ON CONFLICT (event_id) DO NOTHING, in the remote's dialect."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(remote_events).on_conflict_do_nothing(index_elements=["event_id"])


def _query(sql: str, params: tuple[Any, ...]) -> Callable[[sqlite3.Connection], list[Any]]:
    return lambda db: db.execute(sql, params).fetchall()


def _marking(sql: str, ids: list[tuple[Any]]) -> Callable[[sqlite3.Connection], object]:
    return lambda db: db.executemany(sql, ids)


def _lock(conn: Connection) -> None:
    """Pushes one at a time, so `seq` is committed in order and no puller skips one."""
    if conn.dialect.name == "postgresql":
        schema = _schema_of(conn)
        name = f'"{schema}".quizapp_events' if schema else "quizapp_events"
        conn.execute(text(f"LOCK TABLE {name} IN EXCLUSIVE MODE"))


def _push(store: Store, conn: Connection, convert: Any, device: str) -> int:
    pushed = 0
    statement = _insert(conn)
    last_id, top = store.read_dbapi(
        lambda db: (
            _sent_below(db),
            db.execute("SELECT coalesce(max(id), 0) FROM review_log").fetchone()[0],
        )
    )
    while True:  # answers
        rows = store.read_dbapi(_query(_UNSENT_LOG_SQL, (device, last_id, CHUNK)))
        if not rows:
            break
        last_id = rows[-1][0]
        values = [
            {
                "event_id": r[1],
                "device": r[2],
                "kind": "answer",
                "at": _naive(convert.time_out(r[3])),
                "deck_id": r[4],
                "item_id": r[5],
                "target": None,
                "until": None,
                "day": convert.date_out(r[6]),
                "grade": r[7],
                "typed_answer": r[8],
                "correct": None if r[9] is None else bool(r[9]),
                "duration_ms": r[10],
                "session_kind": r[11],
                "asked_repeat": bool(r[12]),
                "payload": None,
            }
            for r in rows
        ]
        _send(conn, statement, values)
        ids = [(r[0],) for r in rows]
        store.write_dbapi(_marking("UPDATE review_log SET sent = 1 WHERE id = ?", ids))
        pushed += len(values)
    # Every answer up to `top` is sent now; later ones (and rows moved since) have higher ids.
    store.write_dbapi(lambda db: ev.set_state(db, "sent_below", str(top)))
    last_event = ""
    while True:  # undo, bury, and answers still waiting for their item
        rows = store.read_dbapi(_query(_UNSENT_EVENTS_SQL, (last_event, CHUNK)))
        if not rows:
            break
        last_event = rows[-1][0]
        values = [
            {
                "event_id": r[0],
                "device": r[1],
                "kind": r[2],
                "at": _naive(convert.time_out(r[3])),
                "deck_id": r[4],
                "item_id": r[5],
                "target": r[6],
                "until": convert.date_out(r[7]),
                "day": convert.date_out(r[8]),
                "grade": r[9],
                "typed_answer": r[10],
                "correct": None if r[11] is None else bool(r[11]),
                "duration_ms": r[12],
                "session_kind": r[13],
                "asked_repeat": None if r[14] is None else bool(r[14]),
                "payload": r[15],
            }
            for r in rows
        ]
        _send(conn, statement, values)
        ids = [(r[0],) for r in rows]
        store.write_dbapi(_marking("UPDATE sync_events SET sent = 1 WHERE event_id = ?", ids))
        pushed += len(values)
    return pushed


def _send(conn: Connection, statement: Any, values: list[dict[str, Any]]) -> None:
    _lock(conn)
    conn.execute(statement, values)
    conn.commit()


def _naive(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(tzinfo=None)


def remote_count(value: str) -> int:
    """Events on the remote (for tests and benchmarks)."""
    remote = open_remote(value)
    try:
        with remote.engine.connect() as base:
            remote, conn = _with_schema(remote, base)
            return int(conn.execute(select(func.count()).select_from(remote_events)).scalar_one())
    finally:
        remote.close()


def status(conn: Any) -> tuple[str | None, int, str | None]:
    """For the home screen, on a sqlite3 connection to the local store: when this device last
    synced (ISO UTC), how many answers wait to be sent, and why the last attempt failed."""
    answers = conn.execute(_UNSENT_COUNT_SQL, (_sent_below(conn),)).fetchone()[0]
    return ev.get_state(conn, "last_sync"), int(answers), ev.get_state(conn, "last_error")
