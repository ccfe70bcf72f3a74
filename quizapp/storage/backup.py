"""Backups of the progress database: daily at start, on demand, before migrations and restores.

A backup is a compact, self-contained copy made with SQLite's online backup API (safe while
another quizapp is writing), then VACUUMed, in rollback-journal mode so it is one file. It is
written to a `.partial` file first and renamed into place, so a crash never leaves half a
backup under a backup's name. Files are readable by their owner only (0600), in a folder
only the owner can enter (0700).

Backups live in a `backups` folder next to the database file: for the default database that
is `<user data dir>/backups/`. Names carry the database's name and the UTC time,
`quizapp-2026-11-28T15-19-00Z.db`; the newest `BACKUPS_KEPT` of those are kept. Backups made
before a migration or a restore get a suffix (`...Z-before-migration-0001.db`,
`...Z-before-restore.db`) and are never deleted by quizapp.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from quizapp.errors import QuizappError

if TYPE_CHECKING:
    from quizapp.context import AppContext
    from quizapp.storage.engine import Store

BACKUPS_KEPT = 7
BACKUP_FOLDER = "backups"
STAMP_FORMAT = "%Y-%m-%dT%H-%M-%SZ"
_STAMP = r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ"
_TIMEOUT_S = 5.0
_LOCK_WAIT_S = 1.0
"""How long restore waits for other quizapps to let go of the database before it refuses."""
STALE_PARTIAL_S = 3600
REQUIRED_TABLES = frozenset({"alembic_version", "decks", "cards", "card_state", "review_log"})


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime
    """UTC-aware, from the file name."""


@dataclass(frozen=True, slots=True)
class CheckedDatabase:
    """What `check_database` found in a healthy quizapp database file."""

    revision: str
    reviews: int


def backup_dir(db_file: Path) -> Path:
    """The folder that holds the backups of `db_file`: `backups` next to it."""
    return db_file.parent / BACKUP_FOLDER


def _rotating(db_file: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(db_file.stem)}-({_STAMP})(?:-(\d+))?\.db$")


def list_backups(db_file: Path) -> list[Backup]:
    """The rotating (daily and `quizapp backup`) backups of `db_file`, oldest first."""
    pattern = _rotating(db_file)
    found: list[tuple[str, int, Backup]] = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for entry in backup_dir(db_file).iterdir():
            match = pattern.match(entry.name)
            if match is None or not entry.is_file():
                continue
            stamp = datetime.strptime(match[1], STAMP_FORMAT).replace(tzinfo=UTC)
            found.append((match[1], int(match[2] or 1), Backup(entry, stamp)))
    found.sort(key=lambda item: (item[0], item[1]))
    return [backup for _, _, backup in found]


def _target(db_file: Path, now: datetime, reason: str | None) -> Path:
    folder = backup_dir(db_file)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    base = f"{db_file.stem}-{now.astimezone(UTC).strftime(STAMP_FORMAT)}"
    if reason:
        base += f"-{reason}"
    target = folder / f"{base}.db"
    counter = 2
    while target.exists() or target.with_name(target.name + ".partial").exists():
        target = folder / f"{base}-{counter}.db"
        counter += 1
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _owner_only_file(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=_TIMEOUT_S, isolation_level=None)


def copy_database(source: Path, target: Path) -> None:
    """Copy the SQLite database `source` to the file `target` (0600), compacted.

    Uses the online backup API, so the copy is consistent even while another process
    writes; `target` appears only once complete (written as `.partial`, then renamed).
    """
    with contextlib.closing(_connect(source)) as src:
        _copy_from(src, target)


def _copy_from(src: sqlite3.Connection, target: Path) -> None:
    """`copy_database` from an open connection (restore's, which holds the file's lock)."""
    partial = target.with_name(target.name + ".partial")
    _owner_only_file(partial)
    try:
        with contextlib.closing(_connect(partial)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            dst.execute("VACUUM")
        _fsync(partial)
        os.replace(partial, target)
        _fsync(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def make_backup(db_file: Path, *, now: datetime | None = None, reason: str | None = None) -> Path:
    """Back up `db_file` now; returns the backup's path. Raises OSError or sqlite3.Error."""
    target = _target(db_file, now or datetime.now(UTC), reason)
    copy_database(db_file, target)
    return target


