"""Fuzzing the two parsers of untrusted text: the deck loader and the command grader.

Properties: the loader never raises, whatever the bytes or YAML; it gives a deck exactly
when there is no error, and every problem points inside the file. The grader never raises,
whatever is typed, and its proposed grade agrees with its verdict. The quick variants run
by default; the slow ones (`pytest -m slow`) run thousands of examples each.
Findings are in notes/fuzzing.md.
"""

from __future__ import annotations

import contextlib
import io
import re
import string
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.deck.model import LoadResult
from quizapp.deckfiles import load_deck_text
from quizapp.grading import Verdict, grade_command

from .conftest import DATA

PATH = Path("fuzz.yaml")
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
YAML_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
VALID = (Path(__file__).resolve().parents[1] / "data" / "deck" / "valid.yaml").read_text()
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))

KEYS = (
    "deck title description source tags cards id type front back prompt answer accept "
    "prefix text question choices section explain"
).split()
scalars = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "~", "yes", "no", "1.10", "0x1f", "{{c1::x}}", "{{c1::}}", "a\x00b",
                     "docker run 'x", "docker network ls", "[bold]x[/]", "basic", "cloze",
                     "command", "choice", "-", "*a", "&a x", "!!python/none", "<<"]),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)
card = st.dictionaries(st.sampled_from(KEYS), values, max_size=7)
deckish = st.fixed_dictionaries(
    {"deck": values, "title": values, "cards": st.lists(card, max_size=4) | values},
    optional={"tags": values, "description": values, "source": values, "extra": values},
)


def _check(data: bytes | str) -> LoadResult:
    result = load_deck_text(data, PATH)
    assert isinstance(result, LoadResult)
    if result.deck is None:
        assert result.errors, "a rejected deck must say why"
    else:
        assert not result.errors
        assert ID.match(result.deck.id)
        assert result.deck.cards
        assert all(ID.match(c.id) for c in result.deck.cards)
        assert len({c.id for c in result.deck.cards}) == len(result.deck.cards)
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    # PyYAML also breaks lines at NEL, LS and PS (and a lone CR): count lines as it does.
    lines = len(YAML_BREAKS.split(text))
    for problem in result.problems:
        assert problem.path == PATH
        assert 1 <= problem.line <= lines + 1, problem
        assert problem.column >= 1, problem
    return result


def _mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    for position, cut, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + cut :]
    return text


edits = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.integers(0, 5),
        st.text(alphabet=string.printable + "{}:[]-#&*!|>'\"\t\u00e9\u2028", max_size=6),
    ),
    min_size=1,
    max_size=6,
)


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


# --- quick variants (default run) -------------------------------------------------------------


@QUICK
@given(st.binary(max_size=2000))
def test_loader_never_raises_on_bytes(data: bytes) -> None:
    _check(data)


@QUICK
@given(deckish)
def test_loader_never_raises_on_deck_shaped_yaml(value: dict[str, Any]) -> None:
    _check(_dump(value))


@QUICK
@given(edits)
def test_loader_never_raises_on_a_mangled_valid_deck(changes: list[tuple[int, int, str]]) -> None:
    _check(_mutate(VALID, changes))


@QUICK
@given(st.text(max_size=200), st.lists(st.text(max_size=80), min_size=1, max_size=3))
def test_grader_never_raises(typed: str, answers: list[str]) -> None:
    _grade(typed, answers, None)


# --- long runs ----------------------------------------------------------------------------------

shellish = st.text(
    alphabet=st.sampled_from(
        list("docker run -it --rm=nginx:1 'x' \"y\" \\ $() ` ; | & > < \n\t#=,.")
    )
    | st.characters(),
    max_size=120,
)


def _grade(typed: str, answers: list[str], prefix: str | None) -> None:
    result = grade_command(typed, answers, prefix)
    assert result.verdict in tuple(Verdict)
    assert 0 <= result.proposed_grade <= 5
    if result.verdict is Verdict.RIGHT:
        assert result.proposed_grade >= 4
    if result.verdict is Verdict.WRONG:
        assert result.proposed_grade <= 2


@pytest.mark.slow
@LONG
@given(st.binary(max_size=5000))
def test_loader_long_run_on_bytes(data: bytes) -> None:
    _check(data)


