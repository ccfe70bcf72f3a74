"""Whatever the notes say, a draft either has no cards or is a deck that validates."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.deckfiles import load_deck_text
from quizapp.draft.merge import merge
from quizapp.draft.pipeline import draft_text

FRAGMENTS = [
    "# Title",
    "## Part: two",
    "### Deep",
    "Setext\n===",
    "* ",
    "- ",
    "  * ",
    "    - ",
    "1. ",
    "  2) ",
    "`docker volume create <name>`",
    "`docker run -it --name <x> alpine sh`",
    '`git commit -m "<message>`',
    "`kubectl get pods -n <namespace(s)>`",
    "`sudo apt install <package>`",
    "`docker`",
    "`-o encrypted`",
    "**Raft**",
    "**",
    "*em*",
    "{{c1::x}}",
    "}}",
    "::",
    " is a ",
    " - ",
    " — ",
    ": ",
    ", short for ",
    " aka ",
    "An image",
    "Label:",
    "80",
    "no",
    "é ✓ 🐳",
    "\t",
    "\\",
    '"',
    "#",
    "```",
    "```bash\n",
    "```console\n$ ",
    "$ docker ps \\\n",
    "  # comment",
    "---",
    "<id>",
    "\n",
    "\n\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40))
def test_any_notes_draft_to_a_valid_deck_or_nothing(parts: list[str]) -> None:
    notes = "".join(parts)
    text, cards = draft_text(notes, "fuzz", None, "fuzz.md")
    if not cards:
        return
    result = load_deck_text(text, Path("fuzz.yaml"))
    assert result.errors == (), (notes, [str(p) for p in result.errors])
    assert len(result.deck.cards) == len(cards)  # type: ignore[union-attr]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=25),
    st.lists(st.sampled_from(FRAGMENTS), max_size=25),
)
def test_merging_any_new_notes_keeps_the_deck_and_validates(
    first: list[str], more: list[str]
) -> None:
    text, cards = draft_text("".join(first), "fuzz", None, None)
    if not cards:
        return
    deck = load_deck_text(text, Path("fuzz.yaml")).deck
    assert deck is not None
    _, new_cards = draft_text("".join(first) + "\n" + "".join(more), "fuzz", None, None)
    merged = merge(text, deck, new_cards)
    assert merged.text.startswith(text)
    result = load_deck_text(merged.text, Path("fuzz.yaml"))
    assert result.errors == (), [str(p) for p in result.errors]
    assert len(result.deck.cards) == len(cards) + len(merged.added)  # type: ignore[union-attr]
