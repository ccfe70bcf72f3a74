"""Writing an AnkiPackage to disk: the collection, our notes and scheduling, one rename.

`collection.create_collection` makes the schema-11 collection (tables, the `col` row with
config, note types and decks), with a creation day and timing config Anki's importer can
shift due dates from (see `quizapp.export.schedule`). The builder's `NoteRow`s are inserted
in bulk, a new card each, or a review card with its columns for a studied item; the revlog is
streamed in. Note and card ids come from one counter starting at the export time in ms. The
collection is built in a temporary file, so a long history never sits in memory; the .apkg is
written to another temporary file next to the target and renamed over it, so a failure or an
interrupt never leaves a half-written package.
"""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from quizapp.export.builder import AnkiPackage
from quizapp.export.collection import create_collection, deck_json
from quizapp.export.schedule import (
    CARD_TYPE_REVIEW,
    COLLECTION_CREATED,
    QUEUE_REVIEW,
    CardSchedule,
    epoch_ms,
)
from quizapp.files import pid_alive

_USN = -1
"""The update sequence number of new objects: -1, "to be synced"."""


@dataclass(frozen=True, slots=True)
class DeckCounts:
    anki_id: int
    notes: int
    cards: int


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What the written package holds, counted in its collection."""

    path: Path
    decks: dict[int, DeckCounts]
    notes: int
    cards: int
    review_cards: int
    revlog_rows: int


_TEMPORARY_RE = re.compile(r"\..+\.(\d+)\.[A-Za-z0-9_]+\.(?:anki2|part)")
"""Our temporary files: `.NAME.PID.RANDOM.anki2` (the collection) and `.part` (the zip)."""


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}.{os.getpid()}."


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files a killed export left in `folder` (their process is gone);
    return them. A running export's files are left alone: its PID is alive."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _TEMPORARY_RE.fullmatch(name)
        if match is None or pid_alive(int(match.group(1))):
            continue
        try:
            (folder / name).unlink()
        except OSError:
            continue
        removed.append(folder / name)
    return removed


def write_package(package: AnkiPackage, path: Path, *, private: bool = False) -> WriteReport:
    """Write `package` as the .apkg `path` (replacing it); raises OSError if that fails.

    `private` (a package with progress: every typed answer) makes the file 0600 whatever the
    umask. Temporary files are owner-only, removed on failure, Ctrl-C and SIGTERM (see
    `files.terminate_as_exit`); those of a killed export go at the next one.
    """
    remove_stale_temporaries(path.parent)
    fd, name = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".anki2", dir=path.parent)
    os.close(fd)
    collection = Path(name)
    try:
        db = sqlite3.connect(collection)
        try:
            # A scratch file: nothing to recover if this process dies while writing it.
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            report = _fill_collection(db, package, path)
        except sqlite3.Error as error:  # e.g. "database or disk is full"
            raise OSError(f"cannot build the collection ({error})") from error
        finally:
            db.close()
        _write_atomically(path, collection, 0o600 if private else _file_mode(path))
    finally:
        collection.unlink(missing_ok=True)
    return report


def _fill_collection(db: sqlite3.Connection, package: AnkiPackage, path: Path) -> WriteReport:
    cursor = db.cursor()
    now_ms = epoch_ms(package.now)
    ids = itertools.count(now_ms)
    # A v2-scheduler collection created on COLLECTION_CREATED_DATE (UTC), whose day starts at
    # the learner's rollover hour: Anki then counts its "today" exactly like quizapp's study day.
    create_collection(
        cursor,
        created=COLLECTION_CREATED,
        mod_ms=now_ms,
        config={"schedVer": 2, "rollover": package.rollover_hour, "creationOffset": 0},
        note_types=package.note_types,
        decks=[
            deck_json(deck.anki_id, deck.name, deck.description, now_ms // 1000)
            for deck in package.decks
        ],
    )
    card_ids, review_cards = _insert_notes(cursor, package, now_ms // 1000, ids)
    revlog_rows = _insert_revlog(cursor, package, card_ids)
    decks = {
        did: DeckCounts(did, notes, cards)
        for did, notes, cards in cursor.execute(
            "SELECT did, COUNT(DISTINCT nid), COUNT(*) FROM cards GROUP BY did"
        )
    }
    (notes,) = cursor.execute("SELECT COUNT(*) FROM notes").fetchone()
    (cards,) = cursor.execute("SELECT COUNT(*) FROM cards").fetchone()
    db.commit()
    return WriteReport(path, decks, notes, cards, review_cards, revlog_rows)


def _insert_notes(
    cursor: sqlite3.Cursor, package: AnkiPackage, mod: int, ids: Iterator[int]
) -> tuple[dict[tuple[str, int], int], int]:
    """Every note and its cards, their ids from `ids` (a note's id, then its cards' ids).

    Returns the card id of each (note GUID, ordinal) and how many cards are review cards.
    """
    schedules: dict[tuple[str, int], CardSchedule] = {
        (schedule.guid, schedule.ord): schedule for schedule in package.schedules
    }
    notes: list[tuple[object, ...]] = []
    cards: list[tuple[object, ...]] = []
    card_ids: dict[tuple[str, int], int] = {}
    for deck, rows in zip(package.decks, package.note_rows, strict=True):
        did = deck.anki_id
        for note in rows:
            note_id = next(ids)
            row = (note_id, note.guid, note.model_id, mod, _USN, note.tags, note.fields)
            notes.append((*row, note.sort_field))
            for ord_ in note.ords:
                card_id = card_ids[(note.guid, ord_)] = next(ids)
                s = schedules.get((note.guid, ord_))
                if s is None:  # new: type 0, queue 0, due = its new-card position
                    state = (0, 0, note.due, 0, 0, 0, 0)
                else:
                    kind = (CARD_TYPE_REVIEW, QUEUE_REVIEW, s.due)
                    state = (*kind, s.ivl, s.factor, s.reps, s.lapses)
                data = s.data if s is not None else ""  # FSRS memory state, as Anki keeps it
                cards.append((card_id, note_id, did, ord_, mod, _USN, *state, data))
    # csum (the first field's checksum) 0: Anki's importer computes it again.
    cursor.executemany(
        "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, '')",
        notes,
    )
    cursor.executemany(
        "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps,"
        " lapses, left, odue, odid, flags, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?)",
        cards,
    )
    review_cards = sum(1 for key in schedules if key in card_ids)
    return card_ids, review_cards


def _insert_revlog(
    cursor: sqlite3.Cursor, package: AnkiPackage, card_ids: dict[tuple[str, int], int]
) -> int:
    """Stream the package's revlog into the collection; the number of rows written."""
    written = 0

    def rows() -> Iterator[tuple[int, ...]]:
        nonlocal written
        for r in package.revlog:
            card_id = card_ids.get((r.guid, r.ord))
            if card_id is not None:  # a cloze deletion the card no longer has
                written += 1
                yield (r.id, card_id, _USN, r.ease, r.ivl, r.last_ivl, r.factor, r.time, r.type)

    # Filling the table, then indexing it, is twice as fast as updating its indexes row by row.
    indexes = cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'revlog'"
        " AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    for _, sql in indexes:
        cursor.execute(sql)
    return written


def _write_atomically(path: Path, collection: Path, mode: int) -> None:
    folder = path.parent
    fd, temporary = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                archive.write(collection, "collection.anki2")
                archive.writestr("media", "{}")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """Keep the mode of the file being replaced; a new file gets 0o666 minus the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
