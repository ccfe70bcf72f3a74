"""Writing an AnkiPackage to disk: genanki's collection, our scheduling on top, one atomic rename.

genanki has no scheduling, so the collection is built in memory with genanki's own
`write_to_db`, then the studied cards get their review columns, the revlog gets its rows and the
collection row gets a creation day and timing config Anki's importer can shift due dates from
(see `quizapp.export.schedule`). The .apkg is written to a temporary file next to the target
and renamed over it, so a failure or an interrupt never leaves a half-written package.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from quizapp.export.builder import AnkiPackage
from quizapp.export.schedule import (
    CARD_TYPE_REVIEW,
    COLLECTION_CREATED,
    QUEUE_REVIEW,
    epoch_ms,
)


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


def write_package(package: AnkiPackage, path: Path) -> WriteReport:
    """Write `package` as the .apkg `path` (replacing it); raises OSError if that fails."""
    db = sqlite3.connect(":memory:")
    try:
        report = _fill_collection(db, package, path)
        collection = db.serialize()
    finally:
        db.close()
    _write_atomically(path, collection)
    return report


def _fill_collection(db: sqlite3.Connection, package: AnkiPackage, path: Path) -> WriteReport:
    cursor = db.cursor()
    stamp = package.now.timestamp()
    package.package.write_to_db(cursor, stamp, itertools.count(epoch_ms(package.now)))
    (conf_json,) = cursor.execute("SELECT conf FROM col").fetchone()
    conf = json.loads(conf_json)
    # A v2-scheduler collection created on COLLECTION_CREATED_DATE (UTC), whose day starts at
    # the learner's rollover hour: Anki then counts its "today" exactly like quizapp's study day.
    conf.update({"schedVer": 2, "rollover": package.rollover_hour, "creationOffset": 0})
    cursor.execute(
        "UPDATE col SET crt = ?, mod = ?, conf = ?",
        (COLLECTION_CREATED, epoch_ms(package.now), json.dumps(conf)),
    )
    review_cards = revlog_rows = 0
    if package.schedules or package.revlog:
        card_ids = {
            (guid, ord_): card_id
            for card_id, guid, ord_ in cursor.execute(
                "SELECT cards.id, notes.guid, cards.ord"
                " FROM cards JOIN notes ON cards.nid = notes.id"
            )
        }
        updates = [
            (CARD_TYPE_REVIEW, QUEUE_REVIEW, s.due, s.ivl, s.factor, s.reps, s.lapses, card_id)
            for s in package.schedules
            if (card_id := card_ids.get((s.guid, s.ord))) is not None
        ]
        cursor.executemany(
            "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?,"
            " lapses = ?, left = 0 WHERE id = ?",
            updates,
        )
        rows = [
            (r.id, card_id, -1, r.ease, r.ivl, r.last_ivl, r.factor, r.time, r.type)
            for r in package.revlog
            if (card_id := card_ids.get((r.guid, r.ord))) is not None
        ]
        cursor.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        review_cards, revlog_rows = len(updates), len(rows)
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


def _write_atomically(path: Path, collection: bytes) -> None:
    folder = path.parent
    mode = _file_mode(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                archive.writestr("collection.anki2", collection)
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
