"""Compare a typed command with one accepted answer: the differences in words and tokens.

Both lines are read (`parse`) and compared in canonical form: the command by its canonical
path, flags by meaning (bools by effective value, single-value flags by their last value,
repeatable flags as multisets), positional arguments in order (or as a set for
`rm a b`-style commands), and the container's command after the image word for word.
Each difference is named in words and marked small (a typo, one missing or extra flag, one
wrong value) or not (another command, flags after the image, a broken line).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quizapp.grading.model import Command, Flag, docker_model
from quizapp.grading.parse import FlagUse, Invocation, read_words, split_flag_words
from quizapp.grading.result import DiffToken, Verdict
from quizapp.grading.values import (
    SAME_WORDS,
    expand_port_range,
    is_misspelling,
    is_typo,
    kind_of,
    negated_pair,
    normalize_file,
    normalize_image,
    normalize_typed,
    parse_bool,
    reversed_port,
    values_match,
)

_SCOPE_RANK = {"global": 0, "group": 1, "command": 2}
ORDERED = frozenset({"dns", "dns-search", "dns-option", "file", "compose-file"})
"""Repeatable flags whose order matters (the resolver tries servers in order; later Compose
files override earlier ones)."""
KEYED = frozenset(
    {"env", "label", "build-arg", "sysctl", "log-opt", "opt", "annotation", "storage-opt"}
)
"""KEY=VALUE flags where a later value for a key replaces an earlier one."""
COMMA_SPLIT = frozenset({"platform"})
COMMA_REFS = frozenset({"cache-from"})
"""Flags whose value is a comma list of plain references (`--cache-from a,b`), or one
`type=...,ref=...` entry."""
SETS = frozenset({"volume", "cap-add", "cap-drop", "tmpfs", "expose", "filter", "platform"})
"""Repeatable flags the CLI keeps as a set: a value given twice counts once."""
TRISTATE = frozenset({"init"})
"""Bool flags the CLI sends only when given: `--init=false` is not the same as no `--init`
(the daemon's own default applies then)."""
"""Flags whose value is a comma-separated list (`--platform a,b` = two `--platform`)."""


@dataclass(frozen=True, slots=True)
class Difference:
    message: str
    small: bool = True


@dataclass(frozen=True, slots=True)
class Comparison:
    differences: tuple[Difference, ...]
    diff: tuple[DiffToken, ...]
    notes: tuple[str, ...] = ()

    @property
    def verdict(self) -> Verdict:
        if not self.differences:
            return Verdict.RIGHT
        if len(self.differences) == 1 and self.differences[0].small:
            return Verdict.CLOSE
        return Verdict.WRONG

    @property
    def explanations(self) -> tuple[str, ...]:
        if not self.differences:
            return self.notes
        return tuple(d.message for d in self.differences)


class _Builder:
    def __init__(self) -> None:
        self.differences: list[Difference] = []
        self.tokens: list[DiffToken] = []
        self.noted: set[str] = set()
        """Unknown flags already explained (with a suggestion)."""
        self.notes: list[str] = []
        """Why a different-looking part is the same (shown when the answer is right)."""

    def differ(self, message: str, small: bool = True) -> None:
        self.differences.append(Difference(message, small))

    def token(self, kind: str, typed: str | None, expected: str | None) -> None:
        self.tokens.append(DiffToken(kind, typed, expected))  # type: ignore[arg-type]

    def done(self) -> Comparison:
        return Comparison(tuple(self.differences), tuple(self.tokens), tuple(self.notes))


# ---------------------------------------------------------------- flags in canonical form


@dataclass(slots=True)
class _FlagState:
    scope: str
    name: str
    flag: Flag | None
    values: list[str]
    texts: list[str]
    marked: bool = False
    """Moved from after the image, or a misspelt name read as the flag it resembles."""
    raw: list[str] = dataclasses.field(default_factory=list)
    """The values as typed (before normalisation), to name an equivalence."""

    @property
    def present(self) -> bool:
        flag = self.flag
        if flag is None or not self.values:
            return bool(self.values)
        if flag.repeatable:
            return True
        if flag.default is not None:
            return self.values[-1] != _normalized(flag, flag.default)
        if flag.long in TRISTATE:
            return True
        if flag.long == "format" and not self.values[-1]:  # --format '' is the default output
            return False
        return not (not flag.takes_value and self.values[-1] == "false")

    @property
    def sort_key(self) -> tuple[int, str]:
        return _SCOPE_RANK[self.scope], self.name

    def label(self) -> str:
        if self.flag is not None:
            return self.flag.label
        return ("--" if len(self.name) > 1 else "-") + self.name


def _normalized(flag: Flag, value: str) -> str:
    if not flag.takes_value:
        parsed = parse_bool(value)
        return "false" if parsed is False else "true"
    return normalize_typed(kind_of(flag.long, flag.type, flag.kind), value)


def _values_of(flag: Flag | None, value: str) -> list[str]:
    """One typed value as the values it stands for (a port range, a comma list)."""
    if flag is None:
        return [value]
    if flag.kind == "port":
        return expand_port_range(value)
    if flag.long in COMMA_SPLIT or (flag.long in COMMA_REFS and "=" not in value):
        return [v for v in value.split(",") if v] or [value]
    return [_normalized(flag, value)]


def _collapse(flag: Flag, values: list[str], texts: list[str], raw: list[str]) -> None:
    """Last value per key for KEY=VALUE flags; identical values once for set-like flags;
    the others keep every value (a port or a device given twice is given twice)."""
    if flag.long not in KEYED and flag.long not in SETS and flag.type != "filter":
        return
    keep: dict[str, int] = {}
    for i, value in enumerate(values):
        key = value.partition("=")[0] if flag.long in KEYED else value
        keep.pop(key, None)
        keep[key] = i
    order = sorted(keep.values())
    values[:] = [values[i] for i in order]
    texts[:] = [texts[i] for i in order]
    raw[:] = [raw[i] for i in order]


def _states(uses: Sequence[FlagUse]) -> dict[tuple[str, str], _FlagState]:
    states: dict[tuple[str, str], _FlagState] = {}
    for use in uses:
        flag = use.flag
        name = flag.long if flag else use.name.lstrip("-")
        key = (use.scope if flag else "?" + use.scope, name)
        state = states.get(key)
        if state is None:
            state = states[key] = _FlagState(use.scope, name, flag, [], [])
        if flag is not None and use.value is not None and flag.repeatable:
            values = _values_of(flag, use.value)
        elif flag is not None and use.value is not None:
            values = [_normalized(flag, use.value)]
        else:
            values = [use.value if use.value is not None else ""]
        if flag is None or flag.repeatable:
            state.values += values
            state.texts += [use.text] * len(values)
            state.raw += [use.value or ""] * len(values)
        else:
            state.values = values
            state.texts = [use.text]
            state.raw = [use.value or ""]
        state.marked = (
            state.marked or use.moved or (flag is not None and use.suggestion is not None)
        )
    for state in states.values():
        if state.flag is not None and state.flag.repeatable:
            _collapse(state.flag, state.values, state.texts, state.raw)
    return states


def _match_multiset(
    typed: Sequence[str], expected: Sequence[str]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of equal values (exact first, then placeholders) and the unmatched on each side."""
    pairs: list[tuple[int, int]] = []
    t_left = list(range(len(typed)))
    e_left = list(range(len(expected)))
    for same in (lambda a, b: a == b, values_match):
        for ti in list(t_left):
            for ei in e_left:
                if same(typed[ti], expected[ei]):
                    pairs.append((ti, ei))
                    t_left.remove(ti)
                    e_left.remove(ei)
                    break
    return pairs, t_left, e_left


def _with_value(label: str, flag: Flag | None, value: str) -> str:
    return f"{label} {value}" if (flag is None or flag.takes_value) and value else label


def _compare_flags(
    out: _Builder,
    typed: dict[tuple[str, str], _FlagState],
    expected: dict[tuple[str, str], _FlagState],
    command: Command | None,
) -> None:
    keys = sorted(set(typed) | set(expected), key=lambda k: (_SCOPE_RANK[k[0].lstrip("?")], k[1]))
    for key in keys:
        t, e = typed.get(key), expected.get(key)
        t_on, e_on = bool(t and t.present), bool(e and e.present)
        if not t_on and not e_on:
            if t is not None:
                out.token(_agree(t), t.texts[-1], e.texts[-1] if e else t.texts[-1])
            _note_default(out, t, e)
            continue
        state = t or e
        assert state is not None
        flag = state.flag
        if flag is not None and not flag.takes_value:
            _compare_bool(out, t if t_on else None, e if e_on else None)
        elif flag is not None and not flag.repeatable:
            _compare_single(out, t if t_on else None, e if e_on else None)
        else:
            _compare_repeatable(out, t, e, command)


def _agree(typed: _FlagState) -> str:
    """The diff kind of a typed flag that means what the answer's does."""
    return "changed" if typed.marked else "same"


def _compare_bool(out: _Builder, t: _FlagState | None, e: _FlagState | None) -> None:
    if t and e:
        if t.values[-1] == e.values[-1]:
            out.token(_agree(t), t.texts[-1], e.texts[-1])
        else:
            out.differ(f"{e.label()} should be {e.values[-1]}, not {t.values[-1]}")
            out.token("changed", t.texts[-1], e.texts[-1])
    elif e:
        out.differ(f"missing {_bool_text(e)}")
        out.token("missing", None, e.texts[-1])
    elif t:
        out.differ(f"extra {_bool_text(t)}")
        out.token("extra", t.texts[-1], None)


def _note_default(out: _Builder, t: _FlagState | None, e: _FlagState | None) -> None:
    """`-s KILL` typed where the answer leaves it out (or the other way): say it is the
    default, so the learner knows why both are right."""
    if t is not None and e is not None:
        _note_same(out, t.flag, t.raw[-1], e.raw[-1])
        return
    state = t or e
    if state is None or state.flag is None:
        return
    if state.flag.takes_value and state.flag.default is not None:
        out.notes.append(
            f"{state.texts[-1]} is the default (--{state.flag.long} {state.flag.default})"
        )
    elif not state.flag.takes_value and state.values and state.values[-1] == "false":
        out.notes.append(f"{state.texts[-1]} is the default")


def _note_redirect(out: _Builder, typed: str, expected: str) -> None:
    """`> f` for `-o f`, `< f` for `-i f`: the shell does what the flag would."""
    redirects = [text for text in (typed, expected) if text[:1] in "<>"]
    if len(redirects) == 1 and typed != expected:
        out.notes.append(f"{typed} does what {expected} does")


def _note_same(out: _Builder, flag: Flag | None, typed: str, expected: str) -> None:
    """Name the equivalence that made two different-looking values one ("512M is the same
    size as 512m"), so the learner learns it."""
    if flag is None or typed == expected or not typed or not expected:
        return
    kind = kind_of(flag.long, flag.type, flag.kind)
    words = SAME_WORDS.get(kind or "")
    if words:
        out.notes.append(f"{typed} is {words} {expected}")


def _bool_text(state: _FlagState) -> str:
    flag = state.flag
    assert flag is not None
    default_true = flag.default is not None and parse_bool(flag.default)
    if state.values[-1] == "false" or default_true:
        return f"--{flag.long}={state.values[-1]}"
    return state.label()


def _compare_single(out: _Builder, t: _FlagState | None, e: _FlagState | None) -> None:
    if t and e:
        if values_match(t.values[-1], e.values[-1]):
            out.token(_agree(t), t.texts[-1], e.texts[-1])
            _note_same(out, t.flag, t.raw[-1], e.raw[-1])
            _note_redirect(out, t.texts[-1], e.texts[-1])
            return
        assert e.flag is not None
        typed_value, expected_value = _shown(t, -1), _shown(e, -1)
        typo = " (a typo)" if is_misspelling(typed_value, expected_value) else ""
        opposite = negated_pair(typed_value, expected_value)  # the opposite: no near miss
        message = f"--{e.flag.long} should be {expected_value}, not {typed_value}{typo}"
        out.differ(message, small=not opposite)
        out.token("changed", t.texts[-1], e.texts[-1])
    elif e:
        out.differ(f"missing {_with_value(e.label(), e.flag, _shown(e, -1))}")
        out.token("missing", None, e.texts[-1])
    elif t:
        out.differ(f"extra {_with_value(t.label(), t.flag, _shown(t, -1))}")
        out.token("extra", t.texts[-1], None)


def _converted(state: _FlagState, index: int) -> bool:
    """Written as another flag the docs call the same (`-v name:/path` read as `--mount`)."""
    flag = state.flag
    word = state.texts[index].split()[0].split("=")[0] if state.texts[index] else ""
    if flag is None or not word.startswith("-"):
        return False
    names = {f"--{flag.long}", *(f"--{a}" for a in flag.hidden_aliases)}
    if flag.short:
        names.add(f"-{flag.short}")
    return word not in names and not (flag.short and word.startswith(f"-{flag.short}"))


def _shown(state: _FlagState, index: int) -> str:
    """A value as the learner or the deck wrote it (`512m`, not its 536870912 bytes)."""
    return state.raw[index] if state.raw and state.raw[index] else state.values[index]


def _compare_repeatable(
    out: _Builder, t: _FlagState | None, e: _FlagState | None, command: Command | None
) -> None:
    t_values = t.values if t else []
    e_values = e.values if e else []
    state0 = e or t
    if (
        state0 is not None
        and state0.flag is not None
        and state0.flag.long in ORDERED
        and sorted(t_values) == sorted(e_values)
        and t_values != e_values
    ):
        out.differ(f"the order of {state0.label()} matters: {' '.join(e_values)}")
        for text in t.texts if t else []:
            out.token("changed", text, None)
        return
    pairs, t_left, e_left = _match_multiset(t_values, e_values)
    for ti, ei in pairs:
        assert t is not None and e is not None
        out.token(_agree(t), t.texts[ti], e.texts[ei])
        if not (_converted(t, ti) or _converted(e, ei)):  # the rewrite has its own note
            _note_same(out, t.flag, t.raw[ti], e.raw[ei])
    state = e or t
    assert state is not None
    flag, label = state.flag, state.label()
    for ti, ei in zip(t_left, e_left, strict=False):
        assert t is not None and e is not None
        tv, ev = t_values[ti], e_values[ei]
        if flag is not None and flag.kind == "port" and reversed_port(tv, ev):
            out.differ(f"port mapping {tv} is reversed: write {ev} (host port first)")
        elif flag is None:
            out.differ(f"{label} should be {ev}, not {tv}")
        elif _converted(t, ti) or _converted(e, ei):
            out.differ(f"{e.texts[ei]} is not {t.texts[ti]}")
        else:
            typed_value, expected_value = _shown(t, ti), _shown(e, ei)
            typo = " (a typo)" if is_misspelling(typed_value, expected_value) else ""
            message = f"--{flag.long} should be {expected_value}, not {typed_value}{typo}"
            out.differ(message, small=not negated_pair(typed_value, expected_value))
        out.token("changed", t.texts[ti], e.texts[ei])
    n = min(len(t_left), len(e_left))
    for ei in e_left[n:]:
        assert e is not None
        out.differ(f"missing {_with_value(label, flag, _shown(e, ei))}")
        out.token("missing", None, e.texts[ei])
    for ti in t_left[n:]:
        assert t is not None
        if flag is None:
            if t.name not in out.noted:
                out.differ(_unknown_flag_message(t.name, command))
        else:
            out.differ(f"extra {_with_value(label, flag, _shown(t, ti))}")
        out.token("extra", t.texts[ti], None)


def _unknown_flag_message(name: str, command: Command | None) -> str:
    dashed = ("--" if len(name) > 1 else "-") + name
    where = f"{command.name} has no such flag" if command else "no such flag"
    return f"unknown flag {dashed}: {where}"


def _fix_flag_typos(
    out: _Builder, typed: Invocation, expected: dict[tuple[str, str], _FlagState]
) -> Invocation:
    """Read `--detatch` as the `--detach` the answer has, noting the typo once."""
    uses: list[FlagUse] = []
    for use in typed.uses:
        suggestion = use.suggestion
        known_to_answer = ("?" + use.scope, use.name.lstrip("-")) in expected
        if use.flag is None and suggestion is not None and not known_to_answer:
            if (use.scope, suggestion.long) in expected:
                out.differ(f"unknown flag {use.name}: did you mean --{suggestion.long}?")
                use = dataclasses.replace(use, flag=suggestion)
                if use.value is None and not suggestion.takes_value:
                    use = dataclasses.replace(use, value="true")
            else:
                out.differ(f"unknown flag {use.name}: did you mean --{suggestion.long}?")
                out.noted.add(use.name.lstrip("-"))
        uses.append(use)
    return dataclasses.replace(typed, uses=tuple(uses))


# ---------------------------------------------------------------- words and arguments


def _compare_sequence(
    out: _Builder,
    typed: Sequence[str],
    expected: Sequence[str],
    typed_norm: Sequence[str],
    expected_norm: Sequence[str],
    name: Callable[[int], str] | None,
) -> None:
    """`name` says what the word at an index of `expected` is; None for plain words."""

    def wrong(i: int, e: str, t: str) -> str:
        typo = " (a typo)" if is_misspelling(t, e) else ""
        return f"{name(i)} should be {e}, not {t}{typo}" if name else f"expected {e}, not {t}{typo}"

    def missing(i: int, e: str) -> str:
        return f"missing {e} ({name(i)})" if name else f"missing {e}"

    """Word-by-word: pairwise when the lengths agree, else by longest common runs."""
    if len(typed) == len(expected):
        for i, (tv, ev) in enumerate(zip(typed_norm, expected_norm, strict=True)):
            if values_match(tv, ev):
                out.token("same", typed[i], expected[i])
            else:
                out.differ(wrong(i, expected[i], typed[i]))
                out.token("changed", typed[i], expected[i])
        return
    matcher = difflib.SequenceMatcher(a=list(typed_norm), b=list(expected_norm), autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            for ti, ei in zip(range(a0, a1), range(b0, b1), strict=True):
                out.token("same", typed[ti], expected[ei])
            continue
        pairs = min(a1 - a0, b1 - b0) if op == "replace" else 0
        for k in range(pairs):
            ti, ei = a0 + k, b0 + k
            out.differ(wrong(ei, expected[ei], typed[ti]))
            out.token("changed", typed[ti], expected[ei])
        for ei in range(b0 + pairs, b1):
            out.differ(missing(ei, expected[ei]))
            out.token("missing", None, expected[ei])
        for ti in range(a0 + pairs, a1):
            out.differ(f"extra {typed[ti]}")
            out.token("extra", typed[ti], None)


def _arg_label(command: Command, index: int) -> str:
    return "the " + command.arg_name(index).lower().replace("_", " ")


def _compare_args(out: _Builder, typed: Invocation, expected: Invocation) -> None:
    command = expected.command
    assert command is not None

    def norm(args: Sequence[str]) -> list[str]:
        return [_normalize_arg(command, i, a) for i, a in enumerate(args)]

    t_norm, e_norm = norm(typed.args), norm(expected.args)
    if command.args_are_a_set:
        pairs, t_left, e_left = _match_multiset(t_norm, e_norm)
        for ti, ei in pairs:
            out.token("same", typed.args[ti], expected.args[ei])
        _compare_sequence(
            out,
            [typed.args[i] for i in t_left],
            [expected.args[i] for i in e_left],
            [t_norm[i] for i in t_left],
            [e_norm[i] for i in e_left],
            lambda _i: _arg_label(command, 0),
        )
        return
    _compare_sequence(
        out, typed.args, expected.args, t_norm, e_norm, lambda i: _arg_label(command, i)
    )


def _normalize_arg(command: Command, index: int, value: str) -> str:
    if value.startswith("$(") and value.endswith(")"):
        return substitution_fingerprint(value)
    if command.is_image_arg(index):
        return normalize_image(value)
    if command.arg_name(index) == "PATH":  # the build context; cp paths keep their slash
        return normalize_file(value)
    if command.arg_name(index).upper().split("|")[0] in ("FILE", "KEYFILE"):
        return normalize_file(value)  # `./secret.txt` is `secret.txt`
    if command.arg_name(index).startswith("MANIFEST"):
        return normalize_image(value)
    return value


def substitution_fingerprint(value: str) -> str:
    """A `$(docker ps -aq)` argument by what its command does (`$(docker ps -a -q)` is the
    same), so two spellings of one command substitution compare equal."""
    from quizapp.grading.parse import UnreadableCommand, read_line

    try:
        line = read_line(value[2:-1])
    except UnreadableCommand:
        return value
    return "$(" + fingerprint(line) + ")"


def fingerprint(line: Invocation) -> str:
    """A canonical text of what a command line does: its command, the flags in effect with
    their normalised values, its arguments."""
    from quizapp.grading.equivalent import canonical

    line, _ = canonical(line)
    if line.command is None:
        return " ".join(line.words)
    parts = [" ".join(line.command.path)]
    for (scope, name), state in sorted(_states(line.uses).items()):
        if state.present:
            parts.append(f"{scope}:{name}={','.join(sorted(state.values))}")
    parts += [_normalize_arg(line.command, i, a) for i, a in enumerate(line.args)]
    parts += list(line.passthrough)
    return " ".join(parts)


def _passthrough_label(command: Command) -> str:
    return "the container's command" if command.arg_name(0) == "IMAGE" else "the command"


# ---------------------------------------------------------------- whole command lines


def _command_mismatch(typed: Invocation, expected: Invocation) -> str:
    t, e = typed.command, expected.command
    assert t is not None and e is not None
    typed_name, expected_name = " ".join(typed.head), " ".join(expected.head)
    group = docker_model().group_of(e.path)
    if t.path[-1] == e.path[-1] and t.path[:-1] != e.path[:-1] and group is not None:
        return f"{typed_name} {t.does}; this asks for {group.noun}"
    return f"{typed_name} {t.does}, but this asks for {expected_name}, which {e.does}"


def _head_tokens(out: _Builder, typed: Sequence[str], expected: Sequence[str]) -> None:
    """The words naming the command, word by word: `docker volume [craete -> create]`,
    `docker [image -> container] rm`, `docker [+image] rm`."""
    matcher = difflib.SequenceMatcher(a=list(typed), b=list(expected), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        t, e = typed[i1:i2], expected[j1:j2]
        if op == "equal":
            out.token("same", " ".join(t), " ".join(e))
        elif op == "replace" and len(t) == len(e):
            for t_word, e_word in zip(t, e, strict=True):
                out.token("changed", t_word, e_word)
        elif op == "replace":
            out.token("changed", " ".join(t), " ".join(e))
        elif op == "delete":
            out.token("extra", " ".join(t), None)
        else:
            out.token("missing", None, " ".join(e))


def _after_head(line: Invocation) -> list[str]:
    """The words of a line other than those naming its program and command."""
    rest: list[str] = []
    head = list(line.head)
    for word in line.words:
        if head and word == head[0]:
            head.pop(0)
        else:
            rest.append(word)
    return rest


def _compare_words(out: _Builder, typed: Invocation, expected: Invocation) -> None:
    if typed.words[:1] != expected.words[:1] and typed.words and expected.words:
        t0, e0 = typed.words[0], expected.words[0]
        if not is_typo(t0, e0):
            out.differ(f"this asks for {e0}, not {t0}", small=False)
            out.token("changed", " ".join(typed.words), " ".join(expected.words))
            return
    _compare_sequence(
        out,
        typed.words,
        expected.words,
        typed.words,
        expected.words,
        None,
    )


def compare(typed: Invocation, expected: Invocation) -> Comparison:
    """How `typed` differs from `expected`, in canonical order; then what follows each
    command on the line (`| grep -i x`), word for word."""
    result = _compare_main(typed, expected)
    if not (typed.tail or expected.tail):
        return result
    out = _Builder()
    out.differences, out.tokens, out.notes = (
        list(result.differences),
        list(result.diff),
        list(result.notes),
    )
    t_show, t_norm = _tail_items(typed.tail)
    e_show, e_norm = _tail_items(expected.tail)
    _compare_sequence(out, t_show, e_show, t_norm, e_norm, None)
    return out.done()


def _tail_items(tail: Sequence[str]) -> tuple[list[str], list[str]]:
    """The tail as items to compare: a docker command (after `&&`, `|`, ...) as one item
    known by what it does, other words one by one."""
    from quizapp.grading.parse import read_words

    shown: list[str] = []
    norm: list[str] = []
    segment: list[str] = []

    def flush() -> None:
        if segment and segment[0] in ("docker", *docker_model().programs):
            shown.append(" ".join(segment))
            norm.append(fingerprint(read_words(tuple(segment))))
        else:
            shown.extend(segment)
            norm.extend(segment)
        segment.clear()

    for word in tail:
        if word in ("|", "||", "&&", ";", "&", "|&"):
            flush()
            shown.append(word)
            norm.append(word)
        else:
            segment.append(word)
    flush()
    return shown, norm


def _global_only(line: Invocation) -> bool:
    """`docker -v`, `docker --version`: global flags and no command."""
    return line.docker and line.unknown == () and bool(line.uses)


def _compare_main(typed: Invocation, expected: Invocation) -> Comparison:
    out = _Builder()
    if _global_only(typed) and _global_only(expected):
        _compare_flags(out, _states(typed.uses), _states(expected.uses), None)
        return out.done()
    if not (typed.structured and expected.structured):
        if typed.docker and typed.unknown and expected.structured:
            name = " ".join(("docker", *typed.unknown))
            out.differ(f"{name}: unknown docker command", small=False)
            out.token("changed", " ".join(typed.words), " ".join(expected.words))
            return out.done()
        if typed.structured and expected.docker and expected.unknown:
            out.differ(
                f"this asks for {' '.join(expected.head)}, not {' '.join(typed.head)}", small=False
            )
            out.token("changed", " ".join(typed.words), " ".join(expected.words))
            return out.done()
        _compare_words(out, typed, expected)
        return out.done()
    t_cmd, e_cmd = typed.command, expected.command
    assert t_cmd is not None and e_cmd is not None
    if t_cmd.path != e_cmd.path:
        out.differ(_command_mismatch(typed, expected), small=False)
        _head_tokens(out, typed.head, expected.head)
        rest = _Builder()
        t_rest, e_rest = _after_head(typed), _after_head(expected)
        _compare_sequence(rest, t_rest, e_rest, t_rest, e_rest, None)
        out.tokens += rest.tokens
        return out.done()
    if typed.command_typos != expected.command_typos:
        for word, meant in typed.command_typos:
            out.differ(f"unknown command word {word}: did you mean {meant}?")
        if not typed.command_typos:
            out.differ(f"{' '.join(typed.head)} is not how this answer writes the command")
        _head_tokens(out, typed.head, expected.head)
    else:
        out.token("same", " ".join(typed.head), " ".join(expected.head))
        if typed.head != expected.head and not typed.command_typos:
            out.notes.append(f"{' '.join(typed.head)} is {' '.join(expected.head)}")
    for problem in sorted(set(typed.problems) ^ set(expected.problems)):
        out.differ(problem)
    e_states = _states(expected.uses)
    typed = _fix_flag_typos(out, typed, e_states)
    _compare_flags(out, _states(typed.uses), e_states, t_cmd)
    _compare_args(out, typed, expected)
    if typed.passthrough or expected.passthrough:
        label = _passthrough_label(e_cmd)
        _compare_sequence(
            out,
            typed.passthrough,
            expected.passthrough,
            typed.passthrough,
            expected.passthrough,
            lambda _i: label,
        )
    return out.done()


def _moved_flags(typed: Invocation) -> Invocation | None:
    """`run alpine sh -it`: the same line with the flags typed after the image moved before it."""
    command = typed.command
    if command is None or not command.passthrough or not typed.args:
        return None
    if not any(w.startswith("-") and w != "-" for w in typed.passthrough):
        return None
    split_words = split_flag_words(command, typed.passthrough)
    if split_words is None or not split_words[2]:
        return None
    flag_words, others, moved = split_words
    split = len(typed.words) - len(typed.passthrough) - 1
    words = (*typed.words[:split], *flag_words, typed.words[split], *others)
    repaired = read_words(words)
    uses = repaired.uses[:-moved] + tuple(
        dataclasses.replace(u, moved=True) for u in repaired.uses[-moved:]
    )
    return dataclasses.replace(repaired, uses=uses)


def compare_command(typed: Invocation, expected: Invocation) -> Comparison:
    """`compare` of both lines in canonical form (`equivalent`), plus the one mistake it
    would otherwise spread over many lines: flags typed after the image (or the container,
    for exec) go to the container."""
    from quizapp.grading.equivalent import canonical

    typed, typed_note = canonical(typed)
    expected, expected_note = canonical(expected)
    result = _compare_command(typed, expected)
    if result.verdict is Verdict.RIGHT and typed_note != expected_note:
        note = typed_note or expected_note
        assert note is not None
        return dataclasses.replace(result, notes=(note, *result.notes))
    return result


def _compare_command(typed: Invocation, expected: Invocation) -> Comparison:
    if not typed.docker and expected.docker and typed.words and expected.words:
        programs = ("docker", *docker_model().programs)
        program = next((p for p in programs if is_typo(typed.words[0], p)), None)
        if program is not None:
            fixed = _compare_command(read_words((program, *typed.words[1:])), expected)
            typo = Difference(f"unknown program {typed.words[0]}: did you mean {program}?")
            diff = fixed.diff
            if diff:
                first = diff[0]
                typed_head = (
                    first.typed.replace(program, typed.words[0], 1) if first.typed else None
                )
                diff = (DiffToken("changed", typed_head, first.expected), *diff[1:])
            return Comparison((typo, *fixed.differences), diff)
    plain = compare(typed, expected)
    if plain.verdict is Verdict.RIGHT:
        return plain
    repaired = _moved_flags(typed)
    if repaired is None:
        return plain
    fixed = compare(repaired, expected)
    if len(fixed.differences) >= len(plain.differences):
        return plain
    command = typed.command
    assert command is not None
    what = command.arg_name(0).lower()
    goes_to = "the container" if what == "image" else "the command"
    message = (
        f"{' '.join(typed.passthrough)} after the {what} is passed to {goes_to}, "
        f"put flags before the {what}"
    )
    return Comparison((Difference(message, small=False), *fixed.differences), fixed.diff)