def prune_backups(
    db_file: Path, keep: int = BACKUPS_KEPT, now: datetime | None = None
) -> list[Path]:
    """Delete all but the newest `keep` rotating backups, and `.partial` files left by a
    backup killed an hour or more ago; returns what was deleted."""
    backups = list_backups(db_file)
    doomed = [backup.path for backup in backups[: max(0, len(backups) - keep)]]
    cutoff = (now or datetime.now(UTC)).timestamp() - STALE_PARTIAL_S
    with contextlib.suppress(OSError):
        doomed += [
            partial
            for partial in backup_dir(db_file).glob(f"{db_file.stem}-*.db.partial")
            if partial.stat().st_mtime < cutoff
        ]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def daily_backup(db_file: Path, now: datetime | None = None) -> Path | None:
    """At most one backup a (UTC) calendar day, at start; keeps the newest `BACKUPS_KEPT`.

    Returns the new backup, or None when today's exists or the backup failed: a failed
    backup (full disk, read-only folder) must never keep the learner from studying.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    backups = list_backups(db_file)
    if backups and backups[-1].taken_at.date() >= moment.date():
        return None
    try:
        made = make_backup(db_file, now=moment)
        prune_backups(db_file, now=moment)
    except (OSError, sqlite3.Error):
        return None
    return made


def daily_backup_of(store: Store, now: datetime | None = None) -> Path | None:
    """`daily_backup` of an open store's file; nothing for in-memory or non-SQLite stores."""
    from quizapp.storage.engine import sqlite_file

    db_file = sqlite_file(store.engine.url)
    if db_file is None or not db_file.is_file():
        return None
    return daily_backup(db_file, now)


def backup_before_migration(db_file: Path, revision: str | None) -> Path:
    """The copy taken before migrating `db_file` from `revision`; QuizappError if impossible."""
    try:
        return make_backup(db_file, reason=f"before-migration-{revision or 'none'}")
    except (OSError, sqlite3.Error) as error:
        raise QuizappError(
            f"cannot back up {db_file} before upgrading its schema ({error}); nothing was changed"
        ) from None


# --- checking a database file --------------------------------------------------------------


