"""Where a database stands against the Alembic revisions shipped with this quizapp.

`schema_status` only reads; `upgrade` runs the migrations in `migrations/` programmatically
(no alembic.ini). Backing up an older database before migrating it belongs here too.

A recorded revision alone does not make a database quizapp's: any program that uses Alembic
has an `alembic_version` table, and its first revisions may well be called `0001`. So the
tables themselves are compared with the ones this quizapp creates at that revision (their
names and, on SQLite, every column's name, type, NOT NULL, default and key): only a database
whose tables are quizapp's is opened, migrated or restored. Views and triggers are not
quizapp's either; an upgrade keeps the user's own (`upgrade`), a restore refuses them
(`storage.backup.check_database`).
"""

from __future__ import annotations

import functools
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import DBAPIError

from quizapp.errors import QuizappError
from quizapp.storage.dberrors import UnusableDatabaseError
from quizapp.storage.quickstart import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"

Query = Callable[[str], Sequence[Sequence[Any]]]
"""Runs one SQL statement and returns its rows (over sqlite3 or SQLAlchemy alike)."""

_NOT_INTERNAL = "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
"""Leaves out SQLite's own objects (sqlite_sequence, sqlite_stat1, sqlite_autoindex_*)."""

ColumnShape = tuple[str, str, int, Any, int]
"""A column as PRAGMA table_info gives it: name, declared type, NOT NULL, default, key."""


class SchemaState(StrEnum):
    EMPTY = "empty"
    """No tables at all: a new database."""
    CURRENT = "current"
    OLDER = "older"
    """A revision this quizapp knows, before the newest: migrate (after a backup)."""
    NEWER = "newer"
    """A revision this quizapp does not know on quizapp's tables: a newer quizapp's; refuse."""
    FOREIGN = "foreign"
    """Some other program's database (not quizapp's tables); refuse."""
    ALTERED = "altered"
    """quizapp's tables, changed outside quizapp (a table dropped, renamed or reshaped, more
    than one recorded revision); refuse, and point at the backups."""


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    state: SchemaState
    revision: str | None
    """The revision recorded in alembic_version (None when there is none, or several)."""
    head: str
    """The newest revision this quizapp ships."""
    problems: tuple[str, ...] = ()
    """What is not quizapp's (FOREIGN, ALTERED), in words."""


@dataclass(frozen=True, slots=True)
class Layout:
    """The schema objects of a SQLite database, and the columns of its tables.

    SQLite's own objects (`sqlite_sequence`, `sqlite_stat1`, `sqlite_autoindex_*`) are left
    out: they come and go with AUTOINCREMENT, ANALYZE and keys, never with a user's intent.
    """

    objects: frozenset[tuple[str, str]]
    """(type, name) of every table, index, view and trigger."""
    columns: Mapping[str, tuple[ColumnShape, ...]] = field(default_factory=dict)
    """Each table's columns (alembic_version's included)."""
    sql: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """The CREATE statement of each object, as SQLite keeps it."""

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(name for kind, name in self.objects if kind == "table")

    def of_kind(self, *kinds: str) -> list[tuple[str, str]]:
        return sorted((kind, name) for kind, name in self.objects if kind in kinds)


def quizapp_tables() -> frozenset[str]:
    """Every table quizapp creates (at the newest revision), alembic_version included."""
    from quizapp.storage.models import Base

    return frozenset(Base.metadata.tables) | {VERSION_TABLE}


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())


def read_layout(query: Query) -> Layout:
    """Every schema object of a SQLite database, read through `query`; writes nothing."""
    rows = query(f"SELECT type, name, sql FROM sqlite_master WHERE {_NOT_INTERNAL}")
    objects = frozenset((str(kind), str(name)) for kind, name, _sql in rows)
    sql = {(str(kind), str(name)): str(text or "") for kind, name, text in rows}
    columns = {
        name: tuple(
            (str(row[1]), str(row[2]).upper(), int(row[3]), row[4], int(row[5]))
            for row in query(f"PRAGMA table_info({_quoted(name)})")
        )
        for kind, name in objects
        if kind == "table"
    }
    return Layout(objects, columns, sql)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@functools.cache
