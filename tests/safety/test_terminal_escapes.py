"""No control character from a deck, a file name, a config file or a typed answer reaches the
terminal: every command and every screen of the study app, run in a pseudo-terminal with
every C0 and C1 control and a catalogue of escape sequences (OSC 52, OSC 0, OSC 8, CSI 2J,
CSI ?1049l, C1 CSI, ...), writes them as visible stand-ins (`quizapp.textsafe`)."""

from __future__ import annotations

import io
import itertools
import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quizapp.textsafe import VisibleWriter, control_offsets, stand_in, visible

from .escapes import (
    CATALOGUE,
    CONTROLS,
    FORBIDDEN,
    HOSTILE,
    TEXTUAL_SEQUENCE,
    leaked,
    shown,
    write_deck,
)
from .test_tui_pty import Terminal

# --- the one function ---------------------------------------------------------------------------


def test_every_control_has_a_visible_stand_in() -> None:
    for char in [*CONTROLS, "\n", "\t"]:
        out = visible(char)
        assert out == stand_in(char) != char
        assert not FORBIDDEN.search(out.encode())
    assert visible("\x1b") == "␛" and visible("\x07") == "␇" and visible("\x00") == "␀"
    assert visible("\x7f") == "␡" and visible("\x9b") == "\\x9b" and visible("\x85") == "\\x85"
    assert visible("a\nb\tc", newline=True, tab=True) == "a\nb\tc"
    assert visible("a\nb\tc") == "a␊b␉c"
    assert visible("plain text, é ✓ “quotes”") == "plain text, é ✓ “quotes”"
    # An undecodable byte of a file name (os.fsdecode) cannot even be written: it is hex.
    assert visible(os.fsdecode(b"deck\xff.yaml")) == "deck\\xff.yaml"


def test_control_offsets_are_those_deck_text_may_not_hold() -> None:
    assert control_offsets("a\nb\tc") == []
    assert control_offsets("a\x1bb\x9b\x7f") == [1, 3, 4]


def test_the_cli_writer_passes_text_through_visible() -> None:
    target = io.StringIO()
    writer = VisibleWriter(target)  # type: ignore[arg-type]
    writer.write("ok\n" + CATALOGUE["osc 52 (clipboard)"] + "\tend\n")
    assert target.getvalue() == "ok\n␛]52;c;cm0gLXJmIH4K␇\tend\n"
    with pytest.raises(TypeError):
        writer.write(b"bytes")  # type: ignore[arg-type]


# --- every command in a pty ---------------------------------------------------------------------


