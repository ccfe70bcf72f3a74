"""Properties of the command grader, checked on generated command lines (hypothesis).

- equivalence is symmetric: a is right for b exactly when b is right for a;
- writing a command another way the CLI reads the same (aliases, short or long names,
  `--name=x`, flag order, flags after arguments where allowed) keeps it right (a repeated
  flag keeps its own order: `--dns a --dns b` is not `--dns b --dns a`);
- no input string makes the grader raise.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.grading import Verdict, grade_cloze, grade_command
from quizapp.grading.model import Command, Flag, docker_model

MODEL = docker_model()
COMMANDS = sorted(MODEL.commands)
VALUES = ["a", "web", "b1", "80:80", "x=y", "/data", "3"]
ARGS = ["web", "db", "app:1", "me/app", "./f.txt"]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Unit:
    flag: Flag
    value: str | None


@dataclass(frozen=True)
class Line:
    command: Command
    spelling: tuple[str, ...]
    units: tuple[Unit, ...]
    args: tuple[str, ...]
    passthrough: tuple[str, ...]


@st.composite
def lines(draw: st.DrawFn) -> Line:
    path = draw(st.sampled_from(COMMANDS))
    command = MODEL.commands[path]
    spelling = draw(st.sampled_from([path, *command.aliases]))
    flags = command.flags.flags
    chosen = (
        draw(st.lists(st.sampled_from(flags), max_size=4, unique_by=lambda f: f.long))
        if flags
        else []
    )
    units: list[Unit] = []
    for flag in chosen:
        count = draw(st.integers(1, 2)) if flag.repeatable else 1
        for _ in range(count):
            units.append(Unit(flag, draw(st.sampled_from(VALUES)) if flag.takes_value else None))
    required = sum(1 for a in command.args if not a.optional and not a.variadic)
    if command.args_are_a_set:
        required = max(required, 1)
    extra = draw(st.integers(0, 2)) if command.args and command.args[-1].variadic else 0
    args = tuple(draw(st.sampled_from(ARGS)) for _ in range(min(required + extra, 3)))
    if command.passthrough:
        args = args[:1] or ("alpine",)
    passthrough = tuple(draw(st.lists(st.sampled_from(["sh", "-c", "ls", "x"]), max_size=3)))
    return Line(command, spelling, tuple(units), args, passthrough if command.passthrough else ())


def unit_words(unit: Unit, form: int) -> list[str]:
    """One of the ways to write a flag: short or long, value attached or not."""
    flag, value = unit.flag, unit.value
    if value is None:
        options = [[f"--{flag.long}"], [f"--{flag.long}=true"]]
        if flag.short:
            options += [[f"-{flag.short}"], [f"-{flag.short}=true"]]
    else:
        options = [[f"--{flag.long}", value], [f"--{flag.long}={value}"]]
        if flag.short:
            options += [[f"-{flag.short}", value], [f"-{flag.short}{value}"]]
    return options[form % len(options)]


def render(line: Line, forms: list[int], order: list[int], args_at: list[int]) -> str:
    """The line as words; `order` permutes flag units, `args_at` puts arguments between them."""
    units = [unit_words(line.units[i], forms[i % len(forms)] if forms else 0) for i in order]
    words = ["docker", *line.spelling]
    if line.command.passthrough:
        for unit in units:
            words += unit
        words += [*line.args, *line.passthrough]
        return shlex.join(words)
    slot_of: list[int] = []
    for k in range(len(line.args)):
        wanted = args_at[k % len(args_at)] % (len(units) + 1) if args_at else len(units)
        slot_of.append(max(wanted, slot_of[-1] if slot_of else 0))
    slots: list[list[str]] = [[] for _ in range(len(units) + 1)]
    for k, arg in enumerate(line.args):
        slots[slot_of[k]].append(arg)
    for i, unit in enumerate(units):
        words += slots[i]
        words += unit
    words += slots[len(units)]
    return shlex.join(words)


@FAST
@given(line=lines(), data=st.data())
def test_rewriting_a_line_the_cli_reads_the_same_keeps_it_right(
    line: Line, data: st.DataObject
) -> None:
    n = len(line.units)
    answer = render(line, [0], list(range(n)), [n])
    order = _keep_each_flags_order(line, data.draw(st.permutations(range(n))))
    forms = data.draw(st.lists(st.integers(0, 3), min_size=1, max_size=n + 1))
    args_at = data.draw(st.lists(st.integers(0, n), min_size=1, max_size=3))
    spelling = data.draw(st.sampled_from([line.command.path, *line.command.aliases]))
    rewritten = render(
        Line(line.command, spelling, line.units, line.args, line.passthrough),
        forms,
        list(order),
        args_at,
    )
    result = grade_command(rewritten, [answer])
    assert result.verdict is Verdict.RIGHT, (rewritten, answer, result.explanations)


def _keep_each_flags_order(line: Line, order: list[int]) -> list[int]:
    """Flags in the drawn order, a repeated flag's values still in their own order (the
    order of --dns or -e A=1 -e A=2 matters)."""
    queues: dict[str, list[int]] = {}
    for i in range(len(line.units)):
        queues.setdefault(line.units[i].flag.long, []).append(i)
    return [queues[line.units[i].flag.long].pop(0) for i in order]


def _drop_or_change(line: Line, k: int, value: str) -> Line:
    units = list(line.units)
    if units:
        unit = units[k % len(units)]
        if unit.value is not None:
            units[k % len(units)] = Unit(unit.flag, value)
        else:
            del units[k % len(units)]
    return Line(line.command, line.spelling, tuple(units), line.args, line.passthrough)


@FAST
@given(
    a=lines(), b=lines(), k=st.integers(0, 5), value=st.sampled_from(VALUES), mode=st.integers(0, 2)
)
def test_equivalence_is_symmetric(a: Line, b: Line, k: int, value: str, mode: int) -> None:
    n = len(a.units)
    first = render(a, [k], list(range(n)), [n])
    if mode == 0:
        second = render(a, [k + 1], list(reversed(range(n))), [0])
    elif mode == 1:
        changed = _drop_or_change(a, k, value)
        second = render(changed, [k], list(range(len(changed.units))), [len(changed.units)])
    else:
        second = render(b, [k], list(range(len(b.units))), [len(b.units)])
    forward = grade_command(first, [second]).verdict is Verdict.RIGHT
    backward = grade_command(second, [first]).verdict is Verdict.RIGHT
    assert forward == backward, (first, second)


WORDS = st.sampled_from(
    [
        "docker",
        "docker-compose",
        "run",
        "ps",
        "-it",
        "--name",
        "--name=x",
        "-p80:80",
        "-",
        "--",
        "'",
        '"',
        "\\",
        "$",
        "sudo",
        "<id>",
        "=",
        "-d=maybe",
        "compose",
        "container",
        "image",
        "rm",
        "-f",
        "alpine",
        "sh",
        "-c",
        "--detatch",
        "--mount",
        "src=a,dst=/b",
        "-o",
        "encrypted",
    ]
)


def _no_crash(typed: str, answer: str) -> None:
    result = grade_command(typed, [answer, "docker ps"])
    assert result.verdict in Verdict
    assert result.proposed_grade in (0, 1, 2, 4)
    assert isinstance(result.explanations, tuple)
    grade_command(answer, [typed + " x", "docker ps"]) if typed.strip() else None
    grade_command(typed, ["docker network inspect x"], prefix="docker network")
    grade_cloze(typed, [answer or "x"])


@FAST
@given(typed=st.text(), answer=st.text())
def test_no_text_crashes_the_grader(typed: str, answer: str) -> None:
    _no_crash(typed, answer)


@FAST
@given(
    typed=st.lists(WORDS, max_size=10).map(" ".join),
    answer=st.lists(WORDS, max_size=10).map(" ".join),
)
def test_no_command_like_text_crashes_the_grader(typed: str, answer: str) -> None:
    _no_crash(typed, answer)


@pytest.mark.slow
@SLOW
@given(typed=st.text(), answer=st.lists(WORDS, max_size=12).map(" ".join))
def test_no_input_crashes_the_grader_long_run(typed: str, answer: str) -> None:
    _no_crash(typed, answer)
    _no_crash("docker " + typed, answer)


@pytest.mark.slow
@SLOW
@given(
    a=lines(), b=lines(), k=st.integers(0, 5), value=st.sampled_from(VALUES), mode=st.integers(0, 2)
)
def test_equivalence_is_symmetric_long_run(a: Line, b: Line, k: int, value: str, mode: int) -> None:
    test_equivalence_is_symmetric.hypothesis.inner_test(a, b, k, value, mode)  # type: ignore[attr-defined]
