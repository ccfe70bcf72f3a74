"""`--merge`: the author's deck is kept byte for byte; only new material is added."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.deck.model import CommandCard, Deck
from quizapp.deckfiles import load_deck_text
from quizapp.draft.merge import merge
from quizapp.draft.pipeline import draft_text
from quizapp.errors import QuizappError

from .helpers import DATA

NOTES = (DATA / "docker-notes.md").read_text(encoding="utf-8")
NEW_NOTES = NOTES.replace(
    "* Use official images\n",
    "* Use official images\n"
    "* Scan images with `docker scout cves <image>`\n"
    "* **Distroless** images have no shell\n",
)


def _load(text: str) -> Deck:
    result = load_deck_text(text, Path("deck.yaml"))
    assert result.errors == (), [str(p) for p in result.errors]
    assert result.deck is not None
    return result.deck


def _merge(existing: str, notes: str) -> tuple[str, list[str]]:
    _, cards = draft_text(notes, "docker-notes", None, "docker-notes.md")
    merged = merge(existing, _load(existing), cards)
    return merged.text, [card.id for card in merged.added]


def _edit(text: str) -> str:
    """An author's edits: a reworded prompt, a renamed id, a card without its marker."""
    text = text.replace('prompt: "Create a volume named `web`."', 'prompt: "Make volume web."')
    text = text.replace("- id: volumes-persistent-docker-volume-ls\n", "- id: vol-ls\n")
    text = re.sub(r"  # from: \w+ \(notes line 31\)\n", "", text)
    text = text.replace("- id: basic-docker-docker-ps\n", "- id: ps\n")
    text = text.replace('prompt: "Obtain the container id."', 'prompt: "List containers."')
    return text.replace('front: "What is MACVLAN?"', 'front: "MACVLAN means?"')


def test_merge_keeps_the_deck_and_adds_only_new_material() -> None:
    original, _ = draft_text(NOTES, "docker-notes", None, "docker-notes.md")
    edited = _edit(original)
    merged, added = _merge(edited, NEW_NOTES)
    assert merged.startswith(edited)
    assert added == ["best-practices-docker-scout-cves-nginx-1", "best-practices-distroless"]
    deck = _load(merged)
    assert len(deck.cards) == len(_load(edited).cards) + 2
    assert deck.card("vol-ls") is not None and deck.card("ps") is not None
    assert deck.card("volumes-persistent-docker-volume-ls") is None
    commands = [c for c in deck.cards if isinstance(c, CommandCard)]
    assert [c.answer for c in commands].count("docker ps") == 1
    assert deck.cards[-1].text == "{{c1::Distroless}} images have no shell"  # type: ignore[union-attr]
    assert "  # check: docker scout: unknown docker command\n" in merged[len(edited) :]


def test_merging_unchanged_notes_changes_nothing() -> None:
    original, _ = draft_text(NOTES, "docker-notes", None, "docker-notes.md")
    edited = _edit(original)
    merged, added = _merge(edited, NOTES)
    assert (merged, added) == (edited, [])


def test_a_card_whose_id_and_marker_changed_is_matched_by_its_answer() -> None:
    notes = "# T\n## Vols\n* List volumes: `docker volume ls`\n"
    original, _ = draft_text(notes, "t", None, None)
    edited = re.sub(r"  # from: .*\n", "", original).replace(
        "- id: vols-docker-volume-ls", "- id: x"
    )
    merged, added = _merge(edited, notes + "* `docker volume prune`\n")
    assert added == ["vols-docker-volume-prune"]
    assert merged.startswith(edited)


def test_a_reworded_card_is_matched_by_its_marker() -> None:
    notes = "# T\n## Vols\n* Raft is a consensus algorithm\n"
    original, _ = draft_text(notes, "t", None, None)
    edited = (
        original.replace("- id: vols-raft", "- id: consensus")
        .replace('front: "What is Raft?"', 'front: "Name a consensus algorithm."')
        .replace('back: "A consensus algorithm"', 'back: "Raft"')
    )
    assert "- id: consensus" in edited and "What is Raft?" not in edited
    merged, added = _merge(edited, notes)
    assert (merged, added) == (edited, [])


def test_new_cards_go_inside_the_cards_list_with_its_indentation_and_line_ends() -> None:
    existing = (
        "deck: t\r\ntitle: T\r\ncards:\r\n- id: one\r\n  front: a\r\n  back: b\r\n"
        "# trailing comment\r\n\r\ntags: [x]\r\n"
    )
    merged, added = _merge(existing, "# T\n## Vols\n* `docker ps`\n")
    assert added == ["vols-docker-ps"]
    assert merged.startswith("deck: t\r\ntitle: T\r\ncards:\r\n- id: one\r\n")
    assert merged.endswith(
        "\r\n- id: vols-docker-ps\r\n  type: command\r\n"
        '  section: "Vols"\r\n  tags: [vols]\r\n  prompt: "List the '
        'containers."\r\n  answer: "docker ps"\r\n\r\ntags: [x]\r\n'
    )
    assert "\n" not in merged.replace("\r\n", "")
    deck = _load(merged)
    assert [c.id for c in deck.cards] == ["one", "vols-docker-ps"]
    assert deck.tags == ("x",)


def test_new_ids_avoid_the_decks_ids() -> None:
    existing = 'deck: t\ntitle: T\ncards:\n  - id: vols-docker-ps\n    front: "x"\n    back: "y"\n'
    merged, added = _merge(existing, "# T\n## Vols\n* `docker ps`\n* `docker images`\n")
    assert added == ["vols-docker-images"]
    _load(merged)


def test_a_flow_style_card_list_cannot_be_merged_into() -> None:
    existing = "deck: t\ntitle: T\ncards: [{id: one, front: a, back: b}]\n"
    with pytest.raises(QuizappError, match="cannot merge"):
        _merge(existing, "# T\n* `docker ps`\n")


def test_a_deleted_card_stays_deleted_when_its_marker_is_kept() -> None:
    notes = "# T\n## Vols\n* `docker volume ls`\n* `docker volume prune`\n"
    original, _ = draft_text(notes, "t", None, None)
    start = original.index("  - id: vols-docker-volume-prune")
    tombstoned = original[:start].replace("  # check: prompt drawn automatically\n", "")
    assert tombstoned.rstrip().splitlines()[-1].startswith("  # from: ")
    merged, added = _merge(tombstoned, notes)
    assert (merged, added) == (tombstoned, [])
    without_marker = re.sub(r"\n  # from: \w+ \(notes line 4\)\n", "\n", tombstoned)
    assert _merge(without_marker, notes)[1] == ["vols-docker-volume-prune"]
