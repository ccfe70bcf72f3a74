"""Deck text as Anki field HTML, and deck tags as Anki tags.

Deck text is data, never markup: `<none>`, `<script>` and `&` must show literally in Anki.
Only our own small syntax becomes HTML: inline backtick code becomes `<code>`, newlines `<br>`,
and cloze markup `{{cN::answer::hint}}` stays intact so Anki's cloze note type can use it.
Control characters other than newline and tab are left out (`textsafe.without_controls`):
U+001F is Anki's field separator, and one in a field makes Anki refuse the whole package
(`quizapp validate` warns at each one).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from quizapp.deck.cloze import CLOZE_RE, answers_for
from quizapp.textsafe import without_controls

_PLAIN_RE = re.compile("[<>&`\r\n\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Text without any of these characters is its own HTML (the common case, made fast)."""
_CODE_RE = re.compile(r"`([^`\n]+)`")
_SPACE_RE = re.compile(r"\s+")
_BAD_TAG_CHARS_RE = re.compile(r'[\x00-\x1f\x7f-\x9f"]')


def text_html(text: str) -> str:
    """Escape `text` for an Anki field; `code` spans become <code>, newlines <br>."""
    if not _PLAIN_RE.search(text):
        return text
    text = without_controls(text.replace("\r\n", "\n").replace("\r", "\n"))
    escaped = html.escape(text, quote=False)
    return _CODE_RE.sub(r"<code>\1</code>", escaped).replace("\n", "<br>")


def literal_html(text: str) -> str:
    """Escape `text` with no markup at all (a shell command: backticks are its own syntax)."""
    return html.escape(without_controls(text), quote=False).replace("\n", "<br>")


_MARK_RE = re.compile("\ue000(\\d+)\ue001")


def cloze_html(text: str) -> str:
    """Like `text_html`, keeping every `{{cN::answer}}` / `{{cN::answer::hint}}` working.

    Each deletion is stood in by a mark while the text around it is converted, so a backtick
    span around a deletion (`` `FROM {{c1::alpine}}` ``) becomes one `<code>` holding the
    cloze; the answer and hint are converted on their own and put back in Anki's syntax.
    """
    deletions: list[str] = []

    def mark(match: re.Match[str]) -> str:
        number, answer, hint = match.group(1), match.group(2), match.group(3)
        inner = text_html(answer) if hint is None else f"{text_html(answer)}::{text_html(hint)}"
        deletions.append(f"{{{{c{number}::{inner}}}}}")
        return f"\ue000{len(deletions) - 1}\ue001"

    converted = text_html(CLOZE_RE.sub(mark, text))
    return _MARK_RE.sub(lambda found: deletions[int(found.group(1))], converted)


def alternatives_html(text: str, alternatives: Iterable[tuple[int, Iterable[str]]]) -> str:
    """A cloze card's other right answers, for the back of its Anki cards.

    Anki's cloze syntax holds one answer per deletion, so the alternatives are listed after
    the answer, each under the deletion's own answer: "Also right: source → src". "" if none.
    """
    items = []
    for number, answers in alternatives:
        blanked = text_html(" … ".join(answers_for(text, number)))
        others = ", ".join(text_html(answer) for answer in answers)
        items.append(f"<li>{blanked} → {others}</li>")
    if not items:
        return ""
    return f'<div class="alternatives">Also right:<ul>{"".join(items)}</ul></div>'


def choices_html(choices: Iterable[str], deck_order: Iterable[int] | None = None) -> str:
    """The choices as an HTML list, in the order given.

    `deck_order`: each choice's position in the deck, kept as `data-i` on its item (Anki
    shows nothing of it), so `quizapp import anki` can put the choices back in deck order.
    """
    if deck_order is None:
        items = "".join(f"<li>{text_html(choice)}</li>" for choice in choices)
    else:
        items = "".join(
            f'<li data-i="{i}">{text_html(choice)}</li>'
            for choice, i in zip(choices, deck_order, strict=True)
        )
    return f'<ul class="choices">{items}</ul>'


@lru_cache(maxsize=4096)
def anki_tag(tag: str) -> str:
    """One tag made Anki-safe: whitespace runs become `_`, quotes and controls go.

    `::` keeps its meaning (a hierarchical tag); empty levels are dropped. May return "".
    """
    levels = (_tag_level(level) for level in tag.split("::"))
    return "::".join(level for level in levels if level)


@lru_cache(maxsize=4096)
def section_tag(section: str) -> str:
    """The section as a hierarchical tag under `section::`.

    `"Container Networking > Network types"` -> `"section::Container_Networking::Network_types"`.
    """
    levels = [_tag_level(level.replace("::", ":")) for level in section.split(">")]
    levels = [level for level in levels if level]
    return "::".join(["section", *levels]) if levels else ""


def note_tags(deck_tags: Iterable[str], card_tags: Iterable[str], section: str | None) -> list[str]:
    """Deck tags, then card tags, then the section tag: Anki-safe, without duplicates."""
    tags = [anki_tag(tag) for tag in (*deck_tags, *card_tags)]
    if section:
        tags.append(section_tag(section))
    seen: set[str] = set()
    unique: list[str] = []
    for tag in tags:
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            unique.append(tag)
    return unique


def _tag_level(level: str) -> str:
    cleaned = _BAD_TAG_CHARS_RE.sub("", _SPACE_RE.sub(" ", level).strip())
    return cleaned.replace(" ", "_")