@pytest.mark.slow
@LONG
@given(deckish)
def test_loader_long_run_on_deck_shaped_yaml(value: dict[str, Any]) -> None:
    _check(_dump(value))


@pytest.mark.slow
@LONG
@given(edits, st.sampled_from([VALID, (DATA / "hostile.yaml").read_text()]))
def test_loader_long_run_on_mangled_decks(changes: list[tuple[int, int, str]], base: str) -> None:
    _check(_mutate(base, changes))


@pytest.mark.slow
@LONG
@given(shellish, st.lists(shellish, min_size=1, max_size=3), st.none() | shellish)
def test_grader_long_run(typed: str, answers: list[str], prefix: str | None) -> None:
    _grade(typed, answers, prefix)


@pytest.mark.slow
@LONG
@given(st.sampled_from(["docker network inspect backend", "docker run -d -p 8080:80 nginx",
                        "docker compose up -d", "docker volume create --name data"]),
       edits)  # fmt: skip
def test_grader_long_run_near_real_answers(
    answer: str, changes: list[tuple[int, int, str]]
) -> None:
    _grade(_mutate(answer, changes), [answer], None)


# --- config files and the bytes of every file argument -----------------------------------------

TOML_PIECES = st.sampled_from(
    ["[keys]", "[decks.a]", "[decks]", "[[x]]", '"study.bury" = ', "study.undo = ",
     "new_per_day = ", "reviews_per_day = ", "rollover_hour = ", "decks.b.new_per_day = ", "1",
     "-1", "99", "1e3", '"x"', '"\\u0000"', '"\\u001b[2J"', '"ctrl+b"', '""', "[", "]", "{", "}",
     "[[", "= [", ",", ".", "true", "1979-05-27", "'lit'", '"""', "#", "\n", " ", "\t", "\r\n",
     "\x00", "\x1b", "é"]
)  # fmt: skip
toml_text = st.lists(TOML_PIECES, max_size=30).map("".join)


def _settings_from(data: bytes) -> None:
    from quizapp.config import load_settings
    from quizapp.errors import QuizappError
    from quizapp.scheduling.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_bytes(data)
        try:
            settings = load_settings(path)
        except QuizappError as problem:
            assert "\n" not in problem.message
            assert not CONTROL.search(problem.message), problem.message
            assert problem.message.startswith(str(path)), problem.message
        else:
            assert isinstance(settings, Settings)


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@QUICK
@given(st.binary(max_size=400) | toml_text.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_settings_never_raise_on_any_config_file(data: bytes) -> None:
    _settings_from(data)


def _file_commands(data: bytes) -> None:
    """`validate`, `grade` and `draft` (notes and --merge target) on a file of these bytes:
    an exit status, never an exception, and nothing printed holds a control character."""
    from quizapp.commands.draft import run_draft
    from quizapp.commands.grade import run_grade
    from quizapp.commands.validate import run_validate

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.yaml"
        path.write_bytes(data)
        notes = Path(folder) / "notes.md"
        notes.write_bytes(data)
        good_notes = Path(folder) / "good.md"
        good_notes.write_text("# T\n\n## S\n\n- Run it: `docker run nginx`\n", encoding="utf-8")
        out = io.StringIO()
        assert run_validate([path], [], out) in (0, 1)
        for line in out.getvalue().splitlines():
            assert not CONTROL.search(line), line
        assert run_grade(path, "card", "docker ps", io.StringIO()) in (0, 1, 2)
        with contextlib.redirect_stderr(io.StringIO()) as errors:
            assert run_draft(notes, None, "d", None, None, io.StringIO()) in (0, 1, 2)
            code = run_draft(good_notes, Path(folder) / "o.yaml", "d", None, path, io.StringIO())
            assert code in (0, 1, 2)
        assert "Traceback" not in errors.getvalue()


@QUICK
@given(st.binary(max_size=600) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace")))
def test_file_commands_never_raise_on_any_file(data: bytes) -> None:
    _file_commands(data)


@pytest.mark.slow
@LONG
@given(st.binary(max_size=3000) | toml_text.map(str.encode))
def test_settings_long_run(data: bytes) -> None:
    _settings_from(data)


@pytest.mark.slow
@LONG
@given(st.binary(max_size=3000) | st.sampled_from([VALID]).map(str.encode))
def test_file_commands_long_run(data: bytes) -> None:
    _file_commands(data)