def run_in_pty(argv: list[str], env: dict[str, str], cwd: Path, timeout: float = 60) -> bytes:
    """Everything the command writes to its terminal (stdout and stderr), raw."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True
    )
    os.close(slave)
    raw = bytearray()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        raw += chunk
    process.wait(timeout=max(1.0, deadline - time.monotonic()))
    os.close(master)
    return bytes(raw)


@pytest.fixture
def hostile_home(tmp_path: Path, cli_env: dict[str, str]) -> tuple[Path, dict[str, str]]:
    """A folder with the hostile deck, notes, a file with a hostile name, a progress db."""
    write_deck(tmp_path / "decks")
    (tmp_path / "notes.md").write_text(
        f"# Notes {HOSTILE[:80]}\n\n## Part\n\n- Run a container: `docker run nginx`\n",
        encoding="utf-8",
    )
    bad = {
        "deck": "bad-escapes",
        "title": "Bad",
        "cards": [
            {"id": "x", "type": "basic" + HOSTILE[:40], "front": "f", "back": "b"},
            {"id": "y" + HOSTILE[:20], "front": "f", "back": "b", "k" + HOSTILE[:30]: 1},
        ],
    }
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "bad.yaml").write_text(json.dumps(bad), encoding="utf-8")
    named = tmp_path / f"named{CATALOGUE['osc 0 (title)']}\x9b2J.yaml"
    named.write_bytes((tmp_path / "decks" / "hostile-escapes.yaml").read_bytes())
    config = Path(cli_env["XDG_CONFIG_HOME"]) / "quizapp"
    config.mkdir(parents=True)
    env = {**cli_env, "TERM": "xterm-256color", "QUIZAPP_DB": str(tmp_path / "p.db")}
    return tmp_path, env


COMMANDS: list[tuple[str, ...]] = [
    ("validate", "decks/hostile-escapes.yaml"),
    ("validate", "bad/bad.yaml"),
    ("validate", f"named{CATALOGUE['osc 0 (title)']}\x9b2J.yaml"),
    ("validate", f"missing{CATALOGUE['osc 52 (clipboard)']}.yaml"),
    ("grade", "decks/hostile-escapes.yaml", "command", "docker ps " + CATALOGUE["csi 2J (clear)"]),
    ("grade", "decks/hostile-escapes.yaml", "basic", "x"),
    ("grade", f"missing{CATALOGUE['osc 8 (link)']}.yaml", "c", "x"),
    ("grade", "decks/hostile-escapes.yaml", "no" + CATALOGUE["c1 osc"], "x"),
    ("--decks", "decks", "decks"),
    ("--decks", "decks", "stats"),
    ("--decks", "decks", "stats", "hostile-escapes"),
    ("--decks", "decks", "stats", "nope" + CATALOGUE["osc 0 (title)"]),
    ("--decks", "decks", "export", "anki", "-o", "out.apkg"),
    ("--decks", "decks", "export", "anki", "-o", "o.apkg", "--deck", "x" + CATALOGUE["dcs"]),
    ("draft", "notes.md"),
    ("draft", "notes.md", "-o", f"d{CATALOGUE['csi sgr']}.yaml"),
    ("draft", f"n{CATALOGUE['osc 2 with ST']}.md"),
    ("--bogus" + CATALOGUE["osc 0 (title)"],),
    ("validate", "--nope" + CATALOGUE["csi ?1049l (leave alt screen)"]),
    ("--db", "decks" + CATALOGUE["c1 csi"], "decks"),
    ("--new-limit", "x" + CATALOGUE["osc 52 (clipboard)"], "decks"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: visible(" ".join(args))[:60])
def test_no_command_writes_a_control_character(
    hostile_home: tuple[Path, dict[str, str]], args: tuple[str, ...]
) -> None:
    folder, env = hostile_home
    raw = run_in_pty([sys.executable, "-m", "quizapp", *args], env, folder)
    assert raw.strip(), "the command printed nothing"
    assert not FORBIDDEN.search(raw), raw[:2000]
    assert b"Traceback" not in raw and b"internal error" not in raw, raw[-2000:]
    assert not leaked(raw)


def test_a_hostile_config_file_is_shown_visibly(hostile_home: tuple[Path, dict[str, str]]) -> None:
    folder, env = hostile_home
    config = Path(env["XDG_CONFIG_HOME"]) / "quizapp" / "config.toml"
    for text in (
        json.dumps(CATALOGUE["osc 52 (clipboard)"]) + " = 1\n",
        "new_per_day = " + json.dumps(CATALOGUE["osc 0 (title)"]) + "\n",
        '[keys]\n"study.bury" = ' + json.dumps(CATALOGUE["csi 2J (clear)"]) + "\n",
    ):
        config.write_text(text, encoding="utf-8")
        raw = run_in_pty([sys.executable, "-m", "quizapp", "decks"], env, folder)
        assert raw.startswith(b"quizapp: error: "), raw
        assert not FORBIDDEN.search(raw), raw
        assert "␛".encode() in raw or b"\\x1b" in raw  # a repr() in a message is visible too


def test_validate_warns_at_each_control_character(
    hostile_home: tuple[Path, dict[str, str]],
) -> None:
    folder, env = hostile_home
    raw = run_in_pty(
        [sys.executable, "-m", "quizapp", "validate", "decks/hostile-escapes.yaml"], env, folder
    )
    lines = raw.decode().splitlines()
    text = (folder / "decks" / "hostile-escapes.yaml").read_text(encoding="utf-8")
    title_line = text.splitlines().index(next(x for x in text.splitlines() if '"title"' in x))
    source = text.splitlines()[title_line]
    first = source.index("\\u001b")  # the first ESC of the title: its line and column
    assert lines[0] == (
        f"decks/hostile-escapes.yaml:{title_line + 1}:{first + 1}: warning: control character "
        "U+001B in 'title': shown as ␛ in quizapp and left out of Anki exports"
    )
    assert lines[-1].endswith("0 errors, 353 warnings")


# --- the study app in a pty ---------------------------------------------------------------------


def _check_screen_bytes(raw: bytes) -> None:
    assert not leaked(raw), [visible(p) for p in leaked(raw)]
    for sequence in (b"\x1b]52", b"\x1b]0;", b"\x1b]2;", b"\x1b]8;", b"\x1bP", b"\xc2\x9b"):
        assert sequence not in raw, sequence
    rest = TEXTUAL_SEQUENCE.sub(b"", raw)
    assert b"\x1b" not in rest, rest[max(0, rest.find(b"\x1b") - 80) :][:200]
    assert not FORBIDDEN.search(rest)


KEY_GUARD_S = 0.8
"""Longer than the study screen's guard against keys pressed as a card appears."""


