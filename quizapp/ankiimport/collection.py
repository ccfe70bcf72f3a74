"""Reading an Anki collection file (schema 11 of Anki 2.x and genanki, schema 18 of current
Anki) into the plain records the pure modules work on.

Schema 11 keeps note types, decks and settings as JSON in the `col` row; schema 18 has
tables for them with protobuf blobs (`protobuf`) and a `config` table of JSON values.
Notes, cards and the revlog have the same columns in both. With FSRS on, each deck's preset
(its FSRS parameters and desired retention) is read too: `AnkiPreset`.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from quizapp.ankiimport.notes import Note, NoteType, Template
from quizapp.ankiimport.progress import AnkiCard, Timing
from quizapp.ankiimport.protobuf import first_bytes, first_int, first_text, message

_REVLOG_CHUNK = 10_000


@dataclass(frozen=True, slots=True)
class AnkiDeck:
    id: int
    name: str
    """With `::` between levels."""
    description: str
    filtered: bool
    preset_id: int = 1
    """The deck's options preset (`AnkiPreset`)."""


@dataclass(frozen=True, slots=True)
class AnkiPreset:
    """What FSRS schedules with in an Anki options preset."""

    parameters: tuple[float, ...]
    """FSRS-6's 21 parameters (FSRS-5's 19 also read); empty: Anki's defaults."""
    desired_retention: float | None


@dataclass(frozen=True, slots=True)
class Collection:
    timing: Timing
    fsrs: bool
    decks: dict[int, AnkiDeck]
    notetypes: dict[int, NoteType]
    presets: dict[int, AnkiPreset] = field(default_factory=dict)


def read_collection(db: sqlite3.Connection) -> Collection:
    """Settings, decks and note types; raises sqlite3.Error or ValueError when malformed."""
    (version,) = db.execute("SELECT ver FROM col").fetchone()
    if version >= 15:
        return _read_v18(db)
    return _read_v11(db)


def _read_v11(db: sqlite3.Connection) -> Collection:
    crt, conf_json, models_json, decks_json, dconf_json = db.execute(
        "SELECT crt, conf, models, decks, dconf FROM col"
    ).fetchone()
    conf = _json(conf_json)
    timing = Timing(
        crt=int(crt),
        creation_offset=_int_or_none(conf.get("creationOffset")),
        rollover=int(conf.get("rollover", 4)),
        sched_ver=int(conf.get("schedVer", 1)),
    )
    decks = {}
    for value in _json(decks_json).values():
        decks[int(value["id"])] = AnkiDeck(
            int(value["id"]),
            str(value["name"]),
            str(value.get("desc") or ""),
            bool(value.get("dyn")),
            _int_or_none(value.get("conf")) or 1,
        )
    notetypes = {}
    for value in _json(models_json).values():
        fields = sorted(value["flds"], key=lambda f: f["ord"])
        templates = sorted(value["tmpls"], key=lambda t: t["ord"])
        notetypes[int(value["id"])] = NoteType(
            id=int(value["id"]),
            name=str(value["name"]),
            cloze=int(value.get("type", 0)) == 1,
            fields=tuple(str(f["name"]) for f in fields),
            templates=tuple(
                Template(int(t["ord"]), str(t["name"]), str(t["qfmt"]), str(t["afmt"]))
                for t in templates
            ),
            stock=int(value.get("originalStockKind") or 0),
        )
    presets = {}
    for key, value in _json(dconf_json).items():
        params = value.get("fsrsParams6") or value.get("fsrsParams5") or []
        retention = value.get("desiredRetention")
        presets[_int_or_none(value.get("id")) or int(key)] = AnkiPreset(
            _parameters([float(p) for p in params]),
            float(retention) if isinstance(retention, int | float) else None,
        )
    return Collection(timing, bool(conf.get("fsrs")), decks, notetypes, presets)


def _parameters(values: list[float]) -> tuple[float, ...]:
    """FSRS-6 parameters from a preset's: FSRS-5's 19 gain FSRS-6's two new ones as FSRS-5
    had them fixed (no same-day stability term, decay 0.5); anything else: the defaults."""
    if len(values) == 19:
        values = [*values, 0.0, 0.5]
    return tuple(values) if len(values) == 21 else ()


