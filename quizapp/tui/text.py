"""Deck text turned into Textual `Content`: never parsed as markup, backticks shown as code.

Everything a deck author wrote reaches the screen through `deck_text` (or `plain` for a title,
a file name, a message), so `[bold]` or `ENTRYPOINT ["node", "./app.js"]` shows literally,
`` `docker ps` `` is styled as code, and a control character shows as its stand-in (`␛`,
see `quizapp.textsafe`) instead of driving the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from rich.segment import Segment
from textual.color import Color
from textual.content import Content
from textual.filter import LineFilter

from quizapp.textsafe import visible

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
    text = visible(text, newline=True, tab=True)
    parts: list[str | tuple[str, str]] = []
    for piece, code in code_pieces(text):
        piece_style = f"{CODE_STYLE} {style}".strip() if code else style
        parts.append((piece, piece_style) if piece_style else piece)
    return Content.assemble(*parts)


def code_text(text: str) -> Content:
    """A whole string shown as code (a command, an answer)."""
    return Content.styled(visible(text, newline=True, tab=True), CODE_STYLE)


def plain(text: str, style: str = "") -> Content:
    """One line of outside text (a deck title, a section, a file name), literal and visible."""
    return Content.styled(visible(text), style) if style else Content(visible(text))


def safe_part(part: Content | str | tuple[str, str]) -> Content | str | tuple[str, str]:
    """A piece for `Content.assemble` with its text made visible (Content is already safe)."""
    if isinstance(part, str):
        return visible(part, newline=True, tab=True)
    if isinstance(part, tuple):
        return (visible(part[0], newline=True, tab=True), part[1])
    return part


def join(parts: Iterable[Content | str | tuple[str, str]], separator: str = "") -> Content:
    """Content pieces joined, strings taken literally."""
    pieces: list[Content | str | tuple[str, str]] = []
    for index, part in enumerate(parts):
        if index and separator:
            pieces.append(separator)
        pieces.append(safe_part(part))
    return Content.assemble(*pieces)


class VisibleControls(LineFilter):
    """The last line of defence: any control character left in a line's text is shown.

    Everything outside text goes through `deck_text` or `plain` already; this catches what a
    widget holds that quizapp did not build (a pasted answer in an Input). Textual's own
    control segments (cursor moves) are left alone.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            segment
            if segment.control or visible(segment.text, tab=True) == segment.text
            else Segment(visible(segment.text, tab=True), segment.style, segment.control)
            for segment in segments
        ]


def display_path(path: object) -> str:
    """A file path as short as it can be said: relative to the working folder, or `~/...`."""
    from pathlib import Path

    full = Path(str(path))
    for base, shown in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return visible(shown + str(full.resolve().relative_to(base.resolve())))
        except ValueError:
            continue
    return visible(str(full))


def format_duration(seconds: float) -> str:
    """`42 s`, `3 min 05 s`, `1 h 02 min`: a session's time on the summary."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
