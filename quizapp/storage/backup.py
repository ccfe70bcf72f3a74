"""Backups of the progress database: daily at start, on demand, before migrations and restores.

A backup is a compact, self-contained copy made with SQLite's online backup API (safe while
another quizapp is writing), then VACUUMed, in rollback-journal mode so it is one file, and
checked (`PRAGMA quick_check`: a damaged database never makes a "backup"). It is written to a
`.partial` file first and renamed into place, so a crash never leaves half a backup under a
backup's name. Files are readable by their owner only (0600), in a folder only the owner can
enter (0700).

Backups live in a `backups` folder next to the database file: for the default database that
is `<user data dir>/backups/`. Names carry the database's name and the UTC time,
`quizapp-2026-11-28T15-19-00Z.db`; those of the `BACKUPS_KEPT` most recent days are kept (a
day after today, a wrong clock's, counts as the oldest). Backups made before a migration or a
restore get a suffix (`...Z-before-migration-0001.db`, `...Z-before-restore.db`) and are
never deleted by quizapp, except that a new copy before the same migration replaces the old.

One process at a time writes a database's backups: it holds a lock on the backups folder
(`_backup_lock`), so five quizapps started at once make one daily backup, and whatever is
found half-written under that lock was left by a killed process and is removed. Ctrl-C and
SIGTERM remove the temporary files on the way out (`files.terminate_as_exit`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from quizapp.errors import QuizappError
from quizapp.files import pid_alive, terminate_as_exit
from quizapp.storage.backup_names import (
    BACKUP_FOLDER,
    STAMP_FORMAT,
    STAMP_PATTERN,
    Backup,
    all_backups,
    backup_dir,
    list_backups,
    matching_backups,
    named_pattern,
)
from quizapp.storage.quickstart import BUSY_TIMEOUT_MS

if TYPE_CHECKING:
    from quizapp.context import AppContext
    from quizapp.storage.engine import Store

BACKUPS_KEPT = 7
"""Rotating backups are kept for this many of the most recent days that have one."""
_TIMEOUT_S = BUSY_TIMEOUT_MS / 1000
"""The busy timeout of the backups' own connections: quizapp's (`quickstart.configure`)."""
_LOCK_WAIT_S = 1.0
"""How long restore waits for other quizapps to let go of the database before it refuses."""
LOCK_WAIT_S = 60.0
"""How long a backup waits for another quizapp's backup of the same database to finish."""
_SQLITE_EXTRAS = ("-journal", "-wal", "-shm")


