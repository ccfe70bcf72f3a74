"""A small reader for the Markdown that notes are written in: headings, nested lists, paragraphs.

Notes are read line by line, because a note's structure (which bullet sits under which, and
under which heading) is what drafting needs, not HTML. Supported: ATX and setext headings,
`*`/`-`/`+` and numbered bullets nested by indentation, continuation lines, paragraphs
(split into sentences), thematic breaks, and fenced shell blocks, whose command lines
become items of their own (other fenced blocks are skipped). Inline markup is kept as
written; `inline` has the helpers that take it apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_BULLET = re.compile(r"^(\s*)([*+-]|\d{1,9}[.)])\s+(.*)$")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
_SHELL_FENCES = frozenset(
    {"", "bash", "sh", "shell", "zsh", "console", "shell-session", "terminal"}
)
_PROMPTED_FENCES = frozenset({"console", "shell-session", "terminal"})
"""Fences whose commands are the lines that start with a `$ ` prompt (the rest is output)."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*\"'(])")


@dataclass(eq=False)
class Item:
    """One statement of the notes: a bullet, or one sentence of a paragraph."""

    text: str
    line: int
    headings: tuple[str, ...]
    """Every heading above the item, outermost first (the document title included)."""
    kind: str = "bullet"
    """`bullet`, `sentence`, or `fenced` (one command line of a fenced shell block)."""
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)
    lead: str | None = None
    """Text that introduces the item without being its parent: the paragraph before a list."""
    follows_command: bool = False
    """A fenced command line after the first of its block: the words before the block are
    about the first command, not necessarily this one."""


@dataclass
class Notes:
    items: list[Item]
    """Every item in document order (a parent before its children)."""
    headings: list[tuple[int, str, int]]
    """(level, text, line) of every heading, in order."""


def strip_heading(text: str) -> str:
    """Heading text as a section name: closing hashes, emphasis and trailing colons dropped."""
    text = re.sub(r"\s+#+\s*$", "", text).strip()
    text = re.sub(r"(\*\*|__|\*|_)(.+?)\1", r"\2", text)
    return text.rstrip(":").strip()


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences; a line break before a capital starts a new one too."""
    parts: list[str] = []
    for line in paragraph.split("\n"):
        line = line.strip()
        if not line:
            continue
        starts_new = bool(re.match(r"[A-Z`*\"'(\[]", line))
        if parts and not starts_new:
            parts[-1] += " " + line
        else:
            parts.append(line)
    out: list[str] = []
    for part in parts:
        for piece in _SENTENCE_END.split(part):
            piece = piece.strip()
            if not piece:
                continue
            # A bold shout such as "**REQUIRES SWARM MODE**" belongs to the sentence before it.
            if out and re.fullmatch(r"\*\*[^*]+\*\*[.!]?", piece):
                out[-1] += " " + piece
            else:
                out.append(piece)
    return out


class _Reader:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.headings: list[tuple[int, str, int]] = []
        self.path: list[tuple[int, str]] = []
        self.stack: list[tuple[int, Item]] = []
        self.paragraph: list[str] = []
        self.paragraph_line = 0
        self.last_paragraph: list[Item] | None = None
        self.blank_before = True

    @property
    def heading_texts(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.path)

    def heading(self, level: int, text: str, line: int) -> None:
        self.flush_paragraph()
        self.stack.clear()
        self.last_paragraph = None
        name = strip_heading(text)
        if not name:
            return
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        self.path.append((level, name))
        self.headings.append((level, name, line))

    def flush_paragraph(self) -> None:
        if not self.paragraph:
            return
        made = [
            Item(text=s, line=self.paragraph_line, headings=self.heading_texts, kind="sentence")
            for s in sentences("\n".join(self.paragraph))
        ]
        self.items.extend(made)
        self.last_paragraph = made
        self.paragraph = []

    def bullet(self, indent: int, text: str, line: int) -> None:
        self.flush_paragraph()
        while self.stack and self.stack[-1][0] >= indent:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        item = Item(text=text.strip(), line=line, headings=self.heading_texts, parent=parent)
        if parent is None and self.last_paragraph:
            item.lead = self.last_paragraph[-1].text
        if parent is not None:
            parent.children.append(item)
        self.items.append(item)
        self.stack.append((indent, item))

    def text_line(self, raw: str, line: int) -> None:
        indent = len(raw) - len(raw.lstrip())
        if self.stack and (indent > 0 or not self.blank_before):
            last = self.stack[-1][1]
            last.text = f"{last.text} {raw.strip()}"
            return
        self.stack.clear()
        if not self.paragraph:
            self.last_paragraph = None
            self.paragraph_line = line
        self.paragraph.append(raw.strip())

    def blank(self) -> None:
        self.flush_paragraph()

    def fenced(self, indent: int, language: str, lines: list[tuple[int, str]]) -> None:
        """The command lines of a fenced shell block, each an item led by what came before."""
        self.flush_paragraph()
        while self.stack and self.stack[-1][0] >= indent:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        before = self.items[-1] if self.items else None
        lead = None
        if parent is None and before is not None and before.headings == self.heading_texts:
            lead = before.text
        for index, (number, command) in enumerate(_fenced_commands(language, lines)):
            text = f"`` {command} ``" if "`" in command else f"`{command}`"
            item = Item(text, number, self.heading_texts, "fenced", parent, lead=lead)
            item.follows_command = index > 0
            if parent is not None:
                parent.children.append(item)
            self.items.append(item)


def _fenced_commands(language: str, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(line, command) for each command of a shell block, continuation lines joined."""
    if language.lower() not in _SHELL_FENCES:
        return []
    prompted = language.lower() in _PROMPTED_FENCES
    commands: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in lines:
        line = raw.strip()
        if pending is not None:
            line = f"{pending[1]} {line}"
            number = pending[0]
            pending = None
        elif prompted:
            if not line.startswith("$ "):
                continue
            line = line[2:].strip()
        elif line.startswith("$ "):
            line = line[2:].strip()
        if line.endswith("\\"):
            pending = (number, line[:-1].rstrip())
            continue
        line = re.sub(r"\s+#\s.*$", "", line)
        if line and not line.startswith("#"):
            commands.append((number, line))
    return commands


