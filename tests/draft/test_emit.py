"""Every text the drafter writes reads back as exactly the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from quizapp.deckfiles import load_deck_text
from quizapp.draft.emit import quote, scalar
from quizapp.draft.inline import plain, to_cloze

AWKWARD = [
    "80",
    "no",
    "yes",
    "1.10",
    "1e3",
    "0x1F",
    "null",
    "~",
    "true",
    "key: value",
    "# not a comment",
    "a #b",
    'say "hi"',
    "it's",
    "back\\slash \\n",
    "tab\there",
    "two\nlines",
    "ünïcødé ✓ 🐳 — ok",
    "\x07bell \x1b esc \x7f del \x85 nel",
    "\u2028 \u2029 \ufeff \ufffe",
    " leading and trailing ",
    "{{c1::Raft}}",
    "- dash",
    "? question",
    "@at `code` %p &a *b !c |d >e",
    "[flow, list]",
    "{flow: map}",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_quoted_text_loads_back_literally(text: str) -> None:
    deck = (
        f"deck: d\ntitle: {quote(text)}\ncards:\n  - id: c\n    front: {quote(text)}\n    back: x\n"
    )
    result = load_deck_text(deck, Path("d.yaml"))
    assert result.errors == ()
    assert result.deck is not None
    assert result.deck.title == text
    assert result.deck.cards[0].front == text  # type: ignore[union-attr]


@given(st.text(min_size=1))
def test_any_text_round_trips_through_yaml(text: str) -> None:
    assert yaml.safe_load(f"v: {quote(text)}")["v"] == text


def test_scalar_is_plain_only_when_yaml_cannot_misread_it() -> None:
    assert scalar("docker-ps") == "docker-ps"
    assert scalar("no") == '"no"'
    assert scalar("80") == '"80"'
    assert scalar("1-2") == '"1-2"'
    assert quote('a"b\\c\n') == '"a\\"b\\\\c\\n"'


def test_bold_terms_become_cloze_deletions() -> None:
    assert to_cloze("handled by **Raft**") == "handled by {{c1::Raft}}"
    assert (
        to_cloze("**A** and **B** then **A** again `**not bold**`")
        == "{{c1::A}} and {{c2::B}} then {{c1::A}} again `**not bold**`"
    )
    assert to_cloze("**only a term**") is None
    assert to_cloze("no bold here") is None
    assert to_cloze("a **x::y** term here") is None


def test_plain_drops_markup_but_keeps_code() -> None:
    assert (
        plain("*on the host* **and** [link](http://x) `*keep*`") == "on the host and link `*keep*`"
    )
    assert plain("snake_case_word stays") == "snake_case_word stays"
