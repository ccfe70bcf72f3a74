"""Rewrite a command line into another spelling the Docker CLI reads the same, or mutate it.

Rewrites: the command by any of its names (`docker ps` / `docker container ls`), flags in
another order (a repeated flag keeps its own order), short or long names, `--flag=value` or
`--flag value` or `-fvalue`, `--bool=true`, short boolean flags combined (`-i -t` -> `-it`),
arguments and values quoted. Mutations change one thing that matters: an argument, a value,
a dropped flag.
"""

from __future__ import annotations

import random
import shlex

from quizapp.grading.model import Flag
from quizapp.grading.parse import FlagUse, Invocation, read_line


def rewritable(answer: str) -> Invocation | None:
    """The answer read, when it is a plain docker command line this module can respell."""
    if any(c in answer for c in "$`|<>;&~#"):
        return None
    line = read_line(answer)
    if line.command is None or not line.docker or line.tail or line.problems:
        return None
    if any(use.flag is None or use.value is None for use in line.uses):
        return None
    return line


def _quote(word: str, rng: random.Random) -> str:
    if not word or any(c in word for c in "'\"\\ {}$`*?[]"):
        return shlex.quote(word)
    return rng.choice([word, word, f"'{word}'", f'"{word}"'])


def _spell(use: FlagUse, flag: Flag, rng: random.Random) -> list[str]:
    value = use.value or ""
    if not flag.takes_value:
        forms = [[f"--{flag.long}"]] if value == "true" else [[f"--{flag.long}={value}"]]
        if value == "true":
            forms.append([f"--{flag.long}=true"])
            if flag.short:
                forms += [[f"-{flag.short}"], [f"-{flag.short}"]]
        return rng.choice(forms)
    quoted = _quote(value, rng)
    forms = [[f"--{flag.long}", quoted], [f"--{flag.long}={quoted}"]]
    if flag.short:
        forms += [[f"-{flag.short}", quoted]]
        if value and not value.startswith("-"):
            forms.append([f"-{flag.short}{quoted}"])
    return rng.choice(forms)


def respell(line: Invocation, seed: int, avoid: tuple[str, ...] = ()) -> str:
    """Another spelling of `line` the CLI reads the same (not naming the command through a
    program in `avoid`, such as buildx where it is not installed)."""
    rng = random.Random(seed)
    command = line.command
    assert command is not None
    names = [n for n in (command.path, *command.aliases) if n[0] not in avoid] or [command.path]
    head = ["docker", *rng.choice(names)]
    global_words = [w for u in line.uses if u.scope == "global" for w in u.text.split()]
    group_words = [w for u in line.uses if u.scope == "group" for w in u.text.split()]
    head = [*head[:2], *group_words, *head[2:]]  # `docker compose --profile x up`
    uses = [u for u in line.uses if u.scope == "command"]
    rank = {name: rng.random() for name in {u.flag.long for u in uses if u.flag}}
    uses.sort(key=lambda u: rank[u.flag.long] if u.flag else 0)  # stable: same flag keeps order
    words: list[str] = []
    pending_short: list[str] = []
    for use in uses:
        flag = use.flag
        assert flag is not None
        spelled = _spell(use, flag, rng)
        if (
            len(spelled) == 1
            and len(spelled[0]) == 2
            and spelled[0][0] == "-"
            and rng.random() < 0.7
        ):
            pending_short.append(spelled[0][1])
            continue
        if pending_short:
            words.append("-" + "".join(pending_short))
            pending_short = []
        words += spelled
    if pending_short:
        words.append("-" + "".join(pending_short))
    args = [_quote(a, rng) for a in line.args]
    passthrough = [shlex.quote(w) for w in line.passthrough]
    return " ".join(["docker", *global_words, *head[1:], *words, *args, *passthrough])


def mutate(line: Invocation, seed: int) -> str | None:
    """`line` with one thing changed that the CLI reads differently, or None."""
    rng = random.Random(seed)
    words = list(shlex.split(" ".join(shlex.quote(w) for w in line.words)))
    choices: list[int] = []
    for i, word in enumerate(words[1:], 1):
        if not word.startswith("-") and word not in line.head and word not in ("true", "false"):
            choices.append(i)
    if not choices:
        return None
    i = rng.choice(choices)
    words[i] = words[i] + "2" if not words[i].endswith("/") else words[i] + "x"
    return shlex.join(words)
