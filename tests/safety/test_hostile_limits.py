"""Input that used to end in `internal error`: a cloze number Anki cannot take, deeply nested
TOML, a TZ Python cannot use, a key binding that is not a key, an unknown binding id. Each is
one line naming the problem, a non-zero exit, and every file byte-identical."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from anki.collection import Collection

from quizapp.context import AppContext
from quizapp.deckfiles import load_deck_text
from quizapp.tui.app import QuizApp
from quizapp.tui.keymap import binding_ids, keymap_problem
from tests.export.samples import export, import_package

from .conftest import DAY0, STUDY_DECK, assert_clean_failure, noon, quizapp


def _cloze_deck(number: str) -> str:
    return (
        "deck: c\ntitle: C\ncards:\n  - id: a\n    type: cloze\n    section: s\n"
        f"    text: 'x {{{{c{number}::y}}}}'\n"
    )


@pytest.mark.parametrize("number", ["501", "70000", "99999999999999999999", "9" * 5000])
def test_validate_refuses_cloze_numbers_anki_cannot_take(number: str) -> None:
    result = load_deck_text(_cloze_deck(number), Path("c.yaml"))
    assert result.deck is None
    shown = number if len(number) <= 12 else number[:12] + "..."
    assert [str(p) for p in result.problems] == [
        f"c.yaml:7:14: error: cloze c{shown} is too high: Anki makes cards for c1 to c500 only"
    ]


def test_c500_is_the_last_cloze_number_and_anki_imports_it(tmp_path: Path) -> None:
    deck = load_deck_text(_cloze_deck("500"), Path("c.yaml")).deck
    assert deck is not None
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(col, export(tmp_path, [deck]))
        ords = [col.get_card(cid).ord for cid in col.find_cards("")]
    finally:
        col.close()
    assert ords == [499]


def test_a_too_high_cloze_is_one_line_from_validate(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    deck = tmp_path / "c.yaml"
    deck.write_text(_cloze_deck("99999999999999999999"), encoding="utf-8")
    result = quizapp(cli_env, "validate", str(deck))
    assert result.returncode == 1
    assert "is too high: Anki makes cards for c1 to c500 only" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


# --- settings and the environment ---------------------------------------------------------------


def _config(env: dict[str, str], text: str) -> Path:
    folder = Path(env["XDG_CONFIG_HOME"]) / "quizapp"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _db_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path, cli_env: dict[str, str]) -> Path:
    path = tmp_path / "p.db"
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / STUDY_DECK.name).write_bytes(STUDY_DECK.read_bytes())
    assert quizapp({**cli_env, "QUIZAPP_DECKS": str(decks)}, "--db", str(path),
                   "decks").returncode == 0  # fmt: skip
    return path


def test_deeply_nested_toml(cli_env: dict[str, str], db: Path) -> None:
    before = _db_digest(db)
    config = _config(cli_env, "a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = quizapp(cli_env, "--db", str(db), "decks")
    assert_clean_failure(result, f"{config}: invalid TOML: arrays or tables nested too deeply")
    assert _db_digest(db) == before


@pytest.mark.parametrize("tz", ["UTC+25", "XYZ-24:30"])
def test_a_time_zone_python_cannot_use(cli_env: dict[str, str], db: Path, tz: str) -> None:
    before = _db_digest(db)
    for command in (["decks"], ["stats"], ["export", "anki", "-o", str(db.parent / "o.apkg")]):
        result = quizapp({**cli_env, "TZ": tz}, "--db", str(db), *command)
        assert_clean_failure(
            result, f"the time zone TZ={tz} cannot be used: its offset from UTC must be less"
        )
    assert _db_digest(db) == before
    assert not (db.parent / "o.apkg").exists()


@pytest.mark.parametrize("keys", ["\\u0000", "\\u001b[2J", "ctrl+", "a,,b", "x y"])
def test_a_key_binding_that_is_not_a_key(cli_env: dict[str, str], db: Path, keys: str) -> None:
    config = _config(cli_env, f'[keys]\n"study.bury" = "{keys}"\n')
    result = quizapp(cli_env, "--db", str(db), "decks")
    assert_clean_failure(result, f"{config}:2:1: keys.study.bury: ", "is not a key")


def test_real_keys_are_accepted() -> None:
    from quizapp.config import _KEY

    for key in ("x", "X", "?", "f5", "escape", "ctrl+b", "shift+tab", "space", "ctrl+shift+f1"):
        assert _KEY.fullmatch(key), key


def test_a_key_textual_does_not_know() -> None:
    from quizapp.tui.keymap import is_key

    for key in ("x", "?", "f5", "escape", "ctrl+b", "shift+tab", "space", "question_mark"):
        assert is_key(key), key
    for key in ("foo", "ctrl+foo", "f99", "\x00"):
        assert not is_key(key), key
    problem = keymap_problem({"study.bury": "x,foo"})
    assert problem is not None
    assert problem.endswith(
        ":1:1: keys.study.bury: 'foo' is not a key "
        + '(keys are named like "x", "?", "f5", "escape", "space" or "ctrl+b")'
    )


def test_an_unknown_binding_id_says_did_you_mean() -> None:
    assert "study.bury" in binding_ids() and "home.quit" in binding_ids()
    problem = keymap_problem({"study.bury": "x", "study.buryy": "x"})
    assert problem is not None
    assert problem.endswith(
        ":1:1: unknown key binding id 'study.buryy' in [keys] (did you mean 'study.bury'?); "
        "? in the app lists the binding ids"
    )
    assert keymap_problem({"study.bury": "x", "home.quit": "q,ctrl+q"}) is None


async def test_the_study_app_stops_on_an_unknown_binding_id(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(STUDY_DECK, decks)
    ctx = AppContext(db=str(tmp_path / "p.db"), deck_dirs=(decks,))
    app = QuizApp(ctx, today=DAY0, now=lambda: noon(DAY0), keymap={"home.quitt": "x"})
    async with app.run_test() as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if app.error is not None:
                break
    assert app.error is not None and app.return_code == 2
    assert "unknown key binding id 'home.quitt' in [keys] (did you mean 'home.quit'?)" in (
        app.error.message
    )
