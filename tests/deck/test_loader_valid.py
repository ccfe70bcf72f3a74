"""A valid deck becomes exactly these typed, immutable objects, with literal text kept."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from quizapp.deck.model import BasicCard, CardKind, ChoiceCard, ClozeCard, CommandCard, Deck
from quizapp.deckfiles import load_deck, load_deck_text
from tests.deck.conftest import DATA

VALID = DATA / "valid.yaml"


def test_valid_deck_loads_every_kind_exactly() -> None:
    result = load_deck(VALID)

    assert result.problems == ()
    assert result.path == VALID
    assert result.deck == Deck(
        id="docker-networking",
        title="Docker networking",
        description="Bridge, overlay and MACVLAN networks, service discovery.",
        source="docker-notes.md",
        tags=("docker", "networking"),
        path=VALID,
        content_hash=hashlib.sha256(VALID.read_bytes()).hexdigest(),
        cards=(
            BasicCard(
                id="bridge-default",
                front="Which network type is the oldest and is turned on by default?",
                back="The bridge network.",
                tags=("networks",),
                section="Container Networking > Network types",
                explain="Each container gets its own IP on the bridge (layer 2).",
                line=7,
            ),
            CommandCard(
                id="network-inspect",
                prompt="Show detailed information about the network named backend.",
                answer="docker network inspect backend",
                accept=("docker network inspect backend --format json",),
                prefix="docker network",
                section="Container Networking > Commands",
                line=15,
            ),
            ClozeCard(
                id="overlay-encrypt",
                text="Create an overlay with {{c1::docker network create}} and encrypt its "
                "data plane with {{c2::-o encrypted::an option}}.",
                section="Container Networking > Overlay",
                line=24,
            ),
            ChoiceCard(
                id="swarm-consensus",
                question="Which protocol do swarm managers use to elect a leader?",
                choices=("Raft", "Paxos", "Gossip", "Two-phase commit"),
                answer="Raft",
                section="Swarm > Managers",
                line=29,
            ),
            BasicCard(
                id="registry-port",
                front="Default port of a local registry?",
                back="5000",
                section="Registry",
                line=36,
            ),
            BasicCard(
                id="literal-text",
                front="What do `1.10`, `no` and `~` stay?",
                back="1.10",
                explain="no",
                section="~",
                line=41,
            ),
        ),
    )


def test_cards_have_their_kind_and_item_ids() -> None:
    deck = load_deck(VALID).deck
    assert deck is not None
    assert [card.kind for card in deck.cards] == [
        CardKind.BASIC,
        CardKind.COMMAND,
        CardKind.CLOZE,
        CardKind.CHOICE,
        CardKind.BASIC,
        CardKind.BASIC,
    ]
    assert deck.cards[2].item_ids == ("overlay-encrypt#c1", "overlay-encrypt#c2")


def test_deck_and_cards_are_immutable() -> None:
    deck = load_deck(VALID).deck
    assert deck is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        deck.title = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        deck.cards[0].id = "changed"  # type: ignore[misc]
    assert isinstance(deck.cards, tuple)
    assert isinstance(deck.tags, tuple)


@pytest.mark.parametrize(
    ("yaml_value", "text"),
    [
        ("80", "80"),
        ("1.10", "1.10"),
        ("no", "no"),
        ("yes", "yes"),
        ("off", "off"),
        ("0o17", "0o17"),
        ("1e3", "1e3"),
        ("2024-01-02", "2024-01-02"),
        ("null", "null"),
        ("'quoted: yes'", "quoted: yes"),
        ('"tab\\there"', "tab\there"),
        ("!!str 8080", "8080"),
    ],
)
def test_scalars_keep_their_literal_text(yaml_value: str, text: str) -> None:
    source = f"deck: d\ntitle: T\ncards:\n  - id: c\n    front: f\n    back: {yaml_value}\n"
    result = load_deck_text(source + "    section: S\n", Path("d.yaml"))
    assert result.problems == ()
    assert result.deck is not None
    assert result.deck.cards[0].back == text  # type: ignore[union-attr]


def test_text_and_bytes_and_file_load_alike() -> None:
    data = VALID.read_bytes()
    from_bytes = load_deck_text(data, VALID)
    from_text = load_deck_text(data.decode("utf-8"), VALID)
    assert from_bytes == from_text == load_deck(VALID)


def test_content_hash_is_sha256_of_the_bytes_and_changes_with_them() -> None:
    data = VALID.read_bytes()
    first = load_deck_text(data, VALID).deck
    second = load_deck_text(data.replace(b"Bridge,", b"Bridges,"), VALID)
    assert first is not None and second.deck is not None
    assert first.content_hash == hashlib.sha256(data).hexdigest()
    assert second.deck.content_hash != first.content_hash


def test_defaults_and_optional_fields() -> None:
    source = (
        "deck: d\ntitle: T\ncards:\n"
        "  - id: plain\n    front: f\n    back: b\n    section: S\n    tags:\n"
    )
    result = load_deck_text(source, Path("d.yaml"))
    assert result.problems == ()
    deck = result.deck
    assert deck is not None
    assert (deck.description, deck.source, deck.tags) == (None, None, ())
    card = deck.cards[0]
    assert card == BasicCard(id="plain", front="f", back="b", section="S", line=4)


def test_utf8_bom_and_crlf_are_read() -> None:
    source = "\ufeffdeck: d\r\ntitle: Café\r\ncards:\r\n  - id: c\r\n    front: f\r\n"
    result = load_deck_text((source + "    back: b\r\n    section: S\r\n").encode(), Path("d.yaml"))
    assert result.problems == ()
    assert result.deck is not None
    assert result.deck.title == "Café"
    assert result.deck.cards[0].line == 4


def test_warnings_do_not_reject_the_deck() -> None:
    source = "deck: d\ntitle: T\ncards:\n  - id: c\n    front: f\n    back: b\n"
    result = load_deck_text(source, Path("d.yaml"))
    assert [str(p) for p in result.problems] == ["d.yaml:4:5: warning: card 'c' has no section"]
    assert result.errors == ()
    assert result.deck is not None
