"""Every console example in README.md and docs/ is run, and must print what the doc shows.

A ```console block is a transcript: `$ quizapp ...` lines are run, in order; the blocks of one
document run one after the other in one temporary home (HOME, no database until a command
makes one, the bundled decks), as a reader would try them; the lines after each
command are what it must print (stdout, then stderr). In the expected text `~` is the home
folder, `...` inside a line matches anything and a line of just `...` any lines (for what
depends on the bundled decks' content, which changes). The clock is frozen at `NOW` for a
document's first command and a minute later for each next one, so dates and backup names
are the ones shown. Blocks that only list commands to type are ```sh blocks, not run.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time

from quizapp.deck.shellwords import split_shell

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NOW = datetime(2026, 11, 28, 15, 19, tzinfo=UTC)
"""When a document's first command runs; each next command of the document a minute later."""
_BLOCK_RE = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
_ENV_RE = re.compile(r"^([A-Z_]+)=(\S*)$")


@dataclass(frozen=True)
class Step:
    command: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    doc: str
    line: int
    steps: tuple[Step, ...]


def examples() -> list[Example]:
    found: list[Example] = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for block in _BLOCK_RE.finditer(text):
            steps: list[Step] = []
            for raw in block.group(1).splitlines():
                if raw.startswith("$ "):
                    steps.append(Step(raw[2:], ()))
                else:
                    assert steps, f"{path.name}: output before any command: {raw!r}"
                    steps[-1] = Step(steps[-1].command, (*steps[-1].expected, raw))
            line = text.count("\n", 0, block.start()) + 1
            found.append(Example(path.relative_to(ROOT).as_posix(), line, tuple(steps)))
    return found


def matches(expected: tuple[str, ...], actual: list[str]) -> bool:
    """`...` in a line matches anything in that line; a line of just `...`, any lines."""
    parts = []
    for line in expected:
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*".join(re.escape(piece) for piece in line.split("...")) + r"\n")
    text = "".join(line + "\n" for line in actual)
    return re.fullmatch("".join(parts), text) is not None


def run_command(
    command: str, home: Path, capsys: pytest.CaptureFixture[str], now: datetime
) -> list[str]:
    from quizapp.cli import main

    words = list(split_shell(re.sub(r"\s+#.*$", "", command)))
    env: dict[str, str] = {}
    while words and (found := _ENV_RE.match(words[0])):
        env[found.group(1)] = found.group(2)
        words.pop(0)
    assert words[0] == "quizapp", command
    args = [str(Path(w).expanduser()) if w.startswith("~/") else w for w in words[1:]]
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(
        {k: str(Path(v).expanduser()) if v.startswith("~") else v for k, v in env.items()}
    )
    try:
        with freeze_time(now, tick=True), pytest.raises(SystemExit):
            main(args)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    captured = capsys.readouterr()
    text = (captured.out + captured.err).replace(str(home), "~")
    return text.splitlines()


@pytest.fixture
def docs_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    for name in ("decks", "docs", "examples"):
        (work / name).symlink_to(ROOT / name)
    for key in list(os.environ):
        if key.startswith(("XDG_", "QUIZAPP_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    return home


EXAMPLES = examples()
DOCS_WITH_EXAMPLES = sorted({example.doc for example in EXAMPLES})


def test_the_docs_have_console_examples() -> None:
    assert {"README.md", "docs/grading.md", "docs/data.md"} <= set(DOCS_WITH_EXAMPLES)


@pytest.mark.parametrize("doc", DOCS_WITH_EXAMPLES)
def test_console_examples_print_what_the_doc_shows(
    doc: str, docs_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = [(e, step) for e in EXAMPLES if e.doc == doc for step in e.steps]
    for minute, (example, step) in enumerate(steps):
        actual = run_command(step.command, docs_home, capsys, NOW + timedelta(minutes=minute))
        shown = "\n".join(actual)
        where = f"{doc}:{example.line}"
        assert matches(step.expected, actual), f"{where}: $ {step.command}\n{shown}"


def example_decks() -> list[tuple[str, str]]:
    """Every ```yaml block of the docs that is a whole deck (it starts with `deck:`)."""
    found: list[tuple[str, str]] = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for block in re.finditer(r"^```yaml\n(deck:.*?)^```", text, re.S | re.M):
            line = text.count("\n", 0, block.start()) + 1
            found.append((f"{path.relative_to(ROOT).as_posix()}:{line}", block.group(1)))
    return found


@pytest.mark.parametrize(("where", "text"), example_decks(), ids=[w for w, _ in example_decks()])
def test_an_example_deck_validates_cleanly_under_its_own_id(
    where: str, text: str, tmp_path: Path
) -> None:
    """A reader who copies an example deck next to the bundled ones gets no warning and does
    not switch a bundled deck off (a deck id used twice is an error)."""
    from quizapp.deckfiles import inspect_decks

    (tmp_path / "example.yaml").write_text(text, encoding="utf-8")
    reports = inspect_decks([ROOT / "decks", tmp_path])
    problems = [str(p) for report in reports for p in report.result.problems]
    assert problems == []
