"""Every error class of the deck format, each pinned to its line and column.

One fixture file per class in tests/data/deck/bad/, plus inline cases for the finer points.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.deck.model import Severity
from quizapp.deckfiles import load_deck, load_deck_text
from tests.deck.conftest import DATA

BAD = DATA / "bad"
ID_RULE = "must match ^[a-z0-9][a-z0-9-]{0,63}$ (lowercase letters, digits and hyphens, at most 64)"
TAG_RULE = "is not allowed: a deck holds only text, lists and mappings"

EXPECTED: dict[str, list[str]] = {
    "not-yaml.yaml": [
        "4:1: error: not YAML: found unexpected end of stream "
        "(while scanning a quoted scalar at line 2, column 8)",
    ],
    "not-utf8.yaml": ["2:11: error: not UTF-8: byte 0xe9 cannot be decoded"],
    "binary.yaml": ["1:1: error: not UTF-8: byte 0x89 cannot be decoded"],
    "not-mapping.yaml": [
        "1:1: error: the top of a deck file must be a mapping (deck, title, cards), not a list"
    ],
    "missing-field.yaml": [
        "1:1: error: missing required key 'title'",
        "3:5: error: missing required key 'back'",
    ],
    "empty-field.yaml": [
        "2:1: error: 'title' is empty",
        "6:5: error: 'back' is empty",
    ],
    "wrong-shape.yaml": [
        "2:8: error: 'title' must be text, not a list",
        "3:7: error: 'tags' must be a list, like [docker, networking], not text",
        "7:7: error: 'front' must be text, not a mapping",
    ],
    "unknown-key.yaml": [
        "3:1: error: unknown key 'descripton' in the deck (did you mean 'description'?)",
        "5:5: error: missing required key 'front'",
        "6:5: error: unknown key 'fornt' in a basic card (did you mean 'front'?)",
    ],
    "duplicate-key.yaml": ["7:5: error: duplicate key 'back' (first at line 6, column 5)"],
    "bad-id.yaml": [
        f"1:7: error: deck id 'Bad_Deck' {ID_RULE}",
        f"4:9: error: card id 'Has Spaces' {ID_RULE}",
        "12:9: error: duplicate card id 'ok-id' (first at line 8, column 9)",
    ],
    "bad-type.yaml": [
        "5:11: error: unknown card type 'comand' (did you mean 'command'?): "
        "use basic, command, cloze or choice"
    ],
    "bad-cloze.yaml": [
        "6:11: error: cloze text has no deletion: write {{c1::answer}}",
        "10:20: error: cloze c1 has an empty answer",
        "14:21: error: cloze c1 is not closed with }}",
    ],
    "bad-choice.yaml": [
        "7:28: error: duplicate choice 'Raft' (first at line 7, column 15)",
        "8:13: error: the answer 'Gossip' is not one of the choices",
        "13:14: error: 'choices' needs at least 2 entries, found 1",
    ],
    "bad-command.yaml": [
        "7:13: error: 'answer' is not a parseable shell command: no closing quotation",
        "9:9: error: an 'accept' entry is not a parseable shell command: no closing quotation",
        "15:13: error: the answer does not start with prefix 'docker volume'",
    ],
    "empty-cards.yaml": ["3:1: error: 'cards' is empty: a deck needs at least one card"],
    "python-tag.yaml": [
        f"2:8: error: YAML tag !!python/object/apply:os.system {TAG_RULE}",
        "2:8: error: 'title' must be text, not a list",
        f"5:12: error: YAML tag !custom {TAG_RULE}",
    ],
    "billion-laughs.yaml": [
        "8:11: error: aliases expand to more than 100000 nodes (an alias bomb?): refused"
    ],
}


def test_every_bad_fixture_has_its_expectation() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture_reports_every_problem_at_its_position(name: str) -> None:
    result = load_deck(BAD / name)
    assert result.deck is None
    assert [str(p) for p in result.problems] == [f"{BAD / name}:{e}" for e in EXPECTED[name]]
    assert all(p.severity is Severity.ERROR for p in result.problems)


def problems(source: str | bytes) -> list[str]:
    """The problems of inline YAML, as `LINE:COLUMN: severity: message` lines."""
    result = load_deck_text(source, Path("d.yaml"))
    lines = [str(p).removeprefix("d.yaml:") for p in result.problems]
    if result.errors:
        assert result.deck is None
    return lines


HEAD = "deck: d\ntitle: T\ncards:\n"


def card(body: str) -> str:
    """A deck with one card whose lines (after `- `) are given; the card starts on line 4."""
    lines = body.strip("\n").split("\n")
    return HEAD + "  - " + lines[0] + "\n" + "".join(f"    {line}\n" for line in lines[1:])


def test_all_problems_of_a_file_are_collected_in_position_order() -> None:
    source = (
        "deck: Not-Valid\n"
        "titel: T\n"
        "cards:\n"
        "  - id: a\n"
        "    front: [x]\n"
        "    bak: y\n"
        "    section: S\n"
        "  - just text\n"
    )
    assert problems(source) == [
        "1:1: error: missing required key 'title'",
        f"1:7: error: deck id 'Not-Valid' {ID_RULE}",
        "2:1: error: unknown key 'titel' in the deck (did you mean 'title'?)",
        "4:5: error: missing required key 'back'",
        "5:12: error: 'front' must be text, not a list",
        "6:5: error: unknown key 'bak' in a basic card (did you mean 'back'?)",
        "8:5: error: a card must be a mapping (id, front, back, ...), not text",
    ]


def test_unknown_key_without_a_close_match_has_no_suggestion() -> None:
    assert problems(card("id: a\nfront: f\nback: b\nsection: S\nzzz: 1")) == [
        "8:5: error: unknown key 'zzz' in a basic card"
    ]


def test_key_of_another_card_type_says_where_it_belongs() -> None:
    assert problems(card("id: a\nfront: f\nback: b\nsection: S\nanswer: x")) == [
        "8:5: error: unknown key 'answer' in a basic card ('answer' belongs to command and "
        "choice cards)"
    ]


def test_merge_keys_are_refused() -> None:
    source = "base: &b {front: f, back: b}\n" + card("id: a\n<<: *b\nsection: S")
    assert problems(source) == [
        "1:1: error: unknown key 'base' in the deck",
        "5:5: error: missing required key 'front'",
        "5:5: error: missing required key 'back'",
        "6:5: error: unknown key '<<' in a basic card (YAML merge keys are not supported)",
    ]


def test_duplicate_keys_at_deck_level_and_in_flow_mappings() -> None:
    source = "deck: d\ntitle: T\ntitle: U\ncards:\n  - {id: a, front: f, back: b, back: c}\n"
    assert problems(source) == [
        "3:1: error: duplicate key 'title' (first at line 2, column 1)",
        "5:5: warning: card 'a' has no section",
        "5:32: error: duplicate key 'back' (first at line 5, column 23)",
    ]


def test_a_key_that_is_not_text() -> None:
    assert problems(HEAD + "  - id: a\n    [x]: y\n") == [
        "4:5: error: missing required key 'front'",
        "4:5: error: missing required key 'back'",
        "4:5: warning: card 'a' has no section",
        "5:5: error: a key must be text, not a list",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("''", "5:5: error: 'front' is empty"),
        ('"   "', "5:5: error: 'front' is empty"),
        ("", "5:5: error: 'front' is empty"),
        ("[a, b]", "5:12: error: 'front' must be text, not a list"),
        ("{a: b}", "5:12: error: 'front' must be text, not a mapping"),
    ],
)
def test_text_field_shapes(value: str, expected: str) -> None:
    assert problems(card(f"id: a\nfront: {value}\nback: b\nsection: S")) == [expected]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ("docker", ["8:11: error: 'tags' must be a list, like [docker, networking], not text"]),
        (
            "{a: b}",
            ["8:11: error: 'tags' must be a list, like [docker, networking], not a mapping"],
        ),
        ("[a, [b]]", ["8:15: error: each entry of 'tags' must be text, not a list"]),
        ("[a, '']", ["8:15: error: an entry of 'tags' is empty"]),
    ],
)
def test_card_tags_must_be_a_list_of_text(tags: str, expected: list[str]) -> None:
    assert problems(card(f"id: a\nfront: f\nback: b\nsection: S\ntags: {tags}")) == expected


def test_deck_tags_must_be_a_list_of_text() -> None:
    assert problems("tags: docker\n" + card("id: a\nfront: f\nback: b\nsection: S")) == [
        "1:7: error: 'tags' must be a list, like [docker, networking], not text"
    ]


@pytest.mark.parametrize(
    ("cards", "expected"),
    [
        ("cards:\n", "3:1: error: 'cards' is empty: a deck needs at least one card"),
        ("cards: []\n", "3:1: error: 'cards' is empty: a deck needs at least one card"),
        ("cards: many\n", "3:8: error: 'cards' must be a list of cards, not text"),
        ("cards: {a: b}\n", "3:8: error: 'cards' must be a list of cards, not a mapping"),
    ],
)
def test_cards_must_be_a_non_empty_list(cards: str, expected: str) -> None:
    assert problems("deck: d\ntitle: T\n" + cards) == [expected]


@pytest.mark.parametrize("deck_id", ["a", "0", "docker-networking", "a" * 64, "9-lives", "a-"])
def test_good_ids(deck_id: str) -> None:
    source = card("id: c\nfront: f\nback: b\nsection: S").replace("deck: d", f"deck: {deck_id}")
    assert problems(source) == []


@pytest.mark.parametrize("bad_id", ["A", "-a", "a_b", "a.b", "a" * 65, "é", "'a b'", "42x!"])
def test_bad_ids(bad_id: str) -> None:
    shown = bad_id.strip("'")
    assert problems(card(f"id: {bad_id}\nfront: f\nback: b\nsection: S")) == [
        f"4:9: error: card id '{shown}' {ID_RULE}"
    ]


def test_id_of_the_wrong_shape() -> None:
    assert problems(card("id: [a]\nfront: f\nback: b\nsection: S")) == [
        "4:9: error: 'id' must be text, not a list"
    ]


def test_missing_id() -> None:
    assert problems(card("front: f\nback: b\nsection: S")) == [
        "4:5: error: missing required key 'id'"
    ]


def test_type_of_the_wrong_shape_still_checks_the_id() -> None:
    assert problems(card("id: A\ntype: [basic]\nfront: f")) == [
        f"4:9: error: card id 'A' {ID_RULE}",
        "5:11: error: 'type' must be text, not a list",
    ]


def test_unknown_type_without_a_close_match() -> None:
    assert problems(card("id: a\ntype: essay\nfront: f\nback: b\nsection: S")) == [
        "5:11: error: unknown card type 'essay': use basic, command, cloze or choice"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Plain, single-quoted and double-quoted one-line scalars point into the text.
        ("A {{c1::}} B", ["6:13: error: cloze c1 has an empty answer"]),
        ("'A {{c1::x'", ["6:14: error: cloze c1 is not closed with }}"]),
        ('"A {{c0::x}}"', ["6:14: error: cloze numbers start at c1, not c0"]),
        (
            "A {{c1::a {{c2::b}}",
            ["6:13: error: cloze c1 is not closed with }} before the next {{"],
        ),
        ("'{{c1:x}}'", ["6:12: error: malformed cloze: write {{c1::answer}}"]),
        ("plain text", ["6:11: error: cloze text has no deletion: write {{c1::answer}}"]),
        # An escape is one character of the value: positions count it in the source.
        ('"\\t{{c1::}}"', ["6:14: error: cloze c1 has an empty answer"]),
        ('"\\x41\\t{{c1::}}"', ["6:18: error: cloze c1 has an empty answer"]),
        # A literal block is mapped line by line.
        (
            "|\n      first line\n      then {{c2::x",
            ["8:16: error: cloze c2 is not closed with }}"],
        ),
        # A folded block cannot be mapped exactly: its start is used.
        (
            ">\n      first line\n      then {{c2::x",
            ["6:11: error: cloze c2 is not closed with }}"],
        ),
    ],
)
def test_cloze_problems_are_positioned(text: str, expected: list[str]) -> None:
    assert problems(card(f"id: a\ntype: cloze\ntext: {text}\nsection: S")) == expected


def test_command_prefix_is_compared_word_by_word_and_accept_entries_are_checked() -> None:
    body = (
        "id: a\ntype: command\nprompt: p\nanswer: docker   network ls\n"
        "prefix: docker network\naccept: [docker network list, podman network ls]\nsection: S"
    )
    assert problems(card(body)) == [
        "9:35: warning: this accept entry does not start with prefix 'docker network': "
        "it can never match"
    ]


def test_a_prefix_must_end_where_a_word_of_the_answer_ends() -> None:
    body = (
        "id: a\ntype: command\nprompt: p\nanswer: docker psx\nprefix: docker ps\n"
        "accept: [docker ps -a, docker ps, docker pss]\nsection: S"
    )
    assert problems(card(body)) == [
        "7:13: warning: docker psx: unknown docker command (did you mean ps for psx?)",
        "8:13: error: the answer does not start with prefix 'docker ps'",
        "9:39: warning: this accept entry does not start with prefix 'docker ps': "
        "it can never match",
        "9:39: warning: docker pss: unknown docker command (did you mean ps for pss?)",
    ]


def test_command_accept_of_the_wrong_shape() -> None:
    body = "id: a\ntype: command\nprompt: p\nanswer: docker ps\naccept: docker ps -a\nsection: S"
    assert problems(card(body)) == [
        "8:13: error: 'accept' must be a list, like [..., ...], not text"
    ]


def test_choice_answer_and_choices_of_the_wrong_shape() -> None:
    body = "id: a\ntype: choice\nquestion: q\nchoices: Raft\nanswer: [Raft]\nsection: S"
    assert problems(card(body)) == [
        "7:14: error: 'choices' must be a list, like [..., ...], not text",
        "8:13: error: 'answer' must be text, not a list",
    ]


def test_choices_given_empty() -> None:
    body = "id: a\ntype: choice\nquestion: q\nchoices:\nanswer: Raft\nsection: S"
    assert problems(card(body)) == [
        "7:5: error: 'choices' needs at least 2 entries, found 0",
        "8:13: error: the answer 'Raft' is not one of the choices",
    ]


def test_missing_fields_of_each_kind() -> None:
    source = HEAD + (
        "  - {id: a, type: command, section: S}\n"
        "  - {id: b, type: cloze, section: S}\n"
        "  - {id: c, type: choice, section: S}\n"
    )
    assert problems(source) == [
        "4:5: error: missing required key 'prompt'",
        "4:5: error: missing required key 'answer'",
        "5:5: error: missing required key 'text'",
        "6:5: error: missing required key 'question'",
        "6:5: error: missing required key 'choices'",
        "6:5: error: missing required key 'answer'",
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("", "1:1: error: the file is empty: a deck is a mapping with deck, title, cards"),
        (
            "# only a comment\n",
            "1:1: error: the file is empty: a deck is a mapping with deck, title, cards",
        ),
        (
            "just text\n",
            "1:1: error: the top of a deck file must be a mapping (deck, title, cards), not text",
        ),
        ("a: 1\n---\nb: 2\n", "2:1: error: not YAML for a deck: a second document (---)"),
        ("a: *nowhere\n", "1:4: error: not YAML: alias *nowhere has no anchor &nowhere"),
        (
            "deck: d\n  title: T\n",
            "2:8: error: not YAML: mapping values are not allowed in this context",
        ),
        ("deck: d\ttab\x07\n", "1:12: error: not YAML: control character U+0007 is not allowed"),
    ],
)
def test_not_a_deck_at_all(source: str, expected: str) -> None:
    assert problems(source) == [expected]


def test_not_utf8_position_counts_characters_before_the_bad_byte() -> None:
    assert problems("deck: d\ntitle: Ünïcode ".encode() + b"\xff\n") == [
        "2:16: error: not UTF-8: byte 0xff cannot be decoded"
    ]


def test_utf16_is_not_utf8() -> None:
    assert problems("deck: d\n".encode("utf-16")) == [
        "1:1: error: not UTF-8: byte 0xff cannot be decoded"
    ]


def test_docker_commands_the_grader_does_not_know_are_warnings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import quizapp.grading

    def unknown(command: str) -> list[str]:
        return ["unknown docker command 'docker netwrk'"] if "netwrk" in command else []

    monkeypatch.setattr(quizapp.grading, "command_warnings", unknown)
    source = (
        "deck: d\ntitle: T\ncards:\n  - id: a\n    type: command\n    prompt: p\n"
        "    answer: docker netwrk ls\n    accept: [docker network ls, docker netwrk list]\n"
        "    section: S\n"
    )
    result = load_deck_text(source, Path("d.yaml"))
    assert [str(p) for p in result.problems] == [
        "d.yaml:7:13: warning: unknown docker command 'docker netwrk'",
        "d.yaml:8:33: warning: unknown docker command 'docker netwrk'",
    ]
    assert result.deck is not None


def test_the_real_grader_warns_about_unknown_docker_commands_only() -> None:
    source = (
        "deck: d\ntitle: T\ncards:\n  - id: a\n    type: command\n    prompt: p\n"
        "    answer: docker netwrk ls\n    accept: [docker network ls, ls -l]\n    section: S\n"
    )
    result = load_deck_text(source, Path("d.yaml"))
    assert [(p.line, p.column, p.severity) for p in result.problems] == [(7, 13, Severity.WARNING)]
    assert "unknown docker command" in result.problems[0].message
    assert result.deck is not None
