"""Text from outside made harmless for a terminal: the one place control characters are shown.

Deck files are shared like code, so their text, file names, config values and typed answers are
untrusted. A terminal obeys control characters: `ESC ] 52` sets the clipboard, `ESC ] 0` the
window title, `ESC [ 2 J` clears the screen, and C1 `CSI` (U+009B) does the same as `ESC [`.
`visible` turns every such character into a visible stand-in, so no escape sequence can be
formed from outside text; every place that shows outside text (the study app, every command's
output, every error message) goes through it.

The stand-ins (docs/deck-format.md, "Control characters"):
- C0 controls U+0000-U+001F and DEL U+007F: the Unicode control pictures, `␀`..`␟` and `␡`
  (ESC shows as `␛`, BEL as `␇`, newline as `␊`, tab as `␉`);
- C1 controls U+0080-U+009F, which have no pictures: `\\x9b`-style hex;
- a lone surrogate (an undecodable byte of a file name, kept by `os.fsdecode`): `\\xff`-style
  hex of the byte (or `\\udXXX` for one that came from nowhere), as it cannot be written out.
Newline and tab stay as they are only where the caller allows them (multi-line card text).
"""

from __future__ import annotations

import io
import re
from typing import TextIO

_ALWAYS = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
_PATTERNS = {
    (newline, tab): re.compile(f"[{_ALWAYS}{'' if newline else chr(10)}{'' if tab else chr(9)}]")
    for newline in (True, False)
    for tab in (True, False)
}

_DECK_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Controls deck text may not hold (newline and tab are text)."""


def stand_in(char: str) -> str:
    """The visible form of one control character (see the module docstring)."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape of byte 0x80..0xff
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}"
    if 0x80 <= code <= 0x9F:
        return f"\\x{code:02x}"
    return char


def _replace(match: re.Match[str]) -> str:
    return stand_in(match.group())


def visible(text: str, *, newline: bool = False, tab: bool = False) -> str:
    """`text` with every C0/C1 control, DEL and lone surrogate shown as a visible stand-in.

    `newline` and `tab` keep those two as they are (where the text may span lines); by default
    they are shown too, so a one-line message stays one line whatever a file name holds.
    """
    pattern = _PATTERNS[(newline, tab)]
    if pattern.search(text) is None:
        return text
    return pattern.sub(_replace, text)


def shown(value: object) -> str:
    """`str(value)` made visible on one line: for a file name or a value inside a message."""
    return visible(str(value))


def control_offsets(text: str) -> list[int]:
    """Offsets of the control characters deck text may not hold (any but newline and tab)."""
    return [match.start() for match in _DECK_CONTROLS.finditer(text)]


def without_controls(text: str) -> str:
    """`text` with those control characters removed (for a program that refuses them: Anki)."""
    return _DECK_CONTROLS.sub("", text)


class VisibleWriter(io.TextIOBase):
    """A text stream that passes everything through `visible` (newlines and tabs kept).

    The command line writes stdout and stderr through it, so no command, no click usage
    error and no message that echoes a file name can send a control character to the terminal.
    It has no `buffer`: nothing can write around it.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self._stream.errors

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._stream.write(visible(text, newline=True, tab=True))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()


__all__ = [
    "VisibleWriter",
    "control_offsets",
    "shown",
    "stand_in",
    "visible",
    "without_controls",
]
