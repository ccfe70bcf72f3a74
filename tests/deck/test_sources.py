"""Deck folders: which files are decks, in what order, and deck ids used by two files."""

from __future__ import annotations

from pathlib import Path

from quizapp.deck.model import Severity
from quizapp.deckfiles import deck_files, inspect_decks, load_decks
from tests.deck.conftest import DATA

FOLDER = DATA / "folder"


def deck(deck_id: str, card_id: str = "one") -> str:
    return f"deck: {deck_id}\ntitle: T\ncards:\n  - id: {card_id}\n    front: f\n    back: b\n"


def test_folders_give_yaml_and_yml_files_recursively_sorted_skipping_hidden() -> None:
    assert deck_files([FOLDER]) == [FOLDER / "b.yaml", FOLDER / "sub" / "a.yml"]


def test_files_are_taken_as_given_even_without_a_yaml_suffix() -> None:
    notes = FOLDER / "notes.txt"
    assert deck_files([notes, FOLDER / "b.yaml"]) == [notes, FOLDER / "b.yaml"]


def test_missing_paths_are_skipped_and_duplicates_listed_once(tmp_path: Path) -> None:
    paths = [tmp_path / "nope", FOLDER, FOLDER / "b.yaml", FOLDER / "sub"]
    assert deck_files(paths) == [FOLDER / "b.yaml", FOLDER / "sub" / "a.yml"]


def test_folder_order_is_kept_and_sorted_within_each(tmp_path: Path) -> None:
    first, second = tmp_path / "z-first", tmp_path / "a-second"
    for folder in (first, second):
        folder.mkdir()
        (folder / "b.YAML").write_text(deck(folder.name))
        (folder / "a.yml").write_text(deck(folder.name + "-a"))
        (folder / "c.json").write_text("{}")
    assert deck_files([first, second]) == [
        first / "a.yml",
        first / "b.YAML",
        second / "a.yml",
        second / "b.YAML",
    ]


def test_load_decks_loads_every_file() -> None:
    results = load_decks([FOLDER])
    assert [r.deck.id for r in results if r.deck] == ["folder-b", "folder-a"]
    assert [str(p) for p in results[1].problems] == [
        f"{FOLDER / 'sub' / 'a.yml'}:4:5: warning: card 'one' has no section"
    ]


def test_empty_or_missing_folders_give_nothing(tmp_path: Path) -> None:
    assert load_decks([tmp_path, tmp_path / "missing"]) == []


def test_same_deck_id_in_two_files_is_an_error_in_both_naming_both(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"
    a.write_text(deck("shared") + "    section: S\n")
    b.write_text("# the same id\n" + deck("shared") + "    section: S\n")
    c.write_text(deck("other") + "    section: S\n")
    results = load_decks([tmp_path])
    assert [r.path for r in results] == [a, b, c]
    assert results[0].deck is None and results[1].deck is None
    assert results[2].deck is not None
    message = f"deck id 'shared' is used by 2 files: {a}, {b}"
    assert [str(p) for p in results[0].problems] == [f"{a}:1:7: error: {message}"]
    assert [str(p) for p in results[1].problems] == [f"{b}:2:7: error: {message}"]


def test_duplicate_deck_id_is_found_even_when_a_file_has_other_errors(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(deck("shared") + "    section: S\n")
    (tmp_path / "b.yaml").write_text(deck("shared", card_id="Bad Id") + "    section: S\n")
    reports = inspect_decks([tmp_path])
    assert [len(r.result.errors) for r in reports] == [1, 2]
    assert [r.card_count for r in reports] == [1, 1]
    assert all(r.result.deck is None for r in reports)
    assert reports[1].result.problems[0].severity is Severity.ERROR
    assert reports[1].result.problems[0].message.startswith("deck id 'shared' is used by 2 files")
