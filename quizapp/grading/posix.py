"""A program quizapp has no CLI model of, read by the POSIX utility conventions.

POSIX.1-2017 XBD 12.2 (Utility Syntax Guidelines): options come before operands, `-abc` is
`-a -b -c`, `--` ends the options, an option's argument may follow it in the next word.
Which options take an argument is not known without a model, so a word between two options
is taken for the first one's argument (an operand would have ended the options), and the
words after the last option stay in order, as operands. Options then compare as a set and
operands in order: `ls -la dir` is `ls -a -l dir`, `head -n5 f` is `head -n 5 f`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

FALLBACK_NOTE = (
    "{program} has no CLI model here: read by POSIX utility conventions "
    "(options before operands, -abc is -a -b -c)"
)
_LETTERS_THEN_NUMBER = re.compile(r"-([A-Za-z]+)(\d+)")


def _spread(words: Sequence[str]) -> list[str]:
    """`-n5` as `-n 5`, `--opt=v` as `--opt v`, up to `--`."""
    out: list[str] = []
    for i, word in enumerate(words):
        if word == "--":
            out += words[i:]
            break
        match = _LETTERS_THEN_NUMBER.fullmatch(word)
        if match:
            out += [f"-{match.group(1)}", match.group(2)]
        elif word.startswith("--") and "=" in word:
            out += list(word.split("=", 1))
        else:
            out.append(word)
    return out


def is_option(word: str) -> bool:
    return word.startswith("-") and word not in ("-", "--") and not word[1:].isdigit()


def posix_form(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """The options (one `-x` or `-x ARG` each, sorted) and the operands of a command's words
    after its name."""
    words = _spread(args)
    end = words.index("--") if "--" in words else len(words)
    last = max((i for i in range(end) if is_option(words[i])), default=-1)
    options: list[str] = []
    for i in range(last + 1):
        word = words[i]
        if is_option(word):
            letters = [word] if word.startswith("--") else [f"-{c}" for c in word[1:]]
            options += letters
        elif options:
            options[-1] += " " + word  # between two options: the first one's argument
        else:
            return [], list(words)  # an operand first: no options at all
    operands = words[last + 1 : end] + words[end + 1 :]
    return sorted(options), operands