_QUOTE = re.compile(r"^(\s*)(?:>\s?)+")
_LABELS = r"tip|note|notes|warning|caution|important|hint|info|danger|remember|todo"
_ADMONITION = re.compile(
    rf"^(\s*)(?:\[!(?:{_LABELS})\]|(?:\*\*|__)?(?:{_LABELS})(?:\*\*|__)?\s*:(?:\*\*|__)?)\s*(?=\S)",
    re.IGNORECASE,
)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def unquote(line: str) -> str:
    """A line without Markdown's quoting: `> Tip: x` is the statement `x`, a link its text.

    Blockquote markers and the admonition label in front ("Tip:", "**Note:**", "[!WARNING]")
    are how the notes are laid out, not what they say; left in, they leak into cards.
    """
    line = _QUOTE.sub(r"\1", line)
    labelled = _ADMONITION.match(line)
    if labelled:
        rest = line[labelled.end() :]
        line = labelled.group(1) + rest[:1].upper() + rest[1:]
    return _LINK.sub(r"\1", line)


def parse_notes(text: str) -> Notes:
    """Read Markdown notes into items that know their headings, parent and children."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
    reader = _Reader()
    fence: tuple[str, int, str, list[tuple[int, str]]] | None = None
    for number, raw in enumerate(lines, start=1):
        if fence is not None:
            marker, indent, language, body = fence
            if raw.strip().startswith(marker):
                reader.fenced(indent, language, body)
                fence = None
            else:
                body.append((number, raw))
            continue
        raw = unquote(raw)
        opening = _FENCE.match(raw)
        if opening:
            reader.flush_paragraph()
            fence = (opening.group(2)[:3], len(opening.group(1)), opening.group(3), [])
            continue
        if not raw.strip():
            reader.blank()
            reader.blank_before = True
            continue
        atx = _ATX.match(raw)
        bullet = _BULLET.match(raw)
        if atx:
            reader.heading(len(atx.group(1)), atx.group(2) or "", number)
        elif reader.paragraph and not reader.stack and _SETEXT.match(raw):
            level = 1 if raw.strip().startswith("=") else 2
            title = " ".join(reader.paragraph)
            reader.paragraph = []
            reader.heading(level, title, number - 1)
        elif _BREAK.match(raw):
            reader.flush_paragraph()
            reader.stack.clear()
            reader.last_paragraph = None
        elif bullet:
            reader.bullet(len(bullet.group(1)), bullet.group(3), number)
        else:
            reader.text_line(raw, number)
        reader.blank_before = False
    if fence is not None:  # an unclosed fence runs to the end, as in CommonMark
        reader.fenced(fence[1], fence[2], fence[3])
    reader.flush_paragraph()
    return Notes(items=reader.items, headings=reader.headings)
