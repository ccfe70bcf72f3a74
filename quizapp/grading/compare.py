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

from quizapp.deck.shellwords import CONTROL
from quizapp.grading.comparison import Builder, Comparison, Difference
from quizapp.grading.flags import compare_flags, fix_flag_typos, match_multiset, states
from quizapp.grading.model import Command, docker_model
from quizapp.grading.parse import Invocation, read_words, split_flag_words
from quizapp.grading.posix import FALLBACK_NOTE, posix_form
from quizapp.grading.result import DiffToken, Verdict
from quizapp.grading.values import (
    is_misspelling,
    is_typo,
    normalize_file,
    normalize_image,
    normalize_kube_type,
    normalize_revision,
    normalize_unit,
    values_match,
)

__all__ = ["Comparison", "Difference", "compare", "compare_command", "fingerprint"]


# ---------------------------------------------------------------- words and arguments


def _compare_sequence(
    out: Builder,
    typed: Sequence[str],
    expected: Sequence[str],
    typed_norm: Sequence[str],
    expected_norm: Sequence[str],
    name: Callable[[int], str] | None,
) -> None:
    """Word-by-word: pairwise when the lengths agree, else by longest common runs.

    `name` says what the word at an index of `expected` is; None for plain words."""

    def wrong(i: int, e: str, t: str) -> str:
        typo = " (a typo)" if is_misspelling(t, e) else ""
        return f"{name(i)} should be {e}, not {t}{typo}" if name else f"expected {e}, not {t}{typo}"

    def missing(i: int, e: str) -> str:
        return f"missing {e} ({name(i)})" if name else f"missing {e}"

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


def _compare_args(out: Builder, typed: Invocation, expected: Invocation) -> None:
    command = expected.command
    assert command is not None

    def norm(args: Sequence[str]) -> list[str]:
        return [_normalize_arg(command, i, a) for i, a in enumerate(args)]

    if any(arg.default is not None for arg in command.args):
        typed = dataclasses.replace(typed, args=_with_defaults(command, typed.args))
        expected = dataclasses.replace(expected, args=_with_defaults(command, expected.args))
    t_norm, e_norm = norm(typed.args), norm(expected.args)
    if command.args_are_a_set:
        pairs, t_left, e_left = match_multiset(t_norm, e_norm)
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


def _with_defaults(command: Command, args: tuple[str, ...]) -> tuple[str, ...]:
    """The arguments with those left out that have a default (`[COMMIT=HEAD]`) filled in."""
    filled = list(args)
    for arg in command.args[len(args) :]:
        if arg.default is None or arg.variadic:
            break
        filled.append(arg.default)
    return tuple(filled)


def _normalize_arg(command: Command, index: int, value: str) -> str:
    if value.startswith("$(") and value.endswith(")"):
        return substitution_fingerprint(value)
    if command.is_image_arg(index):
        return normalize_image(value)
    if command.arg_name(index) == "PATH":  # the build context; cp paths keep their slash
        return normalize_file(value)
    if command.arg_name(index).upper().split("|")[0] in ("FILE", "KEYFILE"):
        return normalize_file(value)  # `./secret.txt` is `secret.txt`
    if command.program == "git" and any(
        word in command.arg_name(index)
        for word in ("COMMIT", "REVISION", "UPSTREAM", "STASH", "OBJECT")
    ):
        return normalize_revision(value)  # `HEAD^` is `HEAD~1`
    if command.program == "kubectl" and command.arg_name(index) in ("TYPE", "TYPE_NAME"):
        return normalize_kube_type(value)  # `po` is `pods`
    if command.program == "kubectl" and command.arg_name(index) == "POD":
        kind, slash, name = value.partition("/")  # `pod/web` is the pod `web`
        return name if slash and normalize_kube_type(kind) == "pods" else value
    if command.arg_name(index) == "UNIT":
        return normalize_unit(value)  # `nginx` is `nginx.service`
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
    for (scope, name), state in sorted(states(line.uses).items()):
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
    group = expected.model.group_of(e.path) if expected.model is not None else None
    if t.path and e.path and t.path[-1] == e.path[-1] and t.path[:-1] != e.path[:-1] and group:
        return f"{typed_name} {t.does}; this asks for {group.noun}"
    return f"{typed_name} {t.does}, but this asks for {expected_name}, which {e.does}"


def _head_tokens(out: Builder, typed: Sequence[str], expected: Sequence[str]) -> None:
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


def _compare_words(out: Builder, typed: Invocation, expected: Invocation) -> None:
    if typed.words[:1] != expected.words[:1] and typed.words and expected.words:
        t0, e0 = typed.words[0], expected.words[0]
        if not is_typo(t0, e0):
            out.differ(f"this asks for {e0}, not {t0}", small=False)
            out.token("changed", " ".join(typed.words), " ".join(expected.words))
            return
    elif typed.words and expected.words and typed.words != expected.words and not typed.model:
        _compare_posix(out, typed.words, expected.words)
        return
    _compare_sequence(
        out,
        typed.words,
        expected.words,
        typed.words,
        expected.words,
        None,
    )


def _compare_posix(out: Builder, typed: Sequence[str], expected: Sequence[str]) -> None:
    """A program without a model, by the POSIX utility conventions (`posix`): options as a
    set, operands in order; the explanation says it was read so."""
    program = expected[0]
    note = FALLBACK_NOTE.format(program=program)
    t_options, t_operands = posix_form(typed[1:])
    e_options, e_operands = posix_form(expected[1:])
    out.token("same", typed[0], expected[0])
    pairs, t_left, e_left = match_multiset(t_options, e_options)
    for ti, ei in pairs:
        out.token("same", t_options[ti], e_options[ei])
    for ei in e_left:
        out.differ(f"missing {e_options[ei]}")
        out.token("missing", None, e_options[ei])
    for ti in t_left:
        out.differ(f"extra {t_options[ti]}")
        out.token("extra", t_options[ti], None)
    _compare_sequence(out, t_operands, e_operands, t_operands, e_operands, None)
    out.remarks.append(note)


