"""The real Anki imports our package: decks, note types, fields, tags, escaping, updates."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from pathlib import Path

from anki.collection import Collection

from quizapp.deck.model import BasicCard, ChoiceCard, ClozeCard, Deck
from quizapp.deckfiles import load_deck
from quizapp.export import notetypes
from quizapp.export.builder import anki_deck_id, build_package, choice_order, note_guid

from .samples import NOW, escaping_deck, export, import_package, networking_deck, notes_by_guid


def _deck_names(col: Collection) -> set[str]:
    return {d.name for d in col.decks.all_names_and_ids()}


def _cards_in(col: Collection, deck: str) -> int:
    return len(col.find_cards(f'"deck:{deck}" -"deck:{deck}::*"'))


def test_decks_notes_and_cards_arrive(tmp_path: Path, collection: Collection) -> None:
    apkg = export(tmp_path, [networking_deck(), escaping_deck()])
    import_package(collection, apkg)

    assert _deck_names(collection) == {"Default", "Docker", "Docker::Networking", "Escaping"}
    assert collection.note_count() == 5
    # The cloze with c1 and c2 gives two cards; every other note one.
    assert collection.card_count() == 6
    assert _cards_in(collection, "Docker::Networking") == 5
    assert _cards_in(collection, "Escaping") == 1
    assert _cards_in(collection, "Docker") == 0


def test_fields_of_each_note_type(tmp_path: Path, collection: Collection) -> None:
    import_package(collection, export(tmp_path, [networking_deck()]))
    notes = notes_by_guid(collection)

    def fields(card_id: str) -> dict[str, str]:
        return dict(notes[note_guid("docker-networking", card_id)].items())

    assert fields("bridge-default") == {
        "Front": "Which network is on by default?",
        "Back": "The bridge network.",
        "Explain": "Each container gets its own IP.",
    }
    assert fields("network-inspect") == {
        "Prompt": "Show details of the network <code>backend</code>.",
        "Prefix": "docker network",
        "Answer": "docker network inspect backend",
        "Explain": "",
    }
    assert fields("overlay-encrypt") == {
        "Text": "Create an overlay with {{c1::docker network create}} and encrypt it "
        "with {{c2::-o encrypted::an option}}.",
        "Back Extra": "IPsec between nodes.",
    }
    assert fields("swarm-consensus") == {
        "Question": "Which protocol elects a swarm leader?",
        # Not in deck order (where the answer comes first): see choice_order.
        "Choices": '<ul class="choices"><li data-i="1">Paxos</li><li data-i="0">Raft</li>'
        '<li data-i="3">Two-phase commit</li><li data-i="2">Gossip</li></ul>',
        "Answer": "Raft",
        "Explain": "",
    }


def test_note_types_have_fixed_ids_and_the_command_card_asks_to_type(
    tmp_path: Path, collection: Collection
) -> None:
    import_package(collection, export(tmp_path, [networking_deck()]))
    notes = notes_by_guid(collection)
    by_card = {
        card_id: notes[note_guid("docker-networking", card_id)].note_type()
        for card_id in ("bridge-default", "network-inspect", "overlay-encrypt", "swarm-consensus")
    }
    assert {card_id: (nt["id"], nt["name"]) for card_id, nt in by_card.items()} == {
        "bridge-default": (1524004858, "Basic (quizapp)"),
        "network-inspect": (1747304927, "Command (quizapp)"),
        "overlay-encrypt": (1979050086, "Cloze (quizapp)"),
        "swarm-consensus": (1088148208, "Choice (quizapp)"),
    }
    command = by_card["network-inspect"]
    assert "{{type:Answer}}" in command["tmpls"][0]["qfmt"]
    assert "{{type:Answer}}" in command["tmpls"][0]["afmt"]
    cloze = by_card["overlay-encrypt"]
    assert cloze["type"] == 1  # Anki's cloze kind
    assert "{{cloze:Text}}" in cloze["tmpls"][0]["qfmt"]
    for note_type in by_card.values():
        css = note_type["css"]
        assert ".nightMode" in css and ".night_mode" in css and "code" in css


def test_cloze_deletions_become_cards_with_ord_n_minus_1(
    tmp_path: Path, collection: Collection
) -> None:
    deck = Deck(
        id="gaps",
        title="Gaps",
        cards=(ClozeCard(id="three", text="{{c1::a}} {{c3::b}} {{c1::c}} {{c5::d}}"),),
    )
    import_package(collection, export(tmp_path, [deck]))
    cards = [collection.get_card(cid) for cid in collection.find_cards("")]
    assert sorted(card.ord for card in cards) == [0, 2, 4]
    question = {card.ord: card.question() for card in cards}
    assert re.search(r'class="cloze"[^>]*data-ordinal="3"', question[2])


def test_tags_are_deck_tags_card_tags_and_the_section(
    tmp_path: Path, collection: Collection
) -> None:
    import_package(collection, export(tmp_path, [networking_deck()]))
    notes = notes_by_guid(collection)
    bridge = notes[note_guid("docker-networking", "bridge-default")]
    inspect = notes[note_guid("docker-networking", "network-inspect")]
    assert sorted(bridge.tags) == sorted(
        ["docker", "core_topics", "networks", "section::Container_Networking::Network_types"]
    )
    assert sorted(inspect.tags) == ["core_topics", "docker"]


def test_text_arrives_escaped(tmp_path: Path, collection: Collection) -> None:
    import_package(collection, export(tmp_path, [escaping_deck()]))
    (note,) = notes_by_guid(collection).values()
    assert (
        note["Front"] == "What does <code>&lt;none&gt;</code> mean in <code>docker images</code>?"
    )
    assert note["Back"] == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more<br>second line"
    card = note.cards()[0]
    assert "<script>" not in card.answer()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card.answer()


def test_reimport_after_edits_updates_instead_of_duplicating(
    tmp_path: Path, collection: Collection
) -> None:
    first = export(tmp_path, [networking_deck()], name="first.apkg")
    import_package(collection, first)
    assert (collection.note_count(), collection.card_count()) == (4, 5)

    edited = networking_deck(back="The default bridge network, `bridge`.")
    cloze = edited.cards[2]
    assert isinstance(cloze, ClozeCard)
    more = dataclasses.replace(cloze, text=cloze.text + " Then {{c3::deploy}}.")
    added = BasicCard(id="host-network", front="No isolation?", back="host")
    edited = dataclasses.replace(edited, cards=(*edited.cards[:2], more, edited.cards[3], added))
    second = export(tmp_path, [edited], now=NOW + timedelta(minutes=5), name="second.apkg")
    import_package(collection, second)

    notes = notes_by_guid(collection)
    assert collection.note_count() == 5
    assert collection.card_count() == 7  # the new note, and the new c3 of the cloze
    bridge = notes[note_guid("docker-networking", "bridge-default")]
    assert bridge["Back"] == "The default bridge network, <code>bridge</code>."
    assert len(collection.models.all_names_and_ids()) == len(
        {nt.name for nt in collection.models.all_names_and_ids()}
    )
    assert sum(1 for nt in collection.models.all_names_and_ids() if "quizapp" in nt.name) == 4


def test_the_same_package_twice_adds_nothing(tmp_path: Path, collection: Collection) -> None:
    apkg = export(tmp_path, [networking_deck()])
    import_package(collection, apkg)
    import_package(collection, apkg)
    assert (collection.note_count(), collection.card_count()) == (4, 5)
    assert _deck_names(collection) == {"Default", "Docker", "Docker::Networking"}


def test_ids_are_stable_across_runs() -> None:
    # Hard-coded: these must never change, or re-imports would duplicate decks and notes.
    assert anki_deck_id("docker-networking") == 1436268835
    assert anki_deck_id("escaping") == 1615635009
    assert note_guid("docker-networking", "bridge-default") == "N)`BMa84pZ"
    first = build_package([networking_deck()], now=NOW)
    second = build_package([networking_deck()], now=NOW + timedelta(days=3))
    assert [d.anki_id for d in first.decks] == [d.anki_id for d in second.decks]
    guids = [[n.guid for n in rows] for rows in first.note_rows]
    assert guids == [[n.guid for n in rows] for rows in second.note_rows]
    assert len(guids[0]) == 4
    assert notetypes.BASIC_MODEL_ID == 1524004858
    assert notetypes.COMMAND_MODEL_ID == 1747304927
    assert notetypes.CLOZE_MODEL_ID == 1979050086
    assert notetypes.CHOICE_MODEL_ID == 1088148208


def test_clashing_titles_get_the_deck_id(tmp_path: Path, collection: Collection) -> None:
    a = Deck(id="a", title="Docker", cards=(BasicCard(id="x", front="f", back="b"),))
    b = Deck(id="b", title=" docker ", cards=(BasicCard(id="y", front="f", back="b"),))
    import_package(collection, export(tmp_path, [a, b]))
    assert _deck_names(collection) == {"Default", "Docker (a)", "docker (b)"}


def test_choices_are_in_a_fixed_order_that_does_not_give_the_answer_away() -> None:
    choices = ("Raft", "Paxos", "Gossip", "Two-phase commit")
    assert choice_order("swarm-consensus", choices) == [
        "Paxos",
        "Raft",
        "Two-phase commit",
        "Gossip",
    ]
    # The same card id and choices give the same order, whatever order the deck lists them in.
    assert choice_order("swarm-consensus", choices[::-1]) == choice_order(
        "swarm-consensus", choices
    )
    # The bundled decks list every choice card's answer first; in Anki it must not stay there.
    folder = Path(__file__).resolve().parents[2] / "decks"
    decks = [load_deck(path).deck for path in sorted(folder.glob("*.yaml"))]
    positions = [
        choice_order(card.id, card.choices).index(card.answer)
        for deck in decks
        if deck is not None
        for card in deck.cards
        if isinstance(card, ChoiceCard)
    ]
    assert len(positions) >= 30
    assert positions.count(0) <= len(positions) // 2
    assert {0, 1, 2, 3} <= set(positions)


def test_cloze_alternatives_show_on_the_back_of_each_card(
    tmp_path: Path, collection: Collection
) -> None:
    # Anki's cloze takes one answer per deletion: the deck's alternatives are listed on the
    # back (in Back Extra, after the explain), under the answer they stand for, escaped.
    deck = Deck(
        id="storage",
        title="Storage",
        cards=(
            ClozeCard(
                id="mount",
                text="In `--mount`, {{c1::source}} names the volume and {{c2::target}} the path.",
                explain="Docker docs, Volumes.",
                alternatives=((1, ("src",)), (2, ("dst", "<destination>"))),
            ),
            ClozeCard(id="plain", text="{{c1::overlay2}} is the storage driver."),
        ),
    )
    import_package(collection, export(tmp_path, [deck]))
    notes = notes_by_guid(collection)
    mount = notes[note_guid("storage", "mount")]
    assert mount["Back Extra"] == (
        "Docker docs, Volumes."
        '<div class="alternatives" data-alternatives="{&quot;c1&quot;: [&quot;src&quot;], '
        '&quot;c2&quot;: [&quot;dst&quot;, &quot;&lt;destination&gt;&quot;]}">'
        "Also right:<ul><li>source → src</li>"
        "<li>target → dst, &lt;destination&gt;</li></ul></div>"
    )
    assert notes[note_guid("storage", "plain")]["Back Extra"] == ""
    cards = sorted(mount.cards(), key=lambda card: card.ord)
    assert [card.ord for card in cards] == [0, 1]
    for card in cards:
        assert "Also right:" not in card.question()
        answer = card.answer()
        assert "source → src" in answer and "target → dst, &lt;destination&gt;" in answer
        assert "<destination>" not in answer
