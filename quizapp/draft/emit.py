"""Writing a deck as YAML text by hand, so that it can carry comments: the one deck writer.

`quizapp draft` writes its drafts with `deck_yaml`/`card_yaml`; `quizapp import anki` writes
any `Card` with `card_entry` and `deck_head`.

Every text value is written double-quoted with escapes, so it reads back as exactly the same
text: `80` stays "80", `no` stays "no", and `: `, `#`, quotes, backslashes and any Unicode
survive. Ids and the card type are written plain when YAML cannot misread them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from quizapp.draft.cards import DraftCard

_PLAIN_SAFE = re.compile(r"[a-z][a-z0-9-]*")
_YAML11_WORDS = frozenset("y n yes no on off true false null".split())
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\0": "\\0",
    "\x07": "\\a",
    "\x08": "\\b",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def _needs_escape(code: int) -> bool:
    """Characters a YAML reader refuses or mangles when written raw."""
    return (
        code < 0x20
        or 0x7F <= code < 0xA0
        or 0xD800 <= code < 0xE000
        or code in (0xFEFF, 0xFFFE, 0xFFFF)
    )


_SPECIAL_RE = re.compile(r'[\x00-\x1f\x7f-\xa0\\"\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]')
"""Any character `quote` escapes; text without one is quoted as it is (the common case)."""


def quote(text: str) -> str:
    """`text` as a YAML double-quoted scalar that loads back as exactly `text`."""
    if _SPECIAL_RE.search(text) is None:
        return f'"{text}"'
    return '"' + _SPECIAL_RE.sub(_escape, text) + '"'


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if _needs_escape(ord(ch)):
        return f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}"
    return ch


def scalar(text: str) -> str:
    """Plain when safe (ids, types), else double-quoted."""
    if _PLAIN_SAFE.fullmatch(text) and text not in _YAML11_WORDS:
        return text
    return quote(text)


def flow_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def card_entry(
    card_id: str,
    kind: str,
    fields: Mapping[str, str | Sequence[str]],
    *,
    section: str | None = None,
    tags: Sequence[str] = (),
    comments: Sequence[str] = (),
    indent: str = "  ",
) -> str:
    """One card as a sequence item, `comments` (`# ...` lines) above it.

    A text field is written double-quoted; a list field (choices, accept) as a block list.
    """
    inner = indent + "  "
    lines = [f"{indent}# {comment}" for comment in comments]
    lines.append(f"{indent}- id: {scalar(card_id)}")
    lines.append(f"{inner}type: {kind}")
    if section:
        lines.append(f"{inner}section: {quote(section)}")
    if tags:
        lines.append(f"{inner}tags: {flow_list(tags)}")
    for key, value in fields.items():
        if isinstance(value, str):
            lines.append(f"{inner}{key}: {quote(value)}")
        else:
            lines.append(f"{inner}{key}:")
            lines.extend(f"{inner}  - {quote(item)}" for item in value)
    return "\n".join(lines) + "\n"


def card_yaml(card: DraftCard, indent: str = "  ") -> str:
    """One card as a sequence item, its `# from:` marker and `# check:` notes above it."""
    comments = [f"from: {card.source_hash} (notes line {card.line})"]
    comments += [f"check: {note}" for note in card.checks]
    lists = {key: tuple(values) for key, values in card.lists.items() if values}
    return card_entry(
        card.id,
        card.kind.value,
        {**card.fields, **lists},
        section=card.section,
        tags=card.tags,
        comments=comments,
        indent=indent,
    )


def deck_head(
    comments: Sequence[str],
    deck_id: str,
    title: str,
    *,
    description: str | None = None,
    source: str | None = None,
    tags: Sequence[str] = (),
) -> str:
    """The top of a deck file, up to and including `cards:`."""
    head = [f"# {comment}" for comment in comments]
    head += [f"deck: {scalar(deck_id)}", f"title: {quote(title)}"]
    if description:
        head.append(f"description: {quote(description)}")
    if source:
        head.append(f"source: {quote(source)}")
    if tags:
        head.append(f"tags: {flow_list(tags)}")
    head.append("cards:")
    return "\n".join(head) + "\n"


def deck_yaml(deck_id: str, title: str, source: str | None, cards: list[DraftCard]) -> str:
    comments = [
        "Drafted by `quizapp draft`: edit freely, then check it with `quizapp validate`.",
        "Cards marked `# check:` need a human look. `# from:` lines let `quizapp draft --merge`",
        "recognise cards it drafted before; keep them if you can.",
    ]
    head = deck_head(comments, deck_id, title, source=source)
    return head + "".join("\n" + card_yaml(card) for card in cards)
