"""The writer's bulk-inserted notes and cards are exactly the rows genanki itself writes.

The reference is the export as it was before the bulk inserts: a `genanki.Note` per card,
written by genanki's own `Package.write_to_db`. Every column of every note and card must match
(ids, GUIDs, fields, sort fields, tags, card ordinals in genanki's order, new-card positions),
and so must the collection's decks and note types.
"""

from __future__ import annotations

import itertools
import sqlite3
import zipfile
from collections.abc import Sequence
from pathlib import Path

import genanki
import pytest

from quizapp.deck.model import BasicCard, ClozeCard, Deck
from quizapp.deckfiles import load_decks
from quizapp.export import builder
from quizapp.export.builder import anki_deck_id, build_package, deck_names, note_guid
from quizapp.export.schedule import epoch_ms
from quizapp.export.text import note_tags, text_html
from quizapp.export.writer import write_package
from quizapp.paths import bundled_decks_dir

from .samples import NOW, escaping_deck, networking_deck

COLLECTION_COLUMNS = "id, ver, dty, usn, ls, models, decks, dconf, tags"
"""Of `col`: all but crt, mod and conf, which the writer sets after genanki."""


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


def genanki_rows(decks: Sequence[Deck]) -> dict[str, list[tuple[object, ...]]]:
    """The rows genanki writes for `decks` with a `genanki.Note` per card."""
    models = builder._Models()
    anki_decks = []
    position = 0
    for deck, name in zip(decks, deck_names(decks), strict=True):
        anki_deck = genanki.Deck(anki_deck_id(deck.id), name, text_html(deck.description or ""))
        for card in deck.cards:
            position += 1
            note_type, fields = models.note_content(card)
            anki_deck.add_note(
                genanki.Note(
                    model=note_type.model,
                    fields=fields,
                    tags=note_tags(deck.tags, card.tags, card.section),
                    guid=genanki.guid_for(deck.id, card.id),
                    due=position,
                )
            )
        anki_decks.append(anki_deck)
    db = sqlite3.connect(":memory:")
    genanki.Package(anki_decks).write_to_db(
        db.cursor(), NOW.timestamp(), itertools.count(epoch_ms(NOW))
    )
    return table_rows(db)


def exported_rows(folder: Path, decks: Sequence[Deck]) -> dict[str, list[tuple[object, ...]]]:
    apkg = folder / "rows.apkg"
    write_package(build_package(decks, now=NOW), apkg)
    with zipfile.ZipFile(apkg) as archive:
        (folder / "rows.anki2").write_bytes(archive.read("collection.anki2"))
    return table_rows(sqlite3.connect(folder / "rows.anki2"))


def table_rows(db: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    rows = {
        # Tables and indexes as genanki creates them (the writer rebuilds revlog's indexes).
        "schema": sorted(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")),
        "col": db.execute(f"SELECT {COLLECTION_COLUMNS} FROM col").fetchall(),
        "notes": db.execute("SELECT * FROM notes ORDER BY id").fetchall(),
        # By rowid: the insertion order, which is genanki's card order within a note.
        "cards": db.execute("SELECT * FROM cards ORDER BY rowid").fetchall(),
        "revlog": db.execute("SELECT * FROM revlog").fetchall(),
        "graves": db.execute("SELECT * FROM graves").fetchall(),
    }
    db.close()
    return rows


@pytest.mark.parametrize(
    "decks",
    [
        pytest.param(bundled_decks(), id="bundled"),
        pytest.param([networking_deck(), escaping_deck(), edge_deck()], id="samples"),
    ],
)
def test_notes_and_cards_are_genankis_rows(tmp_path: Path, decks: list[Deck]) -> None:
    ours = exported_rows(tmp_path, decks)
    theirs = genanki_rows(decks)
    assert ours["notes"] and ours["cards"]
    assert ours == theirs


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
    assert bare.guid == note_guid("edges", "bare") == genanki.guid_for("edges", "bare")
    assert bare.fields == "only a front\x1f\x1f"
    assert bare.sort_field == "only a front"
    assert bare.tags == " edge_case section::A::B::C "
    assert (bare.due, bare.ords) == (3, (0,))
    assert [row.ords for row in rows[:2]] == [(0, 1, 2), (8, 9, 10, 11)]
    assert [(d.notes, d.cards) for d in package.decks] == [(3, 8)]


def test_note_guid_is_genankis_guid_for() -> None:
    pairs = [("a", "b"), ("", ""), ("docker-networking", "bridge-default"), ("ü-é", "ñ 漢字")]
    pairs += [(f"deck-{n}", f"card-{n * 7919}") for n in range(2000)]
    assert [note_guid(*pair) for pair in pairs] == [genanki.guid_for(*pair) for pair in pairs]