def expected_layout(revision: str) -> Layout:
    """What quizapp itself creates at `revision`, built in an in-memory SQLite database.

    The newest revision is the models' own tables (no Alembic needed: a test holds them equal
    to the migrations' result); an older one is what the migrations up to it create.
    """
    engine = create_engine("sqlite://")
    try:
        if revision == HEAD_REVISION:
            from quizapp.storage.models import Base

            Base.metadata.create_all(engine)
            with engine.begin() as conn:
                conn.exec_driver_sql(
                    f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL, "
                    f"CONSTRAINT {VERSION_TABLE}_pkc PRIMARY KEY (version_num))"
                )
        else:
            upgrade(engine, revision=revision)
        with engine.connect() as conn:
            return read_layout(lambda sql: conn.exec_driver_sql(sql).fetchall())
    finally:
        engine.dispose()


def layout_problems(found: Layout, expected: Layout) -> list[str]:
    """How the tables of `found` differ from `expected`, in words (empty: they are the same)."""
    problems = [f"no table {name}" for name in sorted(expected.tables - found.tables)]
    problems += [
        f"a table {name} quizapp did not create" for name in sorted(found.tables - expected.tables)
    ]
    for name in sorted(found.tables & expected.tables):
        have, want = found.columns.get(name, ()), expected.columns.get(name, ())
        if have == want:
            continue
        have_names, want_names = [c[0] for c in have], [c[0] for c in want]
        missing = [c for c in want_names if c not in have_names]
        extra = [c for c in have_names if c not in want_names]
        if missing or extra:
            parts = [f"no column {c}" for c in missing] + [f"a column {c}" for c in extra]
            problems.append(f"table {name} has {', '.join(parts)}")
        else:
            changed = [h[0] for h, w in zip(have, want, strict=False) if h != w]
            problems.append(f"table {name} has changed columns ({', '.join(changed)})")
    return problems


def classify(layout: Layout, recorded: Sequence[str]) -> SchemaStatus:
    """Judge a SQLite database by its schema objects and the revisions it records."""
    ours = quizapp_tables()
    tables = layout.tables
    if not layout.objects:
        return SchemaStatus(SchemaState.EMPTY, None, HEAD_REVISION)
    data_tables = ours - {VERSION_TABLE}
    if VERSION_TABLE not in tables or not tables & data_tables:
        others = sorted(tables - ours) or [name for _, name in layout.of_kind("view", "trigger")]
        what = "no schema version" if VERSION_TABLE not in tables else "no table of quizapp's"
        detail = f"{what}; it holds {', '.join(others[:6])}" if others else what
        return SchemaStatus(SchemaState.FOREIGN, None, HEAD_REVISION, (detail,))
    if len(recorded) != 1:
        listed = ", ".join(str(r) for r in recorded) or "none"
        return SchemaStatus(
            SchemaState.ALTERED,
            None,
            HEAD_REVISION,
            (f"{len(recorded)} schema versions recorded in {VERSION_TABLE} ({listed})",),
        )
    revision = str(recorded[0])
    if revision == HEAD_REVISION:
        known: frozenset[str] = frozenset({HEAD_REVISION})
    else:
        known = known_revisions()
    if revision not in known:
        if data_tables <= tables:
            return SchemaStatus(SchemaState.NEWER, revision, HEAD_REVISION)
        problems: tuple[str, ...] = (
            f"schema {revision}, which quizapp never wrote; it holds "
            f"{', '.join(sorted(tables - ours)[:6]) or 'other tables'}",
        )
        return SchemaStatus(SchemaState.FOREIGN, revision, HEAD_REVISION, problems)
    expected = expected_layout(revision)
    problems = tuple(layout_problems(layout, expected))
    if problems:
        intact = [
            name
            for name in tables & data_tables
            if layout.columns.get(name) == expected.columns.get(name)
        ]
        state = SchemaState.ALTERED if intact else SchemaState.FOREIGN
        return SchemaStatus(state, revision, HEAD_REVISION, problems)
    state = SchemaState.CURRENT if revision == HEAD_REVISION else SchemaState.OLDER
    return SchemaStatus(state, revision, HEAD_REVISION)


