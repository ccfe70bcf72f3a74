"""Opening the progress database: URL resolution, SQLite pragmas, schema creation at head.

`open_store` is the only way to a `Store` (the study app's quick start may hand it the
connection `quickstart.connect` opened). It refuses a file that is not a quizapp database without
writing to it, and brings a new database to the current Alembic revision.

SQLite settings, on every connection: foreign keys on; a 5 s busy timeout; and
`synchronous=FULL` rather than NORMAL: in WAL mode NORMAL may lose the last commits on a
power cut, and an answer the screen showed as saved must survive that. FULL costs one
fsync a commit, which is nothing at one answer every few seconds. The WAL journal mode is
persistent, so it is set once, after the file has been checked. Write transactions start
with BEGIN IMMEDIATE, so a second process waits on the busy timeout instead of failing
with "database is locked" when a read turns into a write.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from quizapp.errors import QuizappError
from quizapp.files import make_private_dirs
from quizapp.storage import schema
from quizapp.storage.failures import (
    explain_damage,
    not_saved,
    restore_advice,
    unusable,
)
from quizapp.storage.quickstart import (  # noqa: F401  (SQLITE_MAGIC: for backup)
    BUSY_TIMEOUT_MS,
    SQLITE_MAGIC,
    URL_SCHEME,
    configure,
    connect,
)
from quizapp.storage.urls import database_url, sqlite_file

_WRITE_RETRIES = 3

T = TypeVar("T")


class Store:
    """An open progress database: its engine and a sessionmaker. Close it, or use `with`."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
        self._writer = engine.execution_options(quizapp_begin="IMMEDIATE")
        self._write_sessions: sessionmaker[Session] = sessionmaker(
            self._writer, expire_on_commit=False
        )

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading (a deferred transaction, rolled back at the end)."""
        with self.sessions() as session:
            yield session

    def write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one write transaction (BEGIN IMMEDIATE) and commit it.

        Retried a few times when another process holds the lock past the busy timeout.
        A write SQLite refuses (full disk, read-only file, I/O error) is rolled back and
        raised as NotSavedError, a QuizappError.
        """
        for attempt in range(_WRITE_RETRIES):
            try:
                with self._write_sessions() as session, session.begin():
                    return work(session)
            except OperationalError as error:
                if not _is_busy(error) or attempt == _WRITE_RETRIES - 1:
                    raise not_saved(error, self.url) from None
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def read_dbapi(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work` on a pooled sqlite3 connection, outside any transaction (one SELECT reads
        one snapshot). sqlite3 errors are raised as SQLAlchemy would
        have wrapped them."""
        pooled = self.engine.raw_connection()
        try:
            return work(pooled.driver_connection)  # type: ignore[arg-type]
        except sqlite3.Error as error:
            raise DBAPIError.instance(None, None, error, sqlite3.Error) from error
        finally:
            pooled.close()

    def write_dbapi(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`write`, for the hot path: `work` runs on a pooled sqlite3 connection itself.

        One BEGIN IMMEDIATE ... COMMIT with no Session and no SQLAlchemy statement around it
        (an answer is three statements; the machinery cost more than the SQL). The same
        retries and NotSavedError as `write`; any other sqlite3 error is raised as SQLAlchemy
        would have wrapped it.
        """
        for attempt in range(_WRITE_RETRIES):
            pooled = self.engine.raw_connection()
            try:
                conn: sqlite3.Connection = pooled.driver_connection  # type: ignore[assignment]
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = work(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    _rollback(pooled, conn)
                    raise
                return result
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or attempt == _WRITE_RETRIES - 1:
                    raise not_saved(error, self.url) from None
            except sqlite3.Error as error:
                raise DBAPIError.instance(None, None, error, sqlite3.Error) from error
            finally:
                pooled.close()
            time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _is_busy(error: DBAPIError | sqlite3.Error) -> bool:
    text = str(getattr(error, "orig", error)).lower()
    return "locked" in text or "busy" in text


def _enable_wal(engine: Engine) -> None:
    """Switch the file to WAL, retrying for up to the busy timeout.

    The switch needs an exclusive lock, and SQLite refuses it at once, without waiting on
    the busy handler, while another process that opened the same new file is creating the
    schema (waiting could deadlock). So the whole statement is retried here; the mode is
    persistent, so only the first opening of a file ever waits.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        raw = engine.raw_connection()  # outside any transaction, as SQLite requires
        try:
            row = raw.cursor().execute("PRAGMA journal_mode = WAL").fetchone()
            if row is not None and str(row[0]).lower() == "wal":
                return
            reason: str | Exception = f"the journal stayed in {row[0] if row else '?'} mode"
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise DBAPIError.instance(None, None, error, sqlite3.Error) from error
            reason = error
        finally:
            raw.close()
        if time.monotonic() >= deadline:
            raise OperationalError(None, None, Exception(f"cannot switch to WAL: {reason}"))
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def _rollback(pooled: Any, conn: sqlite3.Connection) -> None:
    """Roll back what is left of a failed write; a connection that cannot is discarded."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pooled.invalidate()


def _prepare_file(path: Path, shown: str) -> None:
    """Create the folder, and through SQLite an owner-only file; refuse one that is not SQLite.

    The file is only ever opened by SQLite (see `quickstart.connect`): SQLite itself says
    "file is not a database", so no header is read here.
    """
    try:
        make_private_dirs(path.parent)  # 0700 whatever the umask, parents too
    except OSError as error:
        raise QuizappError(f"cannot create the database {shown}: {error.strerror}") from None
    if path.is_dir():
        raise QuizappError(f"{shown} is a folder, not a quizapp database")
    existed = path.exists()
    try:
        conn = connect(path, create=not existed)
        try:
            if not existed:
                os.chmod(path, 0o600)  # before SQLite writes a byte; -wal and -shm copy it
            conn.execute("PRAGMA schema_version").fetchone()  # reads the header
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            raise QuizappError(f"{shown} is not a quizapp database (not an SQLite file)") from None
        if existed:  # damaged, read-only, on a full disk: said as `unusable` says it
            wrapped = DBAPIError.instance(None, None, error, sqlite3.Error)
            raise unusable(wrapped, shown, path) from None
        reason = _why_not_created(path.parent, error)
        raise QuizappError(f"cannot create the database {shown}: {reason}") from None
    except OSError as error:
        raise QuizappError(f"cannot create the database {shown}: {error.strerror}") from None


def _why_not_created(folder: Path, error: sqlite3.Error) -> str:
    """The reason SQLite could not create a file in `folder` ("unable to open" says none)."""
    with contextlib.suppress(OSError):
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return os.strerror(errno.EROFS)
        if not os.access(folder, os.W_OK | os.X_OK):
            return os.strerror(errno.EACCES)
    return str(error)


def _sqlite_events(engine: Engine, *, configured: bool) -> None:
    if not configured:  # a URL SQLAlchemy connects to itself (in memory, a file: URI)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            configure(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writes are BEGIN IMMEDIATE (see `Store.write`); the connections are in autocommit.
        mode = connection.get_execution_options().get("quizapp_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


class _Opener:
    """The engine's `creator`: `quickstart.connect`, after handing out `first` if given."""

    def __init__(self, path: Path, first: sqlite3.Connection | None) -> None:
        self.path = path
        self.first = first

    def __call__(self) -> sqlite3.Connection:
        if self.first is not None:
            conn, self.first = self.first, None
            return conn
        return connect(self.path)


def make_engine(db: str, *, connection: sqlite3.Connection | None = None) -> Engine:
    """An engine for `db` with quizapp's SQLite settings; checks the file but not the schema.

    `connection`, one `quickstart.connect` made for the same file, becomes the engine's
    first pooled connection (the study app's quick start hands its own over).
    """
    url = database_url(db)
    path = sqlite_file(url)
    shown = str(path) if path is not None else url.render_as_string(hide_password=True)
    options: dict[str, Any] = {}
    if path is not None:
        try:
            _prepare_file(path, shown)
        except BaseException:
            if connection is not None:
                connection.close()
            raise
        options["creator"] = _Opener(path, connection)  # the one opener of the file
    elif connection is not None:
        connection.close()
    try:
        engine = create_engine(url, **options)
    except (ArgumentError, ImportError) as error:
        raise QuizappError(f"cannot open the database {shown}: {error}") from None
    _sqlite_events(engine, configured=path is not None)
    return engine


def open_store(db: str, *, connection: sqlite3.Connection | None = None) -> Store:
    """Open (creating if needed) the database at `db`: a file path or a SQLAlchemy URL.

    A new database is created at the newest schema; a database of an older schema is
    migrated; a non-quizapp, corrupt or newer database raises QuizappError untouched.
    `connection`: see `make_engine` (the store owns it from now on, even on failure).
    """
    engine = make_engine(db, connection=connection)
    url = engine.url
    path = sqlite_file(url)
    shown = str(path) if path is not None else url.render_as_string(hide_password=True)
    try:
        status = schema.schema_status(engine)
        refused = schema.refusal(status, shown, restore_advice(path))
        if refused is not None:
            raise refused
        if path is not None:
            _enable_wal(engine)
        if status.state is schema.SchemaState.OLDER and path is not None:
            from quizapp.storage.backup import backup_before_migration

            backup_before_migration(path, status.revision)
        if status.state is not schema.SchemaState.CURRENT:
            schema.upgrade(engine, status, shown=shown)
    except QuizappError:
        engine.dispose()
        raise
    except DBAPIError as error:
        engine.dispose()
        raise unusable(error, shown, path) from None
    except BaseException:
        engine.dispose()
        raise
    explain_damage(engine, shown, path)
    return Store(engine, shown)