@dataclass(frozen=True, slots=True)
class CheckedDatabase:
    """What `check_database` found in a healthy quizapp database file."""

    revision: str
    reviews: int


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


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only SQLite connection: never creates the file, never changes a byte of it."""
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=_TIMEOUT_S, isolation_level=None
    )


def _remove_with_extras(path: Path) -> None:
    for extra in ("", *_SQLITE_EXTRAS):
        Path(f"{path}{extra}").unlink(missing_ok=True)


# --- temporary files: gone on Ctrl-C and SIGTERM, and after a SIGKILL at the next run --------


def _clean_leftovers(db_file: Path) -> list[Path]:
    """Remove what a killed quizapp left: half-written backups (`.partial`, with SQLite's
    `-journal`) of `db_file`, and restore copies (`.restore-PID.db`) of dead processes.

    Called with the backup lock held (`_backup_lock`), so no backup is being written.
    """
    partial = re.compile(
        rf"^{re.escape(db_file.stem)}-{STAMP_PATTERN}.*\.db\.partial(?:-journal|-wal|-shm)?$"
    )
    return _remove_matching(backup_dir(db_file), partial.match) + _clean_restore_copies(db_file)


_RESTORE_COPY = re.compile(r"^\.restore-(\d+)\.db(?:-journal|-wal|-shm)?$")


def _clean_restore_copies(db_file: Path) -> list[Path]:
    """Remove the `.restore-PID.db` copies next to `db_file` of processes no longer alive."""

    def stale(name: str) -> bool:
        match = _RESTORE_COPY.match(name)
        return match is not None and not pid_alive(int(match[1]))

    return _remove_matching(db_file.parent, stale)


def _remove_matching(folder: Path, doomed: Callable[[str], object]) -> list[Path]:
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if doomed(entry.name):
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


@contextlib.contextmanager
def _backup_lock(db_file: Path, *, wait: bool) -> Iterator[bool]:
    """Hold the lock on backing up `db_file` (one writer of its backups at a time).

    Yields False at once when another process holds it and `wait` is False. The lock is
    taken on the backups folder itself (never on the database: see `storage.engine`), so it
    leaves no file behind; the kernel drops it when the holder dies, however it dies.
    """
    folder = backup_dir(db_file)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no flock; backups are made unlocked, leftovers stay
        yield True
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    yield False
                    return
                if time.monotonic() >= deadline:
                    raise OSError(
                        errno.EBUSY, "another quizapp has been backing it up for a minute"
                    ) from None
                time.sleep(0.05)
        _clean_leftovers(db_file)
        yield True
    finally:
        os.close(fd)


# --- making backups ----------------------------------------------------------------------


def copy_database(source: Path, target: Path) -> None:
    """Copy the SQLite database `source` to the file `target` (0600), compacted.

    Uses the online backup API, so the copy is consistent even while another process
    writes; `target` appears only once complete (written as `.partial`, then renamed), and
    only if SQLite finds the copy sound and every date in it readable: a damaged database
    never makes a "backup" (one that restore would refuse).
    """
    with contextlib.closing(_connect(source)) as src:
        _copy_from(src, target)


def _copy_from(src: sqlite3.Connection, target: Path) -> None:
    """`copy_database` from an open connection (restore's, which holds the file's lock)."""
    from quizapp.storage.schema import unreadable_values

    partial = target.with_name(target.name + ".partial")
    with terminate_as_exit():
        _owner_only_file(partial)
        try:
            with contextlib.closing(_connect(partial)) as dst:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
                dst.execute("VACUUM")
                problems = [row[0] for row in dst.execute("PRAGMA quick_check")]
                if problems != ["ok"]:
                    raise sqlite3.DatabaseError("database disk image is malformed")
                unreadable = unreadable_values(lambda sql: dst.execute(sql).fetchall())
                if unreadable is not None:
                    raise sqlite3.DatabaseError(f"the copy is damaged: {unreadable}")
            _fsync(partial)
            os.replace(partial, target)
            _fsync(target.parent)
        except BaseException:
            _remove_with_extras(partial)
            raise


def _make(db_file: Path, now: datetime | None, reason: str | None) -> Path:
    target = _target(db_file, now or datetime.now(UTC), reason)
    copy_database(db_file, target)
    return target


def make_backup(db_file: Path, *, now: datetime | None = None, reason: str | None = None) -> Path:
    """Back up `db_file` now; returns the backup's path. Raises OSError or sqlite3.Error."""
    with _backup_lock(db_file, wait=True):
        return _make(db_file, now, reason)


def _newest_days(backups: list[Backup], today: date, keep: int) -> set[date]:
    """The `keep` most recent days that have a backup; days after `today` count as oldest."""
    days = sorted({b.taken_at.date() for b in backups if b.taken_at.date() <= today})
    future = sorted({b.taken_at.date() for b in backups if b.taken_at.date() > today})
    ranked = list(reversed(days)) + future
    return set(ranked[:keep])


def prune_backups(
    db_file: Path, keep: int = BACKUPS_KEPT, now: datetime | None = None
) -> list[Path]:
    """Delete the rotating backups of all but the `keep` most recent days, and what killed
    backups and restores left behind; returns what was deleted."""
    with _backup_lock(db_file, wait=True):
        return _prune(db_file, keep, now)