def _recorded(query: Query, tables: frozenset[str]) -> list[str]:
    if VERSION_TABLE not in tables:
        return []
    return [str(row[0]) for row in query(f"SELECT version_num FROM {VERSION_TABLE}")]


def status_of(query: Query) -> SchemaStatus:
    """`schema_status` of a SQLite database read through `query` (sqlite3 or SQLAlchemy)."""
    layout = read_layout(query)
    return classify(layout, _recorded(query, layout.tables))


def schema_status(engine: Engine) -> SchemaStatus:
    """Read the schema and the recorded revision, and judge them; writes nothing."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return status_of(lambda sql: conn.exec_driver_sql(sql).fetchall())
        return _other_backend_status(conn)


def _other_backend_status(conn: Connection) -> SchemaStatus:
    """By table names and the recorded revision only: column shapes are compared on SQLite,
    quizapp's own backend."""
    tables = frozenset(inspect(conn).get_table_names())
    recorded = _recorded(lambda sql: conn.exec_driver_sql(sql).fetchall(), tables)
    if not tables:
        return SchemaStatus(SchemaState.EMPTY, None, HEAD_REVISION)
    missing = sorted(quizapp_tables() - tables)
    if missing:
        detail = f"no table {', '.join(missing)}"
        return SchemaStatus(SchemaState.FOREIGN, None, HEAD_REVISION, (detail,))
    if len(recorded) != 1:
        detail = f"{len(recorded)} schema versions recorded in {VERSION_TABLE}"
        return SchemaStatus(SchemaState.ALTERED, None, HEAD_REVISION, (detail,))
    revision = recorded[0]
    if revision == HEAD_REVISION:
        return SchemaStatus(SchemaState.CURRENT, revision, HEAD_REVISION)
    state = SchemaState.OLDER if revision in known_revisions() else SchemaState.NEWER
    return SchemaStatus(state, revision, HEAD_REVISION)


def refusal(
    status: SchemaStatus,
    shown: str,
    remedy: str,
    instead: str = "; choose another file with --db",
) -> UnusableDatabaseError | None:
    """The one-line error for a database quizapp must not open (None: it may).

    `remedy` says what to do about an altered one (restore a backup, naming it); `instead`
    ends the line for one that is not quizapp's at all.
    """
    detail = "; ".join(status.problems[:4])
    if status.state is SchemaState.FOREIGN:
        return UnusableDatabaseError(f"{shown} is not a quizapp database ({detail}){instead}")
    if status.state is SchemaState.NEWER:
        return UnusableDatabaseError(
            f"{shown} was written by a newer quizapp (schema {status.revision}, this "
            f"quizapp knows up to {status.head}); upgrade quizapp to use it",
        )
    if status.state is SchemaState.ALTERED:
        return UnusableDatabaseError(f"{shown} was changed outside quizapp ({detail}); {remedy}")
    return None


# --- migrating -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserObject:
    """A view or trigger the user added to their own database: kept through an upgrade."""

    kind: str
    name: str
    sql: str


def user_objects(query: Query) -> list[UserObject]:
    """The views and triggers in the database (quizapp creates none), views first."""
    rows = query(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') "
        f"AND {_NOT_INTERNAL} ORDER BY type DESC, rowid"
    )
    return [UserObject(str(kind), str(name), str(sql or "")) for kind, name, sql in rows]


def upgrade(
    engine: Engine,
    status: SchemaStatus | None = None,
    revision: str = "head",
    shown: str | None = None,
) -> None:
    """Migrate the database to `revision` (default: the newest) in one transaction.

    The transaction takes the write lock first (BEGIN IMMEDIATE on SQLite), so when two
    processes create or migrate the same database at once the second waits and then finds
    nothing left to do. The user's own views and triggers would make SQLite refuse the
    table rebuilds of a migration, for ever: they are dropped, the migrations run, and they
    are created again, all in that one transaction. One that no longer fits the new tables
    makes the upgrade fail with its name, and nothing is changed.
    """
    from alembic import command

    config = alembic_config()
    with _SignalsBetweenStatements() as signals:
        try:
            with engine.execution_options(quizapp_begin="IMMEDIATE").begin() as conn:
                signals.watch(conn)
                _migrate(conn, command, config, revision, shown)
                signals.check()  # one that came during the last statement: roll back
        except Exception:
            signals.raise_received()  # the transaction was rolled back: stop as asked
            raise
    signals.raise_received()


