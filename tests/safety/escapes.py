"""Hostile text for the terminal-escape tests: every control character and a catalogue of
escape sequences, wrapped in «markers» so a leak shows as the marked bytes on the terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

from quizapp.textsafe import visible

CATALOGUE = {
    "osc 52 (clipboard)": "\x1b]52;c;cm0gLXJmIH4K\x07",
    "osc 0 (title)": "\x1b]0;PWNED\x07",
    "osc 2 with ST": "\x1b]2;PWNED\x1b\\",
    "osc 8 (link)": "\x1b]8;;http://evil.example\x07link\x1b]8;;\x07",
    "csi 2J (clear)": "\x1b[2J",
    "csi ?1049l (leave alt screen)": "\x1b[?1049l",
    "csi sgr": "\x1b[31;1m",
    "csi 21t (title report)": "\x1b[21t",
    "dcs": "\x1bP+q544e\x1b\\",
    "c1 csi": "\x9b2J",
    "c1 osc": "\x9d0;PWNED\x9c",
    "carriage return": "\rFAKE",
    "backspaces": "\x08\x08",
}
CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\n\t"]
PIECES = [*CATALOGUE.values(), *CONTROLS]


def marked(piece: str) -> str:
    return f"«{piece}»"


HOSTILE = " ".join(marked(p) for p in PIECES)
"""Every piece, marked; one line of text (no newline or tab in it)."""

# Bytes a terminal must never receive from quizapp's output: C0 other than CR, LF and tab,
# DEL, and C1 (as UTF-8, U+0080..U+009F is \xc2\x80..\xc2\x9f).
FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")
# Textual's own output: CSI sequences, charset selection, keypad modes, the pointer shape (OSC 22).
TEXTUAL_SEQUENCE = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\]22;[a-z-]*\x07"
)


def leaked(raw: bytes) -> list[str]:
    """The pieces whose raw bytes, between their markers, reached the terminal."""
    return [piece for piece in PIECES if marked(piece).encode() in raw]


def shown(piece: str) -> str:
    return marked(visible(piece))


def write_deck(folder: Path, deck_id: str = "hostile-escapes") -> Path:
    """A deck (JSON is YAML: its \\u escapes make the controls) with hostile text in every
    field the study app shows."""
    deck = {
        "deck": deck_id,
        "title": "Title " + HOSTILE[:60],
        "tags": ["t"],
        "cards": [
            {
                "id": "basic",
                "front": "FRONT " + HOSTILE,
                "back": "BACK " + HOSTILE,
                "explain": "EXPLAIN " + HOSTILE,
                "section": "Section " + marked(CATALOGUE["osc 0 (title)"]),
            },
            {
                "id": "command",
                "type": "command",
                "prompt": "PROMPT " + HOSTILE,
                "answer": "docker ps " + json.loads('"\\u001b]0;ANSWER\\u0007"'),
                "explain": "CMDEXPLAIN " + marked(CATALOGUE["osc 52 (clipboard)"]),
                "section": "S",
            },
        ],
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{deck_id}.yaml"
    path.write_text(json.dumps(deck, indent=1), encoding="utf-8")
    return path
