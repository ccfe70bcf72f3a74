"""Flags in canonical form and compared by meaning: the flag half of comparing two lines.

Bools by effective value, single-value flags by their last value, repeatable flags as multisets
(or in order, or keyed, as the model says); each difference named in words ("missing -a
(--all)", "--message should be x, not y"), each equivalence noted ("512M is the same size as
512m").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.grading.comparison import Builder
from quizapp.grading.model import Command, Flag
from quizapp.grading.parse import FlagUse, Invocation
from quizapp.grading.values import (
    SAME_WORDS,
    expand_port_range,
    is_misspelling,
    kind_of,
    negated_pair,
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
"""Flags whose value is a comma-separated list (`--platform a,b` = two `--platform`)."""
COMMA_REFS = frozenset({"cache-from"})
"""Flags whose value is a comma list of plain references (`--cache-from a,b`), or one
`type=...,ref=...` entry."""
SETS = frozenset({"volume", "cap-add", "cap-drop", "tmpfs", "expose", "filter", "platform"})
"""Repeatable flags the CLI keeps as a set: a value given twice counts once."""
TRISTATE = frozenset({"init"})
"""Bool flags the CLI sends only when given: `--init=false` is not the same as no `--init`
(the daemon's own default applies then)."""


@dataclass(slots=True)
class FlagState:
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
    keyed = (
        flag.repeat == "keyed"
        or flag.type == "keyvalue"
        or (flag.repeat is None and flag.long in KEYED)
    )
    a_set = flag.repeat == "set" or (flag.repeat is None and flag.long in SETS)
    if not keyed and not a_set and flag.type != "filter":
        return
    keep: dict[str, int] = {}
    for i, value in enumerate(values):
        key = value.partition("=")[0] if keyed else value
        keep.pop(key, None)
        keep[key] = i
    order = sorted(keep.values())
    values[:] = [values[i] for i in order]
    texts[:] = [texts[i] for i in order]
    raw[:] = [raw[i] for i in order]


def states(uses: Sequence[FlagUse]) -> dict[tuple[str, str], FlagState]:
    states: dict[tuple[str, str], FlagState] = {}
    for use in uses:
        flag = use.flag
        name = flag.key if flag else use.name.lstrip("-")
        key = (use.scope if flag else "?" + use.scope, name)
        state = states.get(key)
        if state is None:
            state = states[key] = FlagState(use.scope, name, flag, [], [])
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


def match_multiset(
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


def compare_flags(
    out: Builder,
    typed: dict[tuple[str, str], FlagState],
    expected: dict[tuple[str, str], FlagState],
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
        if flag is not None and not flag.takes_value and not flag.repeatable:
            _compare_bool(out, t if t_on else None, e if e_on else None)
        elif flag is not None and not flag.repeatable:
            _compare_single(out, t if t_on else None, e if e_on else None)
        else:
            _compare_repeatable(out, t, e, command)


def _agree(typed: FlagState) -> str:
    """The diff kind of a typed flag that means what the answer's does."""
    return "changed" if typed.marked else "same"


def _compare_bool(out: Builder, t: FlagState | None, e: FlagState | None) -> None:
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


def _note_default(out: Builder, t: FlagState | None, e: FlagState | None) -> None:
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
            f"{state.texts[-1]} is the default ({state.flag.dashed} {state.flag.default})"
        )
    elif not state.flag.takes_value and state.values and state.values[-1] == "false":
        out.notes.append(f"{state.texts[-1]} is the default")


def _note_redirect(out: Builder, typed: str, expected: str) -> None:
    """`> f` for `-o f`, `< f` for `-i f`: the shell does what the flag would."""
    redirects = [text for text in (typed, expected) if text[:1] in "<>"]
    if len(redirects) == 1 and typed != expected:
        out.notes.append(f"{typed} does what {expected} does")


def _note_same(out: Builder, flag: Flag | None, typed: str, expected: str) -> None:
    """Name the equivalence that made two different-looking values one ("512M is the same
    size as 512m"), so the learner learns it."""
    if flag is None or typed == expected or not typed or not expected:
        return
    kind = kind_of(flag.long, flag.type, flag.kind)
    words = SAME_WORDS.get(kind or "")
    if words:
        out.notes.append(f"{typed} is {words} {expected}")


def _bool_text(state: FlagState) -> str:
    flag = state.flag
    assert flag is not None
    default_true = flag.default is not None and parse_bool(flag.default)
    if state.values[-1] == "false" or default_true:
        return f"{flag.dashed}={state.values[-1]}"
    return state.label()


def _compare_single(out: Builder, t: FlagState | None, e: FlagState | None) -> None:
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
        message = f"{e.flag.dashed} should be {expected_value}, not {typed_value}{typo}"
        out.differ(message, small=not opposite)
        out.token("changed", t.texts[-1], e.texts[-1])
    elif e:
        out.differ(f"missing {_with_value(e.label(), e.flag, _shown(e, -1))}")
        out.token("missing", None, e.texts[-1])
    elif t:
        out.differ(f"extra {_with_value(t.label(), t.flag, _shown(t, -1))}")
        out.token("extra", t.texts[-1], None)


def _converted(state: FlagState, index: int) -> bool:
    """Written as another flag the docs call the same (`-v name:/path` read as `--mount`)."""
    flag = state.flag
    word = state.texts[index].split()[0].split("=")[0] if state.texts[index] else ""
    if flag is None or not word.startswith("-"):
        return False
    names = {f"--{flag.long}", *(f"--{a}" for a in flag.hidden_aliases)}
    if flag.short:
        names.add(f"-{flag.short}")
    return word not in names and not (flag.short and word.startswith(f"-{flag.short}"))


def _shown(state: FlagState, index: int) -> str:
    """A value as the learner or the deck wrote it (`512m`, not its 536870912 bytes)."""
    return state.raw[index] if state.raw and state.raw[index] else state.values[index]


def _compare_repeatable(
    out: Builder, t: FlagState | None, e: FlagState | None, command: Command | None
) -> None:
    t_values = t.values if t else []
    e_values = e.values if e else []
    state0 = e or t
    if (
        state0 is not None
        and state0.flag is not None
        and (
            state0.flag.repeat == "ordered"
            or (state0.flag.repeat is None and state0.flag.long in ORDERED)
        )
        and sorted(t_values) == sorted(e_values)
        and t_values != e_values
    ):
        out.differ(f"the order of {state0.label()} matters: {' '.join(e_values)}")
        for text in t.texts if t else []:
            out.token("changed", text, None)
        return
    pairs, t_left, e_left = match_multiset(t_values, e_values)
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
            message = f"{flag.dashed} should be {expected_value}, not {typed_value}{typo}"
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


def fix_flag_typos(
    out: Builder, typed: Invocation, expected: dict[tuple[str, str], FlagState]
) -> Invocation:
    """Read `--detatch` as the `--detach` the answer has, noting the typo once."""
    uses: list[FlagUse] = []
    for use in typed.uses:
        suggestion = use.suggestion
        known_to_answer = ("?" + use.scope, use.name.lstrip("-")) in expected
        if use.flag is None and suggestion is not None and not known_to_answer:
            if (use.scope, suggestion.long) in expected:
                out.differ(f"unknown flag {use.name}: did you mean {suggestion.dashed}?")
                use = dataclasses.replace(use, flag=suggestion)
                if use.value is None and not suggestion.takes_value:
                    use = dataclasses.replace(use, value="true")
            else:
                out.differ(f"unknown flag {use.name}: did you mean {suggestion.dashed}?")
                out.noted.add(use.name.lstrip("-"))
        uses.append(use)
    return dataclasses.replace(typed, uses=tuple(uses))