def _migrate(
    conn: Connection, command: Any, config: Config, revision: str, shown: str | None
) -> None:
    query: Query = lambda sql: conn.exec_driver_sql(sql).fetchall()  # noqa: E731
    kept = user_objects(query) if conn.dialect.name == "sqlite" else []
    for obj in kept:
        conn.exec_driver_sql(f"DROP {obj.kind.upper()} {_quoted(obj.name)}")
    config.attributes["connection"] = conn
    command.upgrade(config, revision)
    for obj in kept:
        try:
            conn.exec_driver_sql(obj.sql)
        except DBAPIError as error:
            reason = getattr(error, "orig", error)
            raise QuizappError(
                f"cannot upgrade {shown or 'the database'}: your own {obj.kind} "
                f"{obj.name} does not fit the new schema ({reason}); drop it "
                f"(DROP {obj.kind.upper()} {obj.name}) and start quizapp again; "
                "nothing was changed"
            ) from None


class _Interrupted(Exception):
    """Raised before the next statement of a migration once Ctrl-C or SIGTERM came."""


class _SignalsBetweenStatements:
    """Ctrl-C and SIGTERM during a migration stop it between two statements, never inside one.

    A KeyboardInterrupt raised inside SQLAlchemy's execute invalidates the connection, and
    Alembic's cleanup of a table rebuild then fails with PendingRollbackError instead. So
    while migrating, the signals are only noted; the next statement raises an ordinary
    exception, the transaction is rolled back whole, and then the KeyboardInterrupt (or the
    exit of SIGTERM) is raised. Only the main thread can take signals; elsewhere, nothing
    changes.
    """

    def __init__(self) -> None:
        self.received: list[int] = []
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _SignalsBetweenStatements:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._note)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _note(self, signum: int, _frame: object) -> None:
        self.received.append(signum)

    def watch(self, conn: Connection) -> None:
        event.listen(conn, "before_cursor_execute", lambda *_args: self.check())

    def check(self) -> None:
        if self.received:
            raise _Interrupted()

    def raise_received(self) -> None:
        if not self.received:
            return
        if self.received[0] == signal.SIGINT:
            raise KeyboardInterrupt from None
        raise SystemExit(128 + self.received[0]) from None


# --- values quizapp cannot read ------------------------------------------------------------

_DATE_OK = "typeof({c}) = 'text' AND date({c}) IS {c}"
_TIME_OK = (
    "typeof({c}) = 'text' AND datetime({c}) IS NOT NULL AND {c} GLOB "
    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*'"
)


def unreadable_values(query: Query) -> str | None:
    """The first date or time quizapp could not read back (text edited into the database by
    hand), in words; None when every one is as quizapp writes them. Reads every row.
    Tables a newer revision adds are skipped in an older database (none of their values yet)."""
    from sqlalchemy import Date, DateTime

    from quizapp.storage.models import Base

    present = {row[0] for row in query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            continue
        for column in table.columns:
            impl = getattr(column.type, "impl_instance", column.type)
            if isinstance(impl, DateTime):
                ok, what = _TIME_OK, "a time"
            elif isinstance(impl, Date):
                ok, what = _DATE_OK, "a date"
            else:
                continue
            name = _quoted(column.name)
            rows = query(
                f"SELECT {name} FROM {_quoted(table.name)} WHERE {name} IS NOT NULL "
                f"AND NOT ({ok.format(c=name)}) LIMIT 1"
            )
            if rows:
                return f"{table.name}.{column.name} holds {rows[0][0]!r}, not {what}"
    return None