_PARAMS_6, _PARAMS_5, _RETENTION = 6, 5, 37
"""Field numbers in Anki's DeckConfig.Config message (deck_config.proto)."""


def _floats(fields: dict[int, list[int | bytes]], number: int) -> list[float]:
    """A repeated float field, packed or not."""
    found: list[float] = []
    for value in fields.get(number, ()):
        if isinstance(value, bytes):
            found.extend(struct.unpack(f"<{len(value) // 4}f", value[: len(value) // 4 * 4]))
        else:
            found.append(struct.unpack("<f", value.to_bytes(4, "little"))[0])
    return found


def _read_presets(db: sqlite3.Connection) -> dict[int, AnkiPreset]:
    presets = {}
    for preset_id, blob in db.execute("SELECT id, config FROM deck_config"):
        fields = message(blob)
        params = _floats(fields, _PARAMS_6) or _floats(fields, _PARAMS_5)
        retention = _floats(fields, _RETENTION)
        presets[int(preset_id)] = AnkiPreset(
            _parameters([round(p, 6) for p in params]),
            round(retention[0], 6) if retention else None,
        )
    return presets


def _read_v18(db: sqlite3.Connection) -> Collection:
    (crt,) = db.execute("SELECT crt FROM col").fetchone()
    config = {key: _json(val) for key, val in db.execute("SELECT KEY, val FROM config")}
    timing = Timing(
        crt=int(crt),
        creation_offset=_int_or_none(config.get("creationOffset")),
        rollover=int(config.get("rollover", 4)),
        sched_ver=int(config.get("schedVer", 2) or 2),
    )
    decks = {}
    for deck_id, name, kind in db.execute("SELECT id, name, kind FROM decks"):
        container = message(kind)
        normal = first_bytes(container, 1)
        description = first_text(message(normal), 4) if normal else ""
        preset = first_int(message(normal), 1, 1) if normal else 1
        decks[deck_id] = AnkiDeck(
            deck_id, name.replace("\x1f", "::"), description, bool(container.get(2)), preset
        )
    fields: dict[int, list[str]] = {}
    for ntid, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(name)
    templates: dict[int, list[Template]] = {}
    for ntid, ord_, name, blob in db.execute(
        "SELECT ntid, ord, name, config FROM templates ORDER BY ntid, ord"
    ):
        tconf = message(blob)
        templates.setdefault(ntid, []).append(
            Template(ord_, name, first_text(tconf, 1), first_text(tconf, 2))
        )
    notetypes = {}
    for ntid, name, blob in db.execute("SELECT id, name, config FROM notetypes"):
        nconf = message(blob)
        notetypes[ntid] = NoteType(
            id=ntid,
            name=name,
            cloze=first_int(nconf, 1) == 1,
            fields=tuple(fields.get(ntid, ())),
            templates=tuple(templates.get(ntid, ())),
            stock=first_int(nconf, 9),
        )
    return Collection(timing, bool(config.get("fsrs")), decks, notetypes, _read_presets(db))


def read_notes(db: sqlite3.Connection) -> Iterator[Note]:
    for note_id, guid, mid, tags, flds in db.execute(
        "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
    ):
        yield Note(note_id, str(guid), mid, tuple(str(flds).split("\x1f")), tuple(tags.split()))


def read_cards(db: sqlite3.Connection) -> Iterator[AnkiCard]:
    for row in db.execute(
        "SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, odue, odid,"
        " left, data FROM cards ORDER BY nid, ord"
    ):
        yield AnkiCard(*row)


def read_revlog(db: sqlite3.Connection) -> Iterator[tuple[int, ...]]:
    """Revlog rows in time order, as plain tuples in `Revlog`'s field order."""
    cursor = db.execute(
        "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
    )
    while chunk := cursor.fetchmany(_REVLOG_CHUNK):
        yield from chunk


def count_revlog(db: sqlite3.Connection) -> int:
    (count,) = db.execute("SELECT COUNT(*) FROM revlog").fetchone()
    return int(count)


def _json(value: Any) -> Any:
    if value is None or value == b"" or value == "":
        return {}
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    return json.loads(value)


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
