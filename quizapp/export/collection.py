"""The collection inside an .apkg: Anki's schema 11 (`collection.anki2`), which every Anki imports.

We write the file ourselves rather than through a package builder: the tables and indexes
below are Anki's legacy schema, and the `col` row carries the collection's JSON (its config,
note types, decks and deck options) in the form Anki's importer reads. Notes, cards and the
revlog are inserted by `quizapp.export.writer` with named columns. The tests import every
package we write into a real collection with the `anki` package.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from quizapp.export.notetypes import NoteType

SCHEMA_VERSION = 11
DEFAULT_DECK_ID = 1
DEFAULT_CONFIG_ID = 1

SCHEMA = """
CREATE TABLE col (
    id integer primary key, crt integer not null, mod integer not null,
    scm integer not null, ver integer not null, dty integer not null, usn integer not null,
    ls integer not null, conf text not null, models text not null, decks text not null,
    dconf text not null, tags text not null
);
CREATE TABLE notes (
    id integer primary key, guid text not null, mid integer not null, mod integer not null,
    usn integer not null, tags text not null, flds text not null, sfld integer not null,
    csum integer not null, flags integer not null, data text not null
);
CREATE TABLE cards (
    id integer primary key, nid integer not null, did integer not null, ord integer not null,
    mod integer not null, usn integer not null, type integer not null, queue integer not null,
    due integer not null, ivl integer not null, factor integer not null, reps integer not null,
    lapses integer not null, left integer not null, odue integer not null,
    odid integer not null, flags integer not null, data text not null
);
CREATE TABLE revlog (
    id integer primary key, cid integer not null, usn integer not null, ease integer not null,
    ivl integer not null, lastIvl integer not null, factor integer not null,
    time integer not null, type integer not null
);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"""


def deck_json(deck_id: int, name: str, description: str, mod: int) -> dict[str, Any]:
    """One deck of the `decks` JSON: a normal deck using the default options."""
    return {
        "id": deck_id,
        "name": name,
        "desc": description,
        "mod": mod,
        "usn": -1,
        "conf": DEFAULT_CONFIG_ID,
        "dyn": 0,
        "collapsed": False,
        "extendNew": 0,
        "extendRev": 50,
        "newToday": [0, 0],
        "revToday": [0, 0],
        "lrnToday": [0, 0],
        "timeToday": [0, 0],
    }


def _deck_config() -> dict[str, Any]:
    """Anki's default deck options (the importer keeps the target collection's own)."""
    return {
        "id": DEFAULT_CONFIG_ID,
        "name": "Default",
        "mod": 0,
        "usn": 0,
        "maxTaken": 60,
        "autoplay": True,
        "timer": 0,
        "replayq": True,
        "new": {
            "bury": True,
            "delays": [1, 10],
            "initialFactor": 2500,
            "ints": [1, 4, 7],
            "order": 1,
            "perDay": 20,
            "separate": True,
        },
        "lapse": {"delays": [10], "leechAction": 0, "leechFails": 8, "minInt": 1, "mult": 0},
        "rev": {
            "bury": True,
            "ease4": 1.3,
            "fuzz": 0.05,
            "ivlFct": 1,
            "maxIvl": 36500,
            "minSpace": 1,
            "perDay": 100,
        },
    }


def create_collection(
    db: sqlite3.Connection | sqlite3.Cursor,
    *,
    created: int,
    mod_ms: int,
    config: Mapping[str, Any],
    note_types: Iterable[tuple[NoteType, int]],
    decks: Iterable[dict[str, Any]],
) -> None:
    """Create the tables and the `col` row of an empty schema-11 collection.

    `created` is `crt` (seconds since the epoch); `mod_ms` the modification time in ms;
    `config` is added to the collection config; `note_types` are (note type, its deck id);
    `decks` are `deck_json` dicts (the Default deck, id 1, is added).
    """
    db.executescript(SCHEMA)
    conf: dict[str, Any] = {
        "activeDecks": [DEFAULT_DECK_ID],
        "curDeck": DEFAULT_DECK_ID,
        "addToCur": True,
        "collapseTime": 1200,
        "dueCounts": True,
        "estTimes": True,
        "newBury": True,
        "newSpread": 0,
        "nextPos": 1,
        "sortBackwards": False,
        "sortType": "noteFld",
        "timeLim": 0,
        **config,
    }
    mod = mod_ms // 1000
    models = {str(t.id): t.schema11(mod, deck_id) for t, deck_id in note_types}
    all_decks = [deck_json(DEFAULT_DECK_ID, "Default", "", mod), *decks]
    db.execute(
        "INSERT INTO col (id, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf, tags)"
        " VALUES (1, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?, '{}')",
        (
            created,
            mod_ms,
            mod_ms,
            SCHEMA_VERSION,
            json.dumps(conf),
            json.dumps(models),
            json.dumps({str(deck["id"]): deck for deck in all_decks}),
            json.dumps({str(DEFAULT_CONFIG_ID): _deck_config()}),
        ),
    )