def _prune(db_file: Path, keep: int, now: datetime | None) -> list[Path]:
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    backups = list_backups(db_file)
    kept_days = _newest_days(backups, today, keep)
    doomed = [b.path for b in backups if b.taken_at.date() not in kept_days]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def daily_backup(db_file: Path, now: datetime | None = None) -> Path | None:
    """At most one backup a (UTC) calendar day, at start; keeps `BACKUPS_KEPT` days of them.

    Returns the new backup, or None when today's exists, another quizapp is making it right
    now, or the backup failed: a failed backup (full disk, read-only folder, a damaged
    database) must never keep the learner from studying. A backup dated after today (the
    clock was wrong once) is not today's.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    try:
        with _backup_lock(db_file, wait=False) as locked:
            if not locked:
                return None
            if any(b.taken_at.date() == moment.date() for b in list_backups(db_file)):
                return None
            made = _make(db_file, moment, None)
            _prune(db_file, BACKUPS_KEPT, moment)
            return made
    except (OSError, sqlite3.Error):
        return None


def daily_backup_of(store: Store, now: datetime | None = None) -> Path | None:
    """`daily_backup` of an open store's file; nothing for in-memory or non-SQLite stores."""
    from quizapp.storage.urls import sqlite_file

    db_file = sqlite_file(store.engine.url)
    if db_file is None or not db_file.is_file():
        return None
    return daily_backup(db_file, now)


def _progress(path: Path) -> tuple[object, ...]:
    """A cheap fingerprint of the progress in a quizapp database (its answers and states)."""
    with contextlib.closing(_connect_read_only(path)) as conn:
        return (
            *conn.execute("SELECT count(*), max(id), total(id) FROM review_log").fetchone(),
            *conn.execute("SELECT count(*), max(last_review) FROM card_state").fetchone(),
        )


def backup_before_migration(db_file: Path, revision: str | None) -> Path:
    """The copy taken before migrating `db_file` from `revision`; QuizappError if impossible.

    One per schema step: an attempt that was interrupted (Ctrl-C, a crash) or refused left
    its copy, and the next attempt keeps using it while the progress in the database is the
    same, or replaces it with a fresh one.
    """
    reason = f"before-migration-{revision or 'none'}"
    try:
        with _backup_lock(db_file, wait=True):
            earlier = [
                b.path for b in matching_backups(db_file, named_pattern(db_file, f"-{reason}"))
            ]
            if earlier:
                with contextlib.suppress(sqlite3.Error):
                    if _progress(earlier[-1]) == _progress(db_file):
                        return earlier[-1]
            made = _make(db_file, None, reason)
            for old in earlier:
                old.unlink(missing_ok=True)
            return made
    except (OSError, sqlite3.Error) as error:
        raise QuizappError(
            f"cannot back up {db_file} before upgrading its schema "
            f"({failure_text(error, backup_dir(db_file))}); nothing was changed"
        ) from None


def failure_text(error: BaseException, folder: Path) -> str:
    """Why writing a copy into `folder` failed, in words."""
    from quizapp.storage.dberrors import reason

    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return "the disk is full; free some space and try again"
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return f"the folder {folder} is read-only; make it writable and try again"
        return error.strerror or str(error)
    said = reason(error)
    if "read-only" in said:
        return f"the folder {folder} is read-only; make it writable and try again"
    if said == "the disk is full":
        return "the disk is full; free some space and try again"
    return said


# --- checking a database file --------------------------------------------------------------


def check_database(path: Path, shown: str | None = None) -> CheckedDatabase:
    """Check that `path` is a healthy quizapp database of a schema this quizapp knows, with
    nothing in it that quizapp did not create: no view, trigger, index or table of anyone
    else's (a trigger in a "backup" could delete the history on every answer afterwards).

    Opens the file through SQLite alone, read-write: give it a private copy (as
    `run_restore` does). Raises QuizappError with the reason.
    """
    from quizapp.storage.schema import (
        classify,
        expected_layout,
        read_layout,
        refusal,
        unreadable_values,
    )

    name = shown or str(path)
    try:
        with contextlib.closing(_connect(path)) as conn:
            conn.execute("PRAGMA schema_version").fetchone()
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                detail = " ".join(
                    " ".join(problems).replace("*** in database main ***", "").split()
                )
                raise QuizappError(f"{name} is damaged (integrity check: {detail[:200]})")

            def query(sql: str) -> list[tuple[object, ...]]:
                return conn.execute(sql).fetchall()

            layout = read_layout(query)
            recorded = []
            if "alembic_version" in layout.tables:
                recorded = [str(row[0]) for row in query("SELECT version_num FROM alembic_version")]
            status = classify(layout, recorded)
            refused = refusal(status, name, "choose another backup", instead="")
            if refused is not None:
                raise refused
            assert status.revision is not None
            expected = expected_layout(status.revision)
            foreign = sorted(layout.objects - expected.objects)
            if foreign:
                listed = ", ".join(f"{kind} {obj}" for kind, obj in foreign[:8])
                raise QuizappError(
                    f"{name} holds schema objects quizapp did not create ({listed}); "
                    "quizapp restores only its own databases"
                )
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise QuizappError(f"{name} is damaged: rows point at cards that do not exist")
            bad = unreadable_values(query)
            if bad:
                raise QuizappError(f"{name} is damaged: {bad}")
            reviews = conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            raise QuizappError(f"{name} is not a quizapp database (not an SQLite file)") from None
        raise QuizappError(
            f"{name} is not a quizapp database (or it is damaged): {error}"
        ) from None
    return CheckedDatabase(revision=status.revision, reviews=reviews)


