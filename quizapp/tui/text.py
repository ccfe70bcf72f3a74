"""Deck text turned into Textual `Content`: never parsed as markup, backticks shown as code.

Everything a deck author wrote reaches the screen through `deck_text`, so `[bold]` or
`ENTRYPOINT ["node", "./app.js"]` shows literally and `` `docker ps` `` is styled as code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from textual.content import Content

CODE_STYLE = "$text-accent on $boost"
_CODE_RE = re.compile(r"`([^`\n]+)`")


def code_pieces(text: str) -> Iterator[tuple[str, bool]]:
    """`text` cut into (piece, is_code) runs; a code piece is a backtick span without its ticks."""
    position = 0
    for match in _CODE_RE.finditer(text):
        if match.start() > position:
            yield text[position : match.start()], False
        yield match.group(1), True
        position = match.end()
    if position < len(text):
        yield text[position:], False


def deck_text(text: str, style: str = "") -> Content:
    """Literal text with `inline code` spans styled as code (the backticks dropped)."""
    parts: list[str | tuple[str, str]] = []
    for piece, code in code_pieces(text):
        piece_style = f"{CODE_STYLE} {style}".strip() if code else style
        parts.append((piece, piece_style) if piece_style else piece)
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
