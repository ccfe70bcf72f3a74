"""Deck text turned into Textual `Content`: never parsed as markup, backticks shown as code.

Everything a deck author wrote reaches the screen through `deck_text`, so `[bold]` or
`ENTRYPOINT ["node", "./app.js"]` shows literally and `` `docker ps` `` is styled as code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.content import Content

CODE_STYLE = "$text-accent on $boost"
_CODE_RE = re.compile(r"`([^`\n]+)`")


def deck_text(text: str, style: str = "") -> Content:
    """Literal text with `inline code` spans styled as code (the backticks dropped)."""
    parts: list[str | tuple[str, str]] = []
    position = 0
    for match in _CODE_RE.finditer(text):
        if match.start() > position:
            parts.append(
                (text[position : match.start()], style) if style else text[position : match.start()]
            )
        parts.append((match.group(1), f"{CODE_STYLE} {style}".strip()))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], style) if style else text[position:])
    return Content.assemble(*parts)


def code_text(text: str) -> Content:
    """A whole string shown as code (a command, an answer)."""
    return Content.styled(text, CODE_STYLE)


def join(parts: Iterable[Content | str | tuple[str, str]], separator: str = "") -> Content:
    """Content pieces joined, strings taken literally."""
    pieces: list[Content | str | tuple[str, str]] = []
    for index, part in enumerate(parts):
        if index and separator:
            pieces.append(separator)
        pieces.append(part)
    return Content.assemble(*pieces)


def display_path(path: object) -> str:
    """A file path as short as it can be said: relative to the working folder, or `~/...`."""
    from pathlib import Path

    full = Path(str(path))
    for base, shown in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return shown + str(full.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(full)
