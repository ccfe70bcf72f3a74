"""Deck text becomes safe Anki HTML; tags become Anki-safe tags."""

from __future__ import annotations

import pytest

from quizapp.export.text import (
    anki_tag,
    choices_html,
    cloze_html,
    literal_html,
    note_tags,
    section_tag,
    text_html,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<none>", "&lt;none&gt;"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a & b", "a &amp; b"),
        ('say "hi"', 'say "hi"'),
        ("line one\nline two", "line one<br>line two"),
        ("crlf\r\nend", "crlf<br>end"),
        ("run `docker ps -a`", "run <code>docker ps -a</code>"),
        ("`<none>` tag", "<code>&lt;none&gt;</code> tag"),
        ("a `b` and `c`", "a <code>b</code> and <code>c</code>"),
        ("one ` backtick", "one ` backtick"),
        ("`split\nline`", "`split<br>line`"),
    ],
)
def test_text_html(text: str, expected: str) -> None:
    assert text_html(text) == expected


def test_literal_html_keeps_backticks_of_a_shell_command() -> None:
    assert literal_html("echo `date` > <out> && ls") == "echo `date` &gt; &lt;out&gt; &amp;&amp; ls"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{c1::docker}} run", "{{c1::docker}} run"),
        ("{{c2::-o encrypted::an option}}", "{{c2::-o encrypted::an option}}"),
        ("<b> {{c1::a & b}} <i>", "&lt;b&gt; {{c1::a &amp; b}} &lt;i&gt;"),
        ("{{c1::`docker ps`::a `cmd`}}", "{{c1::<code>docker ps</code>::a <code>cmd</code>}}"),
        ("`x {{c1::y}} z`", "<code>x {{c1::y}} z</code>"),
        (
            "`FROM {{c1::alpine}}` and `RUN`",
            "<code>FROM {{c1::alpine}}</code> and <code>RUN</code>",
        ),
        ("{{c1::<none>}}\n{{c3::tag}}", "{{c1::&lt;none&gt;}}<br>{{c3::tag}}"),
    ],
)
def test_cloze_html_escapes_but_keeps_the_cloze_markup(text: str, expected: str) -> None:
    assert cloze_html(text) == expected


def test_choices_html_is_a_list_in_deck_order() -> None:
    assert choices_html(["Raft", "a<b", "`x`"]) == (
        '<ul class="choices"><li>Raft</li><li>a&lt;b</li><li><code>x</code></li></ul>'
    )


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("docker", "docker"),
        ("core topics", "core_topics"),
        ("  tabs\tand   spaces ", "tabs_and_spaces"),
        ('say "x"', "say_x"),
        ("docker::networking", "docker::networking"),
        ("a:: b c ::", "a::b_c"),
        ("wide\u3000space", "wide_space"),
        ("   ", ""),
    ],
)
def test_anki_tag(tag: str, expected: str) -> None:
    assert anki_tag(tag) == expected


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        (
            "Container Networking > Network types",
            "section::Container_Networking::Network_types",
        ),
        ("Swarm", "section::Swarm"),
        ("A >> B", "section::A::B"),
        ("A::B > C", "section::A:B::C"),
        (" > ", ""),
    ],
)
def test_section_tag(section: str, expected: str) -> None:
    assert section_tag(section) == expected


def test_note_tags_deck_then_card_then_section_without_duplicates() -> None:
    tags = note_tags(("docker", "core topics"), ("Docker", "networks"), "Images > Dangling")
    assert tags == ["docker", "core_topics", "networks", "section::Images::Dangling"]
    assert note_tags((), (), None) == []


def test_no_bundled_note_keeps_a_literal_backtick() -> None:
    """docs/export-anki.md: inline code becomes <code> in every note (command answers, shell
    text shown literally, aside)."""
    from pathlib import Path

    from quizapp.deck.model import BasicCard, ChoiceCard, ClozeCard, CommandCard
    from quizapp.deckfiles import load_deck

    decks = sorted((Path(__file__).parents[2] / "decks").glob("*.yaml"))
    assert decks
    for path in decks:
        deck = load_deck(path).deck
        assert deck is not None, path
        for card in deck.cards:
            if isinstance(card, ClozeCard):
                fields = [cloze_html(card.text)]
            elif isinstance(card, CommandCard):
                fields = [text_html(card.prompt)]
            elif isinstance(card, ChoiceCard):
                fields = [text_html(card.question), choices_html(card.choices)]
            else:
                assert isinstance(card, BasicCard)
                fields = [text_html(card.front), text_html(card.back)]
            fields.append(text_html(card.explain or ""))
            for field in fields:
                assert "`" not in field, (path.name, card.id, field)
