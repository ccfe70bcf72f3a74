"""Inline Markdown in one statement: code spans, bold terms, emphasis.

Card text keeps code spans in backticks (the app renders them as code) and drops the other
markup; bold terms are what cloze deletions are made of.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![*\w])([*_])(?=\S)([^*_]+?)(?<=\S)\1(?![*\w])")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True, slots=True)
class Code:
    text: str
    start: int
    end: int


def code_spans(text: str) -> list[Code]:
    return [Code(m.group(2).strip(), m.start(), m.end()) for m in CODE_SPAN.finditer(text)]


def _outside_code(
    text: str, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]
) -> str:
    """Apply a substitution to the parts of `text` that are not code spans."""
    out: list[str] = []
    last = 0
    for m in CODE_SPAN.finditer(text):
        out.append(pattern.sub(repl, text[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(pattern.sub(repl, text[last:]))
    return "".join(out)


def plain(text: str) -> str:
    """Card text: links reduced to their words, bold and emphasis markers dropped, code kept."""
    text = _outside_code(text, _LINK, r"\1")
    text = _outside_code(text, _BOLD, r"\2")
    text = _outside_code(text, _EMPHASIS, r"\2")
    return " ".join(text.split())


def bold_terms(text: str) -> list[str]:
    """The bold terms outside code spans, in order."""
    found: list[str] = []
    last = 0
    for m in [*CODE_SPAN.finditer(text), None]:
        chunk = text[last : m.start()] if m else text[last:]
        found += [b.group(2) for b in _BOLD.finditer(chunk)]
        if m:
            last = m.end()
    return found


def to_cloze(text: str) -> str | None:
    """The statement as cloze text, each distinct bold term a deletion; None if it cannot be one.

    `**Raft**` becomes `{{c1::Raft}}`; the same term twice is the same deletion. A statement
    that would be nothing but deletions, or whose terms clash with cloze syntax, is no cloze.
    """
    if "{{" in text or "}}" in text:
        return None
    numbers: dict[str, int] = {}

    def mark(m: re.Match[str]) -> str:
        number = numbers.setdefault(plain(m.group(2)), len(numbers) + 1)
        return f"\x01{number}\x02"

    body = plain(_outside_code(text, _BOLD, mark))
    if not numbers or any(re.search(r"::|[{}]", term) for term in numbers):
        return None
    if len(re.findall(r"\w+", re.sub(r"\x01\d+\x02", "", body))) < 2:
        return None
    terms = {n: t for t, n in numbers.items()}
    return re.sub(
        r"\x01(\d+)\x02", lambda m: f"{{{{c{m.group(1)}::{terms[int(m.group(1))]}}}}}", body
    )


def words(text: str) -> list[str]:
    return plain(text).split()