def _stages(tail: Sequence[str]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """What follows a line's first command: its own leftovers (redirections, variables), then
    each later stage with the operator before it (`|`, `&&`, `;`, ...)."""
    lead: list[str] = []
    stages: list[tuple[str, list[str]]] = []
    for word in tail:
        if word in CONTROL:
            stages.append((word, []))
        elif stages:
            stages[-1][1].append(word)
        else:
            lead.append(word)
    return lead, stages


def _compare_stages(out: Builder, typed: Sequence[str], expected: Sequence[str]) -> bool:
    """Each later stage of a pipeline or list graded with its own program's model: False when
    the two lines do not have the same operators (then they are compared word for word)."""
    t_lead, t_stages = _stages(typed)
    e_lead, e_stages = _stages(expected)
    if [op for op, _ in t_stages] != [op for op, _ in e_stages] or not e_stages:
        return False
    if any(not words for _, words in (*t_stages, *e_stages)):
        return False
    _compare_sequence(out, t_lead, e_lead, t_lead, e_lead, None)
    for (op, t_words), (_, e_words) in zip(t_stages, e_stages, strict=True):
        out.token("same", op, op)
        t_words, e_words = _without_sudo(t_words), _without_sudo(e_words)
        stage = compare_command(read_words(tuple(t_words)), read_words(tuple(e_words)))
        program = e_words[0]
        for difference in stage.differences:
            message = difference.message
            if not message.startswith(program):
                message = f"{program}: {message}"
            out.differ(message, difference.small)
        out.tokens += stage.diff
        if not stage.differences:
            out.notes += [n if n.startswith(program) else f"{program}: {n}" for n in stage.notes]
        out.remarks += [r for r in stage.remarks if r not in out.remarks]
    return True


def _without_sudo(words: list[str]) -> list[str]:
    """A later stage's `sudo systemctl ...` is read as `systemctl ...`, as the first is."""
    return words[1:] if len(words) > 1 and words[0] == "sudo" else words


def compare(typed: Invocation, expected: Invocation) -> Comparison:
    """How `typed` differs from `expected`, in canonical order; then what follows each
    command on the line: each stage of `a | b`, `a && b`, `a; b` with its own program's
    model (word for word when the lines are not built alike)."""
    result = _compare_main(typed, expected)
    if not (typed.tail or expected.tail):
        return result
    out = Builder()
    out.differences, out.tokens, out.notes, out.remarks = (
        list(result.differences),
        list(result.diff),
        list(result.notes),
        list(result.remarks),
    )
    if _compare_stages(out, typed.tail, expected.tail):
        return out.done()
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
    out = Builder()
    if _global_only(typed) and _global_only(expected):
        compare_flags(out, states(typed.uses), states(expected.uses), None)
        return out.done()
    if not (typed.structured and expected.structured):
        if typed.model is not None and typed.unknown and expected.structured:
            program = typed.model.name
            name = " ".join((program, *typed.unknown))
            out.differ(f"{name}: unknown {program} command", small=False)
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
    if (t_cmd.program, t_cmd.path) != (e_cmd.program, e_cmd.path):
        out.differ(_command_mismatch(typed, expected), small=False)
        _head_tokens(out, typed.head, expected.head)
        rest = Builder()
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
    e_states = states(expected.uses)
    typed = fix_flag_typos(out, typed, e_states)
    typed = _value_without_flag(out, typed, expected)
    compare_flags(out, states(typed.uses), e_states, t_cmd)
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


def _value_without_flag(out: Builder, typed: Invocation, expected: Invocation) -> Invocation:
    """`journalctl docker.service` for `journalctl -u docker.service`: the value is there, its
    flag is not; one mistake (the flag is missing), not a missing flag and an extra argument."""
    if typed.docker or len(typed.args) <= len(expected.args):
        return typed
    have = {u.flag.key for u in typed.uses if u.flag is not None}
    args = list(typed.args)
    uses = list(typed.uses)
    for use in expected.uses:
        flag = use.flag
        if flag is None or not flag.takes_value or flag.key in have or use.value is None:
            continue
        if use.value in args and use.value not in expected.args:
            args.remove(use.value)
            uses.append(dataclasses.replace(use, text=use.value, moved=True))
            out.differ(f"missing {flag.label} before {use.value}")
            have.add(flag.key)
    if len(args) == len(typed.args):
        return typed
    return dataclasses.replace(typed, args=tuple(args), uses=tuple(uses))


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
        result = dataclasses.replace(result, notes=(note, *result.notes))
    if result.verdict is Verdict.RIGHT:
        read = tuple(n for n in typed.notes if n not in expected.notes and n not in result.notes)
        if read:
            result = dataclasses.replace(result, notes=(*result.notes, *read))
    return result


def _compare_command(typed: Invocation, expected: Invocation) -> Comparison:
    model = expected.model
    if typed.model is None and model is not None and typed.words and expected.words:
        programs = (model.name, *model.programs)
        slip = is_typo if model.name == "docker" else is_misspelling  # `gti` is git
        program = next((p for p in programs if slip(typed.words[0], p)), None)
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
