"""The collection the writer creates, row by row: Anki's schema 11, notes, cards, note types.

The rows are those quizapp has always written (ids from one counter at the export time in ms,
GUIDs pinned below, card ordinals ascending, new-card positions); `test_anki_import` imports
the packages into a real Anki collection.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from quizapp.deck.model import BasicCard, ClozeCard, Deck
from quizapp.deckfiles import load_decks
from quizapp.export import notetypes
from quizapp.export.builder import anki_deck_id, build_package, note_guid
from quizapp.export.schedule import epoch_ms
from quizapp.export.writer import write_package
from quizapp.paths import bundled_decks_dir

from .samples import NOW


def bundled_decks() -> list[Deck]:
    results = load_decks([bundled_decks_dir()])
    assert results and all(r.deck is not None and not r.errors for r in results)
    return [r.deck for r in results if r.deck is not None]


def edge_deck() -> Deck:
    """Clozes whose numbers are out of order, repeated, or past 9; a card with empty fields."""
    return Deck(
        id="edges",
        title="Edges::Clozes",
        tags=("edge case",),
        cards=(
            ClozeCard(id="order", text="{{c3::c}} then {{c1::a}} and {{c3::again}} {{c2::b}}"),
            ClozeCard(id="tens", text="{{c12::l}} {{c10::j}} {{c9::i}} {{c11::k::hint}}"),
            BasicCard(id="bare", front="only a front", back="", section="A > B > C"),
        ),
    )


def exported_rows(folder: Path, decks: Sequence[Deck]) -> dict[str, list[tuple[object, ...]]]:
    apkg = folder / "rows.apkg"
    write_package(build_package(decks, now=NOW), apkg)
    with zipfile.ZipFile(apkg) as archive:
        (folder / "rows.anki2").write_bytes(archive.read("collection.anki2"))
    return table_rows(sqlite3.connect(folder / "rows.anki2"))


def table_rows(db: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    rows = {
        "notes": db.execute("SELECT * FROM notes ORDER BY id").fetchall(),
        # By rowid: the insertion order, a note's cards by ordinal.
        "cards": db.execute("SELECT * FROM cards ORDER BY rowid").fetchall(),
        "revlog": db.execute("SELECT * FROM revlog").fetchall(),
        "graves": db.execute("SELECT * FROM graves").fetchall(),
        "col": db.execute("SELECT id, crt, mod, scm, ver, dty, usn, ls, tags FROM col").fetchall(),
        "json": [
            tuple(map(json.loads, r)) for r in db.execute("SELECT conf, models, decks FROM col")
        ],
    }
    db.close()
    return rows


def test_the_tables_are_ankis_schema_11(tmp_path: Path) -> None:
    apkg = tmp_path / "schema.apkg"
    write_package(build_package([edge_deck()], now=NOW), apkg)
    with zipfile.ZipFile(apkg) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        assert archive.read("media") == b"{}"
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.anki2")
    columns = {
        table: [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        for table in ("col", "notes", "cards", "revlog", "graves")
    }
    assert columns == {
        "col": "id crt mod scm ver dty usn ls conf models decks dconf tags".split(),
        "notes": "id guid mid mod usn tags flds sfld csum flags data".split(),
        "cards": (
            "id nid did ord mod usn type queue due ivl factor reps lapses left odue odid flags data"
        ).split(),
        "revlog": "id cid usn ease ivl lastIvl factor time type".split(),
        "graves": ["usn", "oid", "type"],
    }
    indexes = db.execute("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY 1")
    assert [name for (name,) in indexes] == [
        "ix_cards_nid",
        "ix_cards_sched",
        "ix_cards_usn",
        "ix_notes_csum",
        "ix_notes_usn",
        "ix_revlog_cid",
        "ix_revlog_usn",
    ]
    db.close()


def test_edge_deck_rows_exactly(tmp_path: Path) -> None:
    rows = exported_rows(tmp_path, [edge_deck()])
    ms = epoch_ms(NOW)
    mod = ms // 1000
    did = anki_deck_id("edges")
    cloze, basic = notetypes.CLOZE_MODEL_ID, notetypes.BASIC_MODEL_ID
    tags = " edge_case "
    assert rows["notes"] == [
        (ms, note_guid("edges", "order"), cloze, mod, -1, tags,
         "{{c3::c}} then {{c1::a}} and {{c3::again}} {{c2::b}}\x1f",
         "{{c3::c}} then {{c1::a}} and {{c3::again}} {{c2::b}}", 0, 0, ""),
        (ms + 4, note_guid("edges", "tens"), cloze, mod, -1, tags,
         "{{c12::l}} {{c10::j}} {{c9::i}} {{c11::k::hint}}\x1f",
         "{{c12::l}} {{c10::j}} {{c9::i}} {{c11::k::hint}}", 0, 0, ""),
        (ms + 9, note_guid("edges", "bare"), basic, mod, -1, " edge_case section::A::B::C ",
         "only a front\x1f\x1f", "only a front", 0, 0, ""),
    ]  # fmt: skip
    new = (0, 0)  # type, queue
    tail = (0, 0, 0, 0, 0, 0, 0, 0, "")  # ivl, factor, reps, lapses, left, odue, odid, flags, data
    assert rows["cards"] == [
        (ms + 1, ms, did, 0, mod, -1, *new, 1, *tail),
        (ms + 2, ms, did, 1, mod, -1, *new, 1, *tail),
        (ms + 3, ms, did, 2, mod, -1, *new, 1, *tail),
        (ms + 5, ms + 4, did, 8, mod, -1, *new, 2, *tail),
        (ms + 6, ms + 4, did, 9, mod, -1, *new, 2, *tail),
        (ms + 7, ms + 4, did, 10, mod, -1, *new, 2, *tail),
        (ms + 8, ms + 4, did, 11, mod, -1, *new, 2, *tail),
        (ms + 10, ms + 9, did, 0, mod, -1, *new, 3, *tail),
    ]
    assert rows["revlog"] == rows["graves"] == []
    assert rows["col"] == [(1, 1411124400, ms, ms, 11, 0, 0, 0, "{}")]
    ((conf, models, decks),) = rows["json"]
    assert (conf["schedVer"], conf["rollover"], conf["creationOffset"]) == (2, 4, 0)
    assert sorted(models) == [str(basic), str(cloze)]
    assert [(m["name"], m["type"], [f["name"] for f in m["flds"]]) for m in models.values()] == [
        ("Cloze (quizapp)", 1, ["Text", "Back Extra"]),
        ("Basic (quizapp)", 0, ["Front", "Back", "Explain"]),
    ]
    assert {key: (d["name"], d["id"]) for key, d in decks.items()} == {
        "1": ("Default", 1),
        str(did): ("Edges::Clozes", did),
    }


def test_bundled_decks_give_a_card_per_card_or_deletion(tmp_path: Path) -> None:
    decks = bundled_decks()
    rows = exported_rows(tmp_path, decks)
    assert len(rows["notes"]) == sum(len(deck.cards) for deck in decks)
    expected = sum(
        len(card.numbers) if isinstance(card, ClozeCard) else 1
        for deck in decks
        for card in deck.cards
    )
    assert len(rows["cards"]) == expected


def test_card_ordinals_and_positions_of_out_of_order_clozes(tmp_path: Path) -> None:
    cards = exported_rows(tmp_path, [edge_deck()])["cards"]
    # (ord, due) of each card by id: a note's cards share its position.
    assert [(row[3], row[8]) for row in cards] == [
        (0, 1),
        (1, 1),
        (2, 1),
        (8, 2),
        (9, 2),
        (10, 2),
        (11, 2),
        (0, 3),
    ]


def test_note_row_fields_tags_and_sort_field() -> None:
    package = build_package([edge_deck()], now=NOW)
    (rows,) = package.note_rows
    bare = rows[2]
    assert bare.guid == note_guid("edges", "bare")
    assert bare.fields == "only a front\x1f\x1f"
    assert bare.sort_field == "only a front"
    assert bare.tags == " edge_case section::A::B::C "
    assert (bare.due, bare.ords) == (3, (0,))
    assert [row.ords for row in rows[:2]] == [(0, 1, 2), (8, 9, 10, 11)]
    assert [(d.notes, d.cards) for d in package.decks] == [(3, 8)]


def test_note_guids_are_pinned() -> None:
    """The GUIDs every quizapp version gave (genanki's `guid_for` values): changing them would
    make Anki add a second copy of every note exported before."""
    pairs = [("a", "b"), ("", ""), ("docker-networking", "bridge-default"), ("ü-é", "ñ 漢字")]
    assert [note_guid(*pair) for pair in pairs] == [
        "q/([o$8RAO",
        "z+VBQ9+v.E",
        "N)`BMa84pZ",
        "e|/-=CcGh6",
    ]
    many = " ".join(note_guid(f"deck-{n}", f"card-{n * 7919}") for n in range(2000))
    assert hashlib.sha256(many.encode()).hexdigest() == (
        "f30099fe815b3bae1ec0f18d652f128328e90bc67ad92eef6d28e4d595913a81"
    )


@pytest.mark.parametrize(
    ("note_type", "fields", "ords"),
    [
        (notetypes.BASIC, ["front", "", ""], (0,)),
        (notetypes.BASIC, ["", "back", "explain"], ()),
        (notetypes.COMMAND, ["", "docker", "ps", ""], (0,)),
        (notetypes.COMMAND, ["", "", "ps", ""], ()),
        (notetypes.CHOICE, ["", "<ul></ul>", "a", ""], (0,)),
        (notetypes.CHOICE, ["", "", "a", "b"], ()),
        (notetypes.CLOZE, ["{{c2::b}} {{c1::a}} {{c2::again}}", ""], (0, 1)),
        (notetypes.CLOZE, ["{{c0::zero}} no deletion", "{{c1::in extra}}"], ()),
    ],
)
def test_which_cards_a_note_gets(
    note_type: notetypes.NoteType, fields: list[str], ords: tuple[int, ...]
) -> None:
    assert note_type.card_ords(fields) == ords
