"""run_validate in-process: what it prints, its exit status, and the summary's wording."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from quizapp.commands.validate import run_validate

CARD = "  - id: c{n}\n    front: f\n    back: b\n    section: S\n"


def write(path: Path, deck_id: str, cards: int, extra: str = "") -> Path:
    body = "".join(CARD.format(n=n) for n in range(cards))
    path.write_text(f"deck: {deck_id}\ntitle: T\ncards:\n{body}{extra}")
    return path


def test_summary_counts_decks_cards_errors_and_warnings(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "a", 3)
    write(tmp_path / "b.yaml", "b", 2, "  - id: Bad\n    front: f\n    back: b\n")
    out = io.StringIO()
    assert run_validate([], [tmp_path, tmp_path / "missing"], out) == 1
    b = tmp_path / "b.yaml"
    assert out.getvalue().splitlines() == [
        f"{b}:12:5: warning: card 'Bad' has no section",
        f"{b}:12:9: error: card id 'Bad' must match ^[a-z0-9][a-z0-9-]{{0,63}}$ "
        "(lowercase letters, digits and hyphens, at most 64)",
        "2 decks, 6 cards: 1 error, 1 warning",
    ]


@pytest.mark.parametrize(("cards", "expected"), [(1, "1 deck, 1 card"), (2, "1 deck, 2 cards")])
def test_summary_singular_and_plural(tmp_path: Path, cards: int, expected: str) -> None:
    out = io.StringIO()
    assert run_validate([write(tmp_path / "a.yaml", "a", cards)], [], out) == 0
    assert out.getvalue() == f"{expected}: 0 errors, 0 warnings\n"


def test_paths_beat_deck_dirs(tmp_path: Path) -> None:
    write(tmp_path / "dir.yaml", "dir", 1)
    given = write(tmp_path / "given.yml", "given", 2)
    out = io.StringIO()
    assert run_validate([given], [tmp_path], out) == 0
    assert out.getvalue() == "1 deck, 2 cards: 0 errors, 0 warnings\n"


def test_missing_path_is_2_and_nothing_on_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    assert run_validate([tmp_path / "a.yaml"], [], out) == 2
    assert out.getvalue() == ""
    assert (
        capsys.readouterr().err
        == f"quizapp: error: no such file or folder: {tmp_path / 'a.yaml'}\n"
    )


def test_validate_writes_nothing_to_the_user_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    deck = write(tmp_path / "a.yaml", "a", 2)
    assert run_validate([deck], [], io.StringIO()) == 0
    assert run_validate([], [tmp_path], io.StringIO()) == 0
    assert not (tmp_path / "cache").exists()