def test_every_screen_shows_hostile_text_visibly(
    hostile_home: tuple[Path, dict[str, str]],
) -> None:
    folder, env = hostile_home
    env = {**env, "COLUMNS": "100", "LINES": "30", "QUIZAPP_DECKS": str(folder / "bad")}
    argv = [sys.executable, "-m", "quizapp", "--decks", str(folder / "decks")]
    osc0 = shown(CATALOGUE["osc 0 (title)"])
    home = Terminal(argv, env)
    try:
        at = home.wait_for(shown(CATALOGUE["osc 52 (clipboard)"])[:12], 0, timeout=90)
        home.press("s")  # statistics: the deck list
        at = home.wait_for("Due in the next 30 days", at)
        home.press("\x1b")
        time.sleep(0.5)
        home.press("z")  # the quiz: the deck list
        at = home.wait_for("Decks (space toggles)", at)
        home.press("\x1b")
        time.sleep(0.5)
        home.press("q")
        home.process.wait(timeout=30)
    finally:
        if home.process.poll() is None:
            home.kill()
    _check_screen_bytes(bytes(home.raw))

    study = Terminal([*argv, "study", "hostile-escapes"], env)
    try:
        at = study.wait_for("FRONT", 0, timeout=90)
        at = study.wait_for(osc0, 0)  # the section, in the card's border
        time.sleep(KEY_GUARD_S)  # answering keys count once the card has been up a moment
        study.press(" ")
        at = study.wait_for("EXPLAIN", at)
        study.press("5")
        at = study.wait_for("PROMPT", at)
        time.sleep(KEY_GUARD_S)  # the answer line takes the focus once the card is up
        study.press("docker ps\r")
        at = study.wait_for("CMDEXPLAIN", at)  # the verdict: wrong (the answer holds an OSC)
        time.sleep(KEY_GUARD_S)
        study.press("5")  # graded 5 all the same, so the session ends
        study.wait_for("Due tomorrow", at)
        study.press("q")
        study.process.wait(timeout=30)
    finally:
        if study.process.poll() is None:
            study.kill()
    raw = bytes(study.raw)
    _check_screen_bytes(raw)
    text = study.text()
    for piece in (CATALOGUE["osc 52 (clipboard)"], CATALOGUE["csi 2J (clear)"], "\x9b2J"):
        assert shown(piece) in text, visible(piece)


