"""Card ids for drafted cards: slugs of the section and the text, made unique in the deck.

An id is what a learner's progress is keyed on, so a draft must give the same card the same
id every time it is run on the same notes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from quizapp.draft.vocabulary import STOPWORDS

_MAX_BASE = 56
"""Room is left for a `-NN` suffix within the 64 characters an id may have."""


def slug_words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return [w for w in re.split(r"[^a-z0-9]+", ascii_text.lower()) if w]


def slug(text: str, limit: int = _MAX_BASE) -> str:
    """`"Network types:"` -> `"network-types"`; at most `limit` characters, cut at a hyphen."""
    words = slug_words(text)
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    if not out and words:
        out = words[0][:limit]
    return out


def card_id_base(section: str | None, text: str) -> str:
    """Two words of the innermost heading, then up to five significant words of the text."""
    heading = section.split(" > ")[-1] if section else ""
    head = [w for w in slug_words(heading) if w not in STOPWORDS][:2]
    body = [w for w in slug_words(text) if w not in STOPWORDS][:5] or slug_words(text)[:5]
    return slug(" ".join(head + body)) or "card"


class IdMaker:
    """Hands out ids unique among the ones already taken: `x`, then `x-2`, `x-3`..."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)

    def make(self, base: str) -> str:
        candidate = base
        n = 2
        while candidate in self.taken:
            candidate = f"{base}-{n}"
            n += 1
        self.taken.add(candidate)
        return candidate
