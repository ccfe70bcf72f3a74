"""Anki field HTML as deck text: the inverse of `quizapp.export.text`, and then some.

Deck text is plain text with `code` in backticks, so: `<br>` and block elements become line
breaks, `<code>`/`<kbd>` backticks, entities are decoded and every other tag is dropped
(scripts and styles with their content). Images and sounds cannot be shown in a terminal: each
becomes `[image: media/NAME]` / `[sound: media/NAME]` and its file name is collected, so the
importer copies the file under DIR/media. Spaces are kept as written (the export writes them
as they are), so a quizapp deck comes back exactly.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import unquote

MEDIA_FOLDER = "media"
_SOUND_RE = re.compile(r"\[sound:([^\]]+)\]")
_NEEDS_PARSE_RE = re.compile(r"[<&\[\r\n\t]")
_BLOCK = frozenset(
    "address article aside blockquote dd details div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tr ul".split()
)
_CODE = frozenset({"code", "kbd", "samp", "tt"})
_DROP = frozenset({"script", "style", "head", "title"})
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?(/?)>")
_SLOW_TAGS = _DROP | {"img", "pre"}
_URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.media: list[str] = []
        self.dropping = 0
        self.pre = 0

    def _newline(self) -> None:
        if self.out and not self.out[-1].endswith("\n"):
            self.out.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.dropping += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag == "img":
            src = dict(attrs).get("src") or ""
            self.out.append(media_marker("image", src, self.media))
        elif tag in _CODE:
            self.out.append("`")
        elif tag in _BLOCK:
            self._newline()
            if tag == "pre":
                self.pre += 1
            elif tag == "li":
                self.out.append("- ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _CODE:
            self.out.append("`")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.dropping = max(0, self.dropping - 1)
        elif tag in _CODE:
            self.out.append("`")
        elif tag in _BLOCK:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        if not self.pre:
            # A raw line break or tab in HTML is just a space when Anki shows it.
            data = data.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
            data = data.replace("\t", " ")
        self.out.append(data.replace("\xa0", " "))


def media_marker(kind: str, src: str, media: list[str]) -> str:
    """`[image: media/NAME]` for a local file (named in `media`); a URL is kept as it is."""
    name = unquote(src.strip())
    if not name:
        return ""
    if _URL_RE.match(name) and not name.lower().startswith("file:"):
        return f"[{kind}: {name}]"
    media.append(name)
    return f"[{kind}: {MEDIA_FOLDER}/{name}]"


def html_to_text(html: str, media: list[str] | None = None) -> str:
    """The field's text; file names of images and sounds are appended to `media`."""
    found = media if media is not None else []
    if not _NEEDS_PARSE_RE.search(html):
        return html.strip()
    if "[sound:" in html:
        html = _SOUND_RE.sub(lambda m: _sound(m.group(1), found), html)
    parser = _Text()
    if not _fast_feed(parser, html):
        parser = _Text()
        parser.feed(html)
        parser.close()
    parser.media, names = found, parser.media
    found.extend(names)
    text = "".join(parser.out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _sound(name: str, media: list[str]) -> str:
    # Escaped so that the parser treats the marker as text; names are collected here.
    marker = media_marker("sound", name, media)
    return marker.replace("&", "&amp;").replace("<", "&lt;")


def _fast_feed(parser: _Text, html: str) -> bool:
    """Feed simple HTML (plain tags, text, entities) to `parser` without HTMLParser's scan.

    Most fields are `<b>`, `<br>`, `<div>` and `<code>` around text; HTMLParser costs 50 us a
    field on them. Anything else (comments, images, scripts, `pre`, a stray `<`) returns False
    before feeding anything, and the field goes through HTMLParser.
    """
    events: list[tuple[str, str]] = []
    pos = 0
    for match in _TAG_RE.finditer(html):
        text = html[pos : match.start()]
        if "<" in text:
            return False
        name = match.group(2).lower()
        if name in _SLOW_TAGS:
            return False
        if text:
            events.append(("", text))
        kind = "end" if match.group(1) else "startend" if match.group(3) else "start"
        events.append((kind, name))
        pos = match.end()
    rest = html[pos:]
    if "<" in rest:
        return False
    if rest:
        events.append(("", rest))
    for kind, value in events:
        if not kind:
            parser.handle_data(unescape(value))
        elif kind == "start":
            parser.handle_starttag(value, [])
        elif kind == "end":
            parser.handle_endtag(value)
        else:
            parser.handle_startendtag(value, [])
    return True
