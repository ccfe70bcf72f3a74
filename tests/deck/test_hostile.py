"""Hostile files: bounded work and memory, nothing constructed, never an exception."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.deck import yamlnodes
from quizapp.deck.loader import MAX_FILE_BYTES
from quizapp.deck.model import LoadResult
from quizapp.deck.yamlnodes import MAX_DEPTH
from quizapp.deckfiles import load_deck, load_deck_text
from tests.deck.conftest import DATA

LAUGHS = DATA / "bad" / "billion-laughs.yaml"


def test_billion_laughs_is_refused() -> None:
    result = load_deck(LAUGHS)
    assert result.deck is None
    assert [str(p) for p in result.problems] == [
        f"{LAUGHS}:8:11: error: aliases expand to more than 100000 nodes (an alias bomb?): refused"
    ]


@pytest.mark.timing
def test_billion_laughs_is_refused_in_well_under_a_second() -> None:
    start = time.perf_counter()
    result = load_deck(LAUGHS)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5
    assert result.deck is None


def test_aliases_within_the_limit_are_fine() -> None:
    source = (
        "deck: d\ntitle: T\ntags: &t [a, b]\ncards:\n"
        "  - &card {id: a, front: f, back: b, section: S, tags: *t}\n"
    )
    result = load_deck_text(source, Path("d.yaml"))
    assert result.problems == ()
    assert result.deck is not None
    assert result.deck.cards[0].tags == ("a", "b")


def test_aliased_card_is_a_duplicate_id() -> None:
    source = "deck: d\ntitle: T\ncards:\n  - &c {id: a, front: f, back: b, section: S}\n  - *c\n"
    assert [str(p) for p in load_deck_text(source, Path("d.yaml")).problems] == [
        "d.yaml:4:13: error: duplicate card id 'a' (first at line 4, column 13)"
    ]


def test_node_count_limit_applies_without_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlnodes, "MAX_NODES", 1000)
    source = "deck: d\ntitle: T\nnoise: [" + "1, " * 1000 + "1]\ncards: []\n"
    result = load_deck_text(source, Path("d.yaml"))
    assert len(result.problems) == 1
    assert result.problems[0].line == 3
    assert "has more than 1000 nodes" in result.problems[0].message


def test_a_large_deck_without_aliases_is_not_mistaken_for_a_bomb() -> None:
    cards = "".join(
        f"  - {{id: c{i}, front: front {i}, back: back {i}, section: S, tags: [a, b]}}\n"
        for i in range(20_000)
    )
    result = load_deck_text("deck: d\ntitle: T\ncards:\n" + cards, Path("d.yaml"))
    assert result.problems == ()
    assert result.deck is not None and len(result.deck.cards) == 20_000


def test_recursive_alias_is_refused() -> None:
    result = load_deck_text("deck: &a [x, *a]\n", Path("d.yaml"))
    assert [str(p) for p in result.problems] == [
        "d.yaml:1:14: error: alias *a refers to a node that contains it"
    ]


def test_deep_nesting_is_refused() -> None:
    source = "deck: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    result = load_deck_text(source, Path("d.yaml"))
    assert [str(p) for p in result.problems] == [
        f"d.yaml:1:{7 + MAX_DEPTH - 1}: error: lists and mappings nest deeper than 64: refused"
    ]


def test_very_deep_nesting_is_refused_without_recursion() -> None:
    result = load_deck_text("[" * 200_000, Path("d.yaml"))
    assert result.deck is None
    assert len(result.problems) == 1


def test_file_over_10_mb_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)

    def no_reading(self: Path, *args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    result = load_deck(big)
    assert [str(p) for p in result.problems] == [
        f"{big}:1:1: error: the file is 10000001 bytes: a deck file may be 10 MB at most"
    ]


def test_exactly_10_mb_is_allowed_through_to_parsing(tmp_path: Path) -> None:
    body = "deck: d\ntitle: T\ncards: []\n# "
    data = (body + "x" * (MAX_FILE_BYTES - len(body) - 1) + "\n").encode()
    assert len(data) == MAX_FILE_BYTES
    result = load_deck_text(data, Path("d.yaml"))
    assert [str(p) for p in result.problems] == [
        "d.yaml:3:1: error: 'cards' is empty: a deck needs at least one card"
    ]


def test_bytes_over_10_mb_are_refused_by_load_deck_text() -> None:
    result = load_deck_text(b" " * (MAX_FILE_BYTES + 1), Path("d.yaml"))
    assert [p.message for p in result.problems] == [
        "the file is 10000001 bytes: a deck file may be 10 MB at most"
    ]


def test_unreadable_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.yaml"
    folder.mkdir()
    result = load_deck(folder)
    assert result.deck is None
    assert result.problems[0].message == "this is a folder, not a deck file"


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!binary aGVsbG8=",
        "!!set {{a, b}}",
        "!custom '{marker}'",
    ],
)
def test_object_building_tags_are_errors_and_nothing_runs(tmp_path: Path, tagged: str) -> None:
    marker = tmp_path / "pwned"
    source = f"deck: d\ntitle: {tagged.format(marker=marker)}\ncards: []\n"
    result = load_deck_text(source, Path("d.yaml"))
    assert result.deck is None
    [tag_problem] = [p for p in result.problems if p.message.startswith("YAML tag !")]
    assert (tag_problem.line, tag_problem.column) == (2, 8)
    assert tag_problem.message.endswith(
        " is not allowed: a deck holds only text, lists and mappings"
    )
    assert not marker.exists()


def test_the_pure_python_parser_gives_the_same_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from quizapp.deck import yamlnodes

    source = (DATA / "bad" / "bad-choice.yaml").read_bytes()
    with_c = load_deck_text(source, Path("d.yaml"))
    monkeypatch.setattr(yamlnodes, "_Loader", yaml.SafeLoader)
    assert load_deck_text(source, Path("d.yaml")) == with_c


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    assert isinstance(load_deck_text(data, Path("d.yaml")), LoadResult)


TOKENS = [*"abc-: \n\t'\"[]{},&*!|>#?%@`\\0~1é", "{{c1::", "}}", "deck", "cards", "id"]
YAMLISH = st.lists(st.sampled_from(TOKENS), max_size=120).map("".join)


@settings(max_examples=200, deadline=None)
@given(YAMLISH)
def test_arbitrary_yamlish_text_never_raises(text: str) -> None:
    result = load_deck_text(text, Path("d.yaml"))
    assert (result.deck is None) == bool(result.errors)
    assert all(p.line >= 1 and p.column >= 1 for p in result.problems)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_any_card_text_never_raises(text: str) -> None:
    for kind_fields in ("type: cloze\n    text: ", "type: command\n    prompt: p\n    answer: "):
        source = f"deck: d\ntitle: T\ncards:\n  - id: a\n    {kind_fields}{text!r}\n"
        assert isinstance(load_deck_text(source, Path("d.yaml")), LoadResult)


@pytest.mark.slow
@settings(max_examples=5000, deadline=None)
@given(YAMLISH)
def test_long_fuzz_of_yamlish_text(text: str) -> None:
    result = load_deck_text(text, Path("d.yaml"))
    assert all(p.line >= 1 and p.column >= 1 for p in result.problems)
