"""Files quizapp reads are what they claim, with a size cap; folders it makes are owner-only.

A name can point at anything: a FIFO makes a plain `open()` wait forever, `/dev/zero` or
`/dev/urandom` read until memory runs out, a folder fails half-way. Every file quizapp reads
(decks, notes, config.toml, a deck to merge into) goes through `read_capped`: the path must be
a regular file after following links, it is opened without blocking and checked again on the
open descriptor, and at most `limit` bytes are read. Anything else is one `NotARegularFile`
error that names the path and what it is.

`describe` and `check_regular` only stat, never open: they are what the progress database gets
before SQLite opens it (closing any descriptor of a database drops SQLite's locks on it).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

from quizapp.errors import QuizappError
from quizapp.textsafe import shown

KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotARegularFile(QuizappError):
    """A path that is not a regular file, or one too big to read; the message says which."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message, 2)
        self.reason = reason
        """What is wrong without the path: "is a FIFO (named pipe), not a file"."""


def _refused(path: Path | str, reason: str) -> NotARegularFile:
    return NotARegularFile(f"{shown(path)} {reason}", reason)


def describe(mode: int) -> str:
    """What a file of this `st_mode` is, in words: 'a folder', 'a FIFO (named pipe)', ..."""
    for test, words in KINDS:
        if test(mode):
            return words
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def _size(count: int) -> str:
    return f"{count / 1_000_000:g} MB" if count >= 1_000_000 else f"{count} bytes"


def check_regular(path: Path | str, what: str) -> os.stat_result:
    """The stat of `path` (links followed) when it is a regular file; FileNotFoundError (and
    other OSErrors) as `os.stat` raises them; `NotARegularFile` naming what it is otherwise."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise _refused(path, f"is {describe(info.st_mode)}, not {what}")
    return info


def read_capped(path: Path | str, limit: int, what: str) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them (see the module docstring).

    `what` says what the file should be, in messages: "a notes file", "a deck file".
    FileNotFoundError and other OSErrors come through as they are, for the caller to word.
    """
    check_regular(path, what)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)  # the file opened, which may not be the one stat saw
        if not stat.S_ISREG(info.st_mode):
            raise _refused(path, f"is {describe(info.st_mode)}, not {what}")
        if info.st_size > limit:
            raise _refused(path, f"is {_size(info.st_size)}: {what} may be {_size(limit)} at most")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise _refused(path, f"is over {_size(limit)}: {what} may be {_size(limit)} at most")
        return b"".join(chunks)
    finally:
        os.close(fd)


_SQLITE_URL = re.compile(r"sqlite(?:\+\w+)?:///([^?]+)")
DATABASE_COMPANIONS = ("-wal", "-shm", "-journal")
"""The files SQLite keeps next to a database: never to be overwritten by an export or draft."""


def database_path(db: str) -> Path | None:
    """The file of `--db` (a path or a `sqlite:///` URL); None for another kind of URL."""
    match = _SQLITE_URL.fullmatch(db)
    if match is not None:
        return Path(match.group(1))
    if "://" in db or re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", db):
        return None
    return Path(db).expanduser()


def check_database_path(db: str) -> None:
    """Refuse a progress database (or its -wal, -shm, -journal) that exists and is not a
    regular file: SQLite would wait forever on a FIFO. Only stat, never open (see above)."""
    path = database_path(db)
    if path is None:
        return
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in DATABASE_COMPANIONS)):
        try:
            mode = os.stat(candidate).st_mode
        except OSError:
            continue  # missing: SQLite creates it; unreadable: SQLite says so
        if not stat.S_ISREG(mode):
            raise QuizappError(
                f"the progress database {shown(candidate)} is {describe(mode)}, "
                "not a database file (see --db and QUIZAPP_DB)",
                2,
            )


SQLITE_HEADER = b"SQLite format 3\x00"
BACKUPS_FOLDER = "backups"  # storage.backup.BACKUP_FOLDER; not imported: storage is heavy


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _starts_with(path: Path, header: bytes) -> bool:
    """Whether the regular file starts with `header` (read without blocking; False if not)."""
    try:
        return read_capped_head(path, len(header)) == header
    except (OSError, QuizappError):
        return False


def read_capped_head(path: Path, count: int) -> bytes:
    """The first `count` bytes of a regular file (the checks of `read_capped`)."""
    check_regular(path, "a file")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, count)
    finally:
        os.close(fd)


def progress_file_reason(output: Path, db: str) -> str | None:
    """Why writing `output` would destroy progress, or None: it is the progress database, one
    of its -wal/-shm/-journal files (existing or not), in its backups folder, or any SQLite
    database. Only stat (and, for a file that is not the database, its first 16 bytes)."""
    database = database_path(db)
    real = Path(os.path.realpath(output))
    if database is not None:
        if _same(output, database):
            return "is the progress database"
        real_db = os.path.realpath(database)
        for suffix in DATABASE_COMPANIONS:
            if str(real) == real_db + suffix or _same(output, Path(f"{database}{suffix}")):
                return f"is the progress database's {suffix[1:]} file"
        backups = Path(real_db).parent / BACKUPS_FOLDER
        if real.is_relative_to(backups):
            return "is in the folder of progress backups"
    if _starts_with(output, SQLITE_HEADER):
        return "is an SQLite database"
    return None


def is_anki_package(path: Path) -> bool:
    """Whether `path` is a regular file that is a zip holding an Anki collection."""
    import zipfile

    try:
        check_regular(path, "a file")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except (OSError, QuizappError):
        return False
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return False
        try:
            with zipfile.ZipFile(handle) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            return False
    return bool(names & {"collection.anki2", "collection.anki21", "collection.anki21b"})


def output_problem(output: Path, db: str, *, kind: str, replaces: str) -> str | None:
    """Why `output` must not be written, or None. `replaces` says which existing files may be
    replaced: "apkg" (only an Anki package), "any" (a regular file: `draft --force`) or
    "none" (`draft` without --force)."""
    reason = progress_file_reason(output, db)
    if reason is not None:
        return f"{shown(output)} {reason}: not overwritten"
    try:
        mode = os.stat(output).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot write {shown(output)}: {error.strerror or error}"
    if not stat.S_ISREG(mode):
        return f"{shown(output)} is {describe(mode)}, not {kind}: not overwritten"
    if replaces == "apkg" and not is_anki_package(output):
        return (
            f"{shown(output)} exists and is not an Anki package (.apkg): not overwritten; "
            "remove it or choose another name"
        )
    if replaces == "none":
        return (
            f"{shown(output)} exists: not overwritten; add --force to replace it, or use "
            f"--merge {shown(output)} to keep its cards and add the new ones"
        )
    return None


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """SIGTERM (and SIGHUP) raise SystemExit inside the block, so `finally` clauses remove
    temporary files as they do on Ctrl-C; outside the main thread this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(number: int, _frame: object) -> None:
        raise SystemExit(128 + number)

    previous = {
        number: signal.signal(number, leave)
        for number in (signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM))
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def make_private_dirs(folder: Path) -> None:
    """`mkdir -p` where every folder created is 0700 whatever the umask (existing ones are
    left as they are: they may be the user's own, like ~/.cache)."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(path, 0o700)  # mkdir's mode is masked by the umask only downwards; be exact


__all__ = ["NotARegularFile", "check_regular", "describe", "make_private_dirs", "read_capped"]