def check_database(path: Path, shown: str | None = None) -> CheckedDatabase:
    """Check that `path` is a healthy quizapp database of a schema this quizapp knows.

    Opens the file read-write, so give it a private copy (as `run_restore` does).
    Raises QuizappError with the reason otherwise.
    """
    from alembic.script import ScriptDirectory

    from quizapp.storage.engine import SQLITE_MAGIC
    from quizapp.storage.schema import alembic_config

    name = shown or str(path)
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise QuizappError(f"{name} is not a quizapp database (not an SQLite file)")
    try:
        with contextlib.closing(_connect(path)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                detail = " ".join(
                    " ".join(problems).replace("*** in database main ***", "").split()
                )
                raise QuizappError(f"{name} is damaged (integrity check: {detail[:200]})")
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" not in tables:
                raise QuizappError(f"{name} is not a quizapp database (no schema version)")
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = found[0] if found else None
            script = ScriptDirectory.from_config(alembic_config())
            if revision not in {rev.revision for rev in script.walk_revisions()}:
                raise QuizappError(
                    f"{name} was written by a newer quizapp (schema {revision}, this quizapp "
                    f"knows up to {script.get_current_head()}); upgrade quizapp to use it"
                )
            missing = REQUIRED_TABLES - tables
            if missing:
                raise QuizappError(
                    f"{name} is not a quizapp database (missing {', '.join(sorted(missing))})"
                )
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise QuizappError(f"{name} is damaged: rows point at cards that do not exist")
            reviews = conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise QuizappError(
            f"{name} is not a quizapp database (or it is damaged): {error}"
        ) from None
    return CheckedDatabase(revision=revision, reviews=reviews)


# --- the commands --------------------------------------------------------------------------


def _db_file(ctx: AppContext, verb: str) -> Path:
    from quizapp.storage.engine import database_url, sqlite_file

    path = sqlite_file(database_url(ctx.db))
    if path is None:
        raise QuizappError(f"{verb} works on a SQLite database file; {ctx.db!r} is not one")
    return path


def run_backup(ctx: AppContext, out: TextIO) -> int:
    """`quizapp backup`: back up the database now and print the backup's path."""
    from quizapp.storage.engine import open_store

    db_file = _db_file(ctx, "backup")
    if not db_file.is_file():
        raise QuizappError(f"there is no database at {db_file} yet: nothing to back up")
    open_store(str(db_file)).close()  # refuses what is not a quizapp database we know
    try:
        made = make_backup(db_file)
        prune_backups(db_file)
    except (OSError, sqlite3.Error) as error:
        raise QuizappError(f"the backup of {db_file} failed: {error}") from None
    out.write(f"{made}\n")
    return 0


@contextlib.contextmanager
def _staged_copy(file: Path, folder: Path) -> Iterator[Path]:
    """A private copy of `file` in `folder`, read through SQLite (read-only), removed after.

    Nothing here opens `file` but SQLite: a byte copy could miss its WAL, and closing any
    other descriptor of a database drops the SQLite locks of whoever holds them.
    """
    staged = folder / f".restore-{os.getpid()}.db"
    extras = ("", "-wal", "-shm", "-journal")
    for extra in extras:
        Path(f"{staged}{extra}").unlink(missing_ok=True)
    _owner_only_file(staged)
    try:
        try:
            with (
                contextlib.closing(
                    sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
                ) as src,
                contextlib.closing(_connect(staged)) as dst,
            ):
                src.backup(dst)
        except sqlite3.DatabaseError as error:
            if "not a database" in str(error):
                raise QuizappError(
                    f"{file} is not a quizapp database (not an SQLite file)"
                ) from None
            if isinstance(error, sqlite3.OperationalError):
                raise
            raise QuizappError(f"{file} is damaged ({error})") from None
        yield staged
    finally:
        for extra in extras:
            Path(f"{staged}{extra}").unlink(missing_ok=True)


class _InUse(Exception):
    """Another connection (another quizapp) has the database open."""


@contextlib.contextmanager
def _sole_connection(db_file: Path) -> Iterator[sqlite3.Connection | None]:
    """A connection that holds `db_file` exclusively, or None when SQLite cannot read it.

    In WAL mode every open connection keeps a shared lock on the database file for as long
    as it is open, idle or not; so an exclusive lock, taken through SQLite with a short
    wait, is proof that no other quizapp has the file open, and keeps any other out until
    the restore is done (they wait on their busy timeout). Raises `_InUse` if it cannot be
    had. The kept copy and the replacement are then made on this one connection, so no
    answer can land between the two.
    """
    conn = sqlite3.connect(
        f"{db_file.as_uri()}?mode=rw", uri=True, timeout=_LOCK_WAIT_S, isolation_level=None
    )
    try:
        try:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("COMMIT")  # the lock stays: locking_mode is EXCLUSIVE
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise _InUse from None
            raise
        except sqlite3.DatabaseError:
            yield None  # not a database, or damaged: moved aside, never opened by hand
            return
        yield conn
    finally:
        conn.close()


def _move_aside(db_file: Path) -> Path:
    """Rename a database SQLite cannot read to a before-restore backup (its bytes kept;
    renamed, not copied: nothing opens it)."""
    target = _target(db_file, datetime.now(UTC), "before-restore")
    os.replace(db_file, target)
    os.chmod(target, 0o600)
    for extra in ("-wal", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.replace(f"{db_file}{extra}", f"{target}{extra}")
    Path(f"{db_file}-shm").unlink(missing_ok=True)
    return target


def _put_in_place(staged: Path, db_file: Path) -> None:
    """A compacted copy of `staged`, renamed to `db_file` (where no database is now)."""
    fresh = db_file.with_name(f".{db_file.name}.restoring")
    for leftover in (fresh, fresh.with_name(fresh.name + ".partial")):
        leftover.unlink(missing_ok=True)
    try:
        copy_database(staged, fresh)
        os.replace(fresh, db_file)
    finally:
        fresh.unlink(missing_ok=True)


def _restore_over(staged: Path, db_file: Path) -> Path | None:
    """Keep the current database as a backup and put `staged` in its place; returns the
    kept copy (None if there was no database). Raises `_InUse` if another has it open."""
    if not db_file.exists():
        _put_in_place(staged, db_file)
        return None
    with _sole_connection(db_file) as conn:
        if conn is None:
            kept = _move_aside(db_file)
            _put_in_place(staged, db_file)
            return kept
        kept = _target(db_file, datetime.now(UTC), "before-restore")
        _copy_from(conn, kept)
        with contextlib.closing(_connect(staged)) as src:
            src.backup(conn)
        return kept


def run_restore(ctx: AppContext, file: Path, out: TextIO) -> int:
    """`quizapp restore FILE`: check FILE, keep the current database as a backup, replace it.

    FILE is only read, by SQLite in read-only mode, into a private copy that is checked and
    restored from, so it is left exactly as it was whatever happens. Restore refuses while
    another quizapp has the database open (see `_sole_connection`).
    """
    db_file = _db_file(ctx, "restore")
    if not file.is_file():
        raise QuizappError(f"{file}: no such file", exit_code=2)
    if db_file.exists() and file.resolve() == db_file.resolve():
        raise QuizappError(f"{file} is the current database: nothing to restore")
    try:
        db_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _staged_copy(file, db_file.parent) as staged:
            checked = check_database(staged, shown=str(file))
            kept = _restore_over(staged, db_file)
        os.chmod(db_file, 0o600)
    except _InUse:
        raise QuizappError(
            f"another quizapp has {db_file} open (a study session or a command); "
            "quit it and run restore again. Nothing was changed"
        ) from None
    except OSError as error:
        raise QuizappError(f"cannot restore {file}: {error.strerror or error}") from None
    except sqlite3.Error as error:
        raise QuizappError(f"cannot restore {file}: {error}") from None
    out.write(f"Restored {db_file} from {file} ({checked.reviews} reviews).\n")
    if kept is not None:
        out.write(f"The previous database is kept as {kept}\n")
    return 0