def test_the_line_filter_shows_what_no_helper_saw() -> None:
    """A pasted answer in the Input holds what quizapp never built: the filter shows it."""
    from rich.segment import ControlType, Segment
    from textual.color import Color

    from quizapp.tui.text import VisibleControls

    control = Segment("\x1b[2J", None, [(ControlType.CLEAR,)])  # Textual's own: left alone
    segments = [Segment("ok "), Segment(CATALOGUE["osc 0 (title)"] + "\tx"), control]
    out = VisibleControls().apply(segments, Color(0, 0, 0))
    assert [s.text for s in out] == ["ok ", "␛]0;PWNED␇\tx", "\x1b[2J"]
    assert out[0] is segments[0] and out[2] is control


async def test_a_pasted_answer_with_escapes_is_drawn_visibly(tmp_path: Path) -> None:
    from textual.widgets import Input

    from quizapp.context import AppContext
    from quizapp.tui.app import QuizApp

    from .conftest import DAY0, noon

    decks = tmp_path / "decks"
    write_deck(decks)
    ctx = AppContext(db=str(tmp_path / "p.db"), deck_dirs=(decks,))
    app = QuizApp(
        ctx,
        deck="hostile-escapes",
        today=DAY0,
        now=lambda: noon(DAY0),
        seed=1,
        clock=itertools.count(0.0, 1.5).__next__,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if "FRONT" in _screen_text(app):
                break
        await pilot.press("space", "5")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.query(Input):
                break
        field = app.screen.query_one(Input)
        field.focus()
        field.insert_text_at_cursor(CATALOGUE["osc 52 (clipboard)"])
        await pilot.pause(0.2)
        lines = [
            "".join(s.text for s in strip)
            for strip in app.screen._compositor.render_strips()  # what the terminal gets
        ]
    screen = "\n".join(lines)
    assert "␛]52;c;cm0gLXJmIH4K␇" in screen
    assert "\x1b" not in screen and "\x07" not in screen


def _screen_text(app: object) -> str:
    """The lines the compositor hands the driver (line filters applied): what is written."""
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def test_the_quiz_and_its_results_show_hostile_text_visibly(tmp_path: Path) -> None:
    from quizapp.context import AppContext
    from quizapp.tui.app import QuizApp
    from quizapp.tui.screens.quiz import QuizPlan, QuizResultScreen, QuizScreen

    from .conftest import DAY0, noon

    write_deck(tmp_path / "decks")
    ctx = AppContext(db=str(tmp_path / "p.db"), deck_dirs=(tmp_path / "decks",))
    app = QuizApp(
        ctx, today=DAY0, now=lambda: noon(DAY0), seed=3, clock=itertools.count(0.0, 1.5).__next__
    )
    seen: list[str] = []
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if app.backend.data is not None:
                break
        app.push_screen(QuizScreen(QuizPlan(("hostile-escapes",), 2, "Title " + HOSTILE)))
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(app.screen, QuizResultScreen):
                break
            seen.append(_screen_text(app))
            if list(app.screen.query("Input")):  # a command card: a wrong answer
                await pilot.press(*"docker", "enter")
            else:  # a basic card: reveal, then "n" (wrong)
                await pilot.press("space")
                await pilot.pause(0.1)
                await pilot.press("n")
            await pilot.pause(0.1)
            seen.append(_screen_text(app))
            await pilot.press("enter")  # on to the next card
        assert isinstance(app.screen, QuizResultScreen)
        await pilot.pause(0.1)
        seen.append(_screen_text(app))
    text = "\n".join(seen)
    assert "FRONT" in text and "PROMPT" in text and "Missed (2)" in seen[-1]
    assert shown(CATALOGUE["osc 52 (clipboard)"]) in text
    assert "␛]0;ANSWER␇" in seen[-1]  # the right answer of the missed command card
    assert not FORBIDDEN.search(text.encode()) and "\x1b" not in text