# --- the commands --------------------------------------------------------------------------


def db_file_of(ctx: AppContext, verb: str) -> Path:
    from quizapp.storage.urls import database_url, sqlite_file

    path = sqlite_file(database_url(ctx.db))
    if path is None:
        raise QuizappError(f"{verb} works on a SQLite database file; {ctx.db!r} is not one")
    return path


def file_kind(path: Path) -> str | None:
    """What `path` is when it is not a regular file (after links): None for a file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        return error.strerror or str(error)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@contextlib.contextmanager
def _staged_copy(file: Path, folder: Path) -> Iterator[Path]:
    """A private copy of `file` in `folder`, read through SQLite (read-only), removed after
    (on Ctrl-C and SIGTERM too; one a SIGKILL left is removed by the next backup or restore).

    Nothing here opens `file` but SQLite: a byte copy could miss its WAL, and closing any
    other descriptor of a database drops the SQLite locks of whoever holds them.
    """
    staged = folder / f".restore-{os.getpid()}.db"
    with terminate_as_exit():
        _remove_with_extras(staged)
        try:
            _owner_only_file(staged)
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
            _remove_with_extras(staged)


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
        if conn is not None:
            kept = _target(db_file, datetime.now(UTC), "before-restore")
            try:
                _copy_from(conn, kept)
            except sqlite3.DatabaseError as error:
                if isinstance(error, sqlite3.OperationalError):
                    raise
                # Damaged: no copy of it can be made; it is moved aside below, bytes kept.
            else:
                with contextlib.closing(_connect(staged)) as src:
                    src.backup(conn)
                return kept
    kept = _move_aside(db_file)
    _put_in_place(staged, db_file)
    return kept


def run_restore(ctx: AppContext, file: Path, out: TextIO) -> int:
    """`quizapp restore FILE`: check FILE, keep the current database as a backup, replace it.

    FILE is only read, by SQLite in read-only mode, into a private copy that is checked and
    restored from, so it is left exactly as it was whatever happens. Restore refuses while
    another quizapp has the database open (see `_sole_connection`).
    """
    db_file = db_file_of(ctx, "restore")
    kind = file_kind(file)
    if kind == "missing":
        raise QuizappError(f"{file}: no such file", exit_code=2)
    if kind is not None:
        raise QuizappError(
            f"{file} is {kind}, not a backup file: give the path of a backup "
            f"(they are in {backup_dir(db_file)})",
            exit_code=2,
        )
    if db_file.exists() and file.resolve() == db_file.resolve():
        raise QuizappError(f"{file} is the current database: nothing to restore")
    _clean_restore_copies(db_file)
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
    except (OSError, sqlite3.Error) as error:
        why = failure_text(error, db_file.parent)
        raise QuizappError(f"cannot restore {file}: {why}") from None
    out.write(f"Restored {db_file} from {file} ({checked.reviews} reviews).\n")
    if kept is not None:
        out.write(f"The previous database is kept as {kept}\n")
    return 0


__all__ = [
    "BACKUPS_KEPT",
    "BACKUP_FOLDER",
    "STAMP_FORMAT",
    "Backup",
    "CheckedDatabase",
    "all_backups",
    "backup_before_migration",
    "backup_dir",
    "check_database",
    "copy_database",
    "daily_backup",
    "daily_backup_of",
    "db_file_of",
    "failure_text",
    "file_kind",
    "list_backups",
    "make_backup",
    "prune_backups",
    "run_restore",
]
