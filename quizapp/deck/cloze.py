"""Anki's cloze syntax (`{{c1::answer}}`, `{{c1::answer::hint}}`), parsed once for everyone.

The loader validates with `cloze_problems`, the study screen asks with `question_text`,
the grader checks against `answers_for`, and the export passes the text through unchanged
because our syntax is Anki's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_OPENING_RE = re.compile(r"\{\{c(\d+)::")
MAX_CLOZE_NUMBER = 500
"""Anki makes one card per cloze number up to c500 (rslib notetype/cardgen.rs clamps the card
ord to 499); a higher number shares c500's card, and from c65537 on the import fails."""


@dataclass(frozen=True, slots=True)
class Deletion:
    number: int
    answer: str
    hint: str | None
    start: int
    end: int


def deletions(text: str) -> tuple[Deletion, ...]:
    return tuple(
        Deletion(int(m.group(1)), m.group(2), m.group(3), m.start(), m.end())
        for m in CLOZE_RE.finditer(text)
    )


def cloze_numbers(text: str) -> tuple[int, ...]:
    return tuple(sorted({d.number for d in deletions(text)}))


def answers_for(text: str, number: int) -> tuple[str, ...]:
    """The answers blanked for deletion `number`, in order (one cN may appear twice)."""
    return tuple(d.answer for d in deletions(text) if d.number == number)


def question_text(text: str, number: int, blank: str = "[...]") -> str:
    """The text as asked for deletion `number`: it is blanked (or shows its hint), others shown."""

    def replace(m: re.Match[str]) -> str:
        if int(m.group(1)) == number:
            hint = m.group(3)
            return f"[{hint}]" if hint else blank
        return m.group(2)

    return CLOZE_RE.sub(replace, text)


def answer_text(text: str) -> str:
    """The full text with every deletion filled in."""
    return CLOZE_RE.sub(lambda m: m.group(2), text)


def cloze_problems(text: str) -> list[tuple[int, str]]:
    """Offsets (into `text`) and messages for every malformed or missing cloze.

    A deletion must close with `}}` before any other `{{`: Anki reads `{{c1::a {{c2::b}}`
    (or a Go template such as `{{.Name}}` inside a deletion) differently from what was meant.
    """
    problems: list[tuple[int, str]] = []
    openings = list(_OPENING_RE.finditer(text))
    for m in openings:
        digits = m.group(1)
        # Compared as text first: int() refuses more than 4300 digits.
        number = int(digits) if len(digits.lstrip("0")) <= 4 else MAX_CLOZE_NUMBER + 1
        close = text.find("}}", m.end())
        nested = text.find("{{", m.end())
        if close == -1:
            problems.append((m.start(), f"cloze c{number} is not closed with }}}}"))
            continue
        if nested != -1 and nested < close:
            problems.append(
                (m.start(), f"cloze c{number} is not closed with }}}} before the next {{{{")
            )
            continue
        if not text[m.end() : close].split("::", 1)[0].strip():
            problems.append((m.start(), f"cloze c{number} has an empty answer"))
        if number == 0:
            problems.append((m.start(), "cloze numbers start at c1, not c0"))
        elif number > MAX_CLOZE_NUMBER:
            shown = digits if len(digits) <= 12 else digits[:12] + "..."
            problems.append(
                (
                    m.start(),
                    f"cloze c{shown} is too high: Anki makes cards for c1 to "
                    f"c{MAX_CLOZE_NUMBER} only",
                )
            )
    if not openings:
        if "{{" in text:
            problems.append((text.index("{{"), "malformed cloze: write {{c1::answer}}"))
        else:
            problems.append((0, "cloze text has no deletion: write {{c1::answer}}"))
    return sorted(problems)
