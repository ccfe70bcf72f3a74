"""Anki notes as quizapp cards: which note type becomes which card, and how fields map.

- quizapp's own exported note types (Basic, Command, Cloze, Choice "(quizapp)") come back as
  the cards they were made from, field for field (the card id is new: see `card_id_for`).
- Anki's Basic family (Basic, and reversed card, optional reversed card) gives one basic card
  per card Anki made, its front and back rendered from that card's template.
- A template with `{{type:Field}}` gives a command card when the typed answer is a shell
  command, else a cloze card that blanks the answer after the question (the format's typed
  answer).
- Cloze note types give a cloze card; deletions nested in another are flattened into it (with
  a warning: the format cannot nest them).
- Any other note type: its first field as the front, the rest as the back (a warning names
  the type and how many notes).

Pure: notes and note types in, cards and warnings out.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from quizapp.ankiimport.fieldtext import html_to_text
from quizapp.deck.cloze import cloze_problems
from quizapp.deck.model import BasicCard, Card, ChoiceCard, ClozeCard, CommandCard
from quizapp.deck.shellwords import split_shell
from quizapp.export import notetypes

# Anki's stock kinds (Notetype.Config.original_stock_kind / "originalStockKind").
STOCK_BASIC, STOCK_REVERSED, STOCK_OPTIONAL_REVERSED, STOCK_TYPING, STOCK_CLOZE = 1, 2, 3, 4, 5
STOCK_IMAGE_OCCLUSION = 6
_BASIC_NAMES = ("basic",)
_STOCK_FIELDS: dict[int, tuple[int, ...]] = {
    STOCK_BASIC: (2,),
    STOCK_REVERSED: (2,),
    STOCK_OPTIONAL_REVERSED: (3,),
}

_QUIZAPP_TYPES = {
    notetypes.BASIC_MODEL_ID: ("Basic (quizapp)", notetypes.BASIC_FIELDS),
    notetypes.COMMAND_MODEL_ID: ("Command (quizapp)", notetypes.COMMAND_FIELDS),
    notetypes.CLOZE_MODEL_ID: ("Cloze (quizapp)", notetypes.CLOZE_FIELDS),
    notetypes.CHOICE_MODEL_ID: ("Choice (quizapp)", notetypes.CHOICE_FIELDS),
}
_SECTION_TAG = "section::"
_TYPE_RE = re.compile(r"{{type:(?!cloze:)([^}]+)}}")
_FIELD_RE = re.compile(r"{{\s*([^#^/{}][^{}]*?)\s*}}")
_SECTION_RE = re.compile(r"{{([#^])\s*([^{}]+?)\s*}}(.*?){{/\s*\2\s*}}", re.DOTALL)
_ANSWER_HR_RE = re.compile(r"<hr[^>]*id\s*=\s*[\"']?answer[\"']?[^>]*>", re.IGNORECASE)
_LI_RE = re.compile(r"<li([^>]*)>(.*?)</li>", re.DOTALL | re.IGNORECASE)
_DECK_ORDER_RE = re.compile(r"""data-i\s*=\s*["']?(\d+)""")
_CLOZE_OPEN_RE = re.compile(r"{{c(\d+)::")
_PROGRAMS = frozenset(
    """docker podman kubectl helm git ls cd cat grep egrep sed awk find chmod chown cp mv rm
    mkdir rmdir touch tar gzip curl wget ssh scp rsync pip pip3 python python3 npm npx node
    apt apt-get yum dnf brew systemctl journalctl ps kill killall top htop echo export sudo
    make go cargo rustc terraform ansible aws gcloud az psql mysql sqlite3 redis-cli tmux vim
    nano less head tail sort uniq wc xargs ln df du mount umount ip ifconfig ping nc netstat
    ss dig nslookup openssl gpg crontab useradd usermod passwd chgrp zip unzip source alias
    docker-compose compose minikube kind k3s nerdctl buildah skopeo env printenv which
    """.split()
)


@dataclass(frozen=True, slots=True)
class Template:
    ord: int
    name: str
    qfmt: str
    afmt: str


@dataclass(frozen=True, slots=True)
class NoteType:
    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    stock: int = 0
    """Anki's original stock kind (0 when unknown)."""


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    guid: str
    notetype_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportedCard:
    """One quizapp card and the Anki cards (by template ordinal) whose progress it takes."""

    card: Card
    items: dict[int, str]
    """Anki template ordinal -> quizapp item id."""


@dataclass(slots=True)
class Converted:
    cards: list[ImportedCard] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fallback: bool = False
    """The note type was not recognised: first field front, the rest back."""
    skipped: bool = False


def card_id_for(guid: str) -> str:
    """A valid, stable card id for a note GUID: the same note gets the same id every import."""
    return "n" + hashlib.sha256(guid.encode("utf-8")).hexdigest()[:11]


def quizapp_kind(notetype: NoteType) -> str | None:
    """ "basic", "command", "cloze" or "choice" for quizapp's own exported note types."""
    for model_id, (name, fields) in _QUIZAPP_TYPES.items():
        if (notetype.id == model_id or notetype.name == name) and notetype.fields == fields:
            return name.split(" ", 1)[0].lower()
    return None


def note_kind(notetype: NoteType) -> str:
    """How notes of this type are read: quizapp-*, cloze, typed, basic or other."""
    own = quizapp_kind(notetype)
    if own is not None:
        return f"quizapp-{own}"
    if notetype.cloze:
        # Image occlusion is a cloze over shapes on a picture: nothing a terminal can ask.
        return "other" if notetype.stock == STOCK_IMAGE_OCCLUSION else "cloze"
    if any(_TYPE_RE.search(t.qfmt) for t in notetype.templates):
        return "typed"
    # The Basic family as Anki ships it: Front, Back (and "Add Reverse"). A type cloned from
    # Basic keeps its stock kind, so the number of fields tells a reworked one apart.
    fields = _STOCK_FIELDS.get(notetype.stock)
    if notetype.stock == 0 and notetype.name.casefold().startswith(_BASIC_NAMES):
        fields = (2, 3)
    if fields is not None and len(notetype.fields) in fields:
        return "basic"
    return "other"


def split_tags(tags: Sequence[str]) -> tuple[tuple[str, ...], str | None]:
    """Note tags as card tags and a section (from quizapp's `section::A::B` tag)."""
    kept: list[str] = []
    section = None
    for tag in tags:
        if tag.casefold().startswith(_SECTION_TAG) and section is None:
            levels = [level.replace("_", " ") for level in tag[len(_SECTION_TAG) :].split("::")]
            section = " > ".join(level for level in levels if level) or None
        elif tag:
            kept.append(tag)
    return tuple(kept), section


def is_shell_command(text: str) -> bool:
    """Whether a typed answer reads as a shell command (a known program, or words with flags)."""
    if "\n" in text:
        return False
    try:
        words = split_shell(text)
    except ValueError:
        return False
    if not words or not re.fullmatch(r"[A-Za-z][\w.+-]*", words[0]):
        return False
    return words[0] in _PROGRAMS or (len(words) > 1 and any(w.startswith("-") for w in words))


def convert_note(note: Note, notetype: NoteType, ords: Sequence[int]) -> Converted:
    """The quizapp cards of one note, given the template ordinals of the cards Anki has."""
    out = Converted()
    base = card_id_for(note.guid)
    tags, section = split_tags(note.tags)
    common = {"tags": tags, "section": section}
    values = dict(zip(notetype.fields, note.fields, strict=False))
    kind = note_kind(notetype)

    def text(html: str) -> str:
        return html_to_text(html, out.media)

    def add(card: Card | None, items: dict[int, str]) -> None:
        if card is not None:
            out.cards.append(ImportedCard(card, items))

    first = min(ords) if ords else 0
    fields = [*note.fields, "", "", "", ""]
    if kind == "quizapp-basic":
        front, back, explain = (text(f) for f in fields[:3])
        add(_basic(base, front, back, explain, common, out), {first: base})
    elif kind == "quizapp-command":
        prompt, prefix, answer, explain = (text(f) for f in fields[:4])
        add(_command(base, prompt, answer, prefix, explain, common, out), {first: base})
    elif kind in ("quizapp-cloze", "cloze"):
        cloze_field = fields[0]
        if kind == "cloze":
            cloze_field = values.get("Text", fields[0])
        extra = values.get("Back Extra", fields[1] if kind == "quizapp-cloze" else "")
        extra, alternatives = _alternatives(extra)
        add(*_cloze(base, text(cloze_field), text(extra), common, ords, out, alternatives))
    elif kind == "quizapp-choice":
        question, choices_html, answer, explain = fields[:4]
        choices = _choices(choices_html, text)
        add(
            _choice(base, text(question), choices, text(answer), text(explain), common, out),
            {first: base},
        )
    elif kind in ("basic", "typed"):
        by_ord = {t.ord: t for t in notetype.templates}
        for ord_ in sorted(ords):
            template = by_ord.get(ord_)
            if template is None:
                continue
            card_id = base if ord_ == first else f"{base}-{ord_ + 1}"
            front_html = render(template.qfmt, values)
            typed = _TYPE_RE.search(template.qfmt)
            if typed is not None:
                answer = text(values.get(typed.group(1).strip(), ""))
                front = text(front_html)
                typed_card = _typed(card_id, front, answer, common, out)
                add(typed_card, {ord_: typed_card.item_ids[0]} if typed_card else {})
                continue
            back_html = render(template.afmt, values, front_side=front_html)
            parts = _ANSWER_HR_RE.split(back_html, maxsplit=1)
            back = text(parts[1] if len(parts) == 2 else back_html)
            add(_basic(card_id, text(front_html), back, "", common, out), {ord_: card_id})
    else:
        out.fallback = True
        front = text(fields[0])
        back = "\n".join(t for t in (text(f) for f in note.fields[1:]) if t)
        add(_basic(base, front, back, "", common, out), {first: base})
    if not out.cards:
        out.skipped = True
    return out


def _choices(html: str, text: Callable[[str], str]) -> tuple[str, ...]:
    """The `<li>` items of a Choices field, in deck order when the export recorded it."""
    found: list[tuple[int, str]] = []
    for attrs, inner in _LI_RE.findall(html):
        order = _DECK_ORDER_RE.search(attrs)
        found.append((int(order.group(1)) if order else len(found), text(inner)))
    if len({position for position, _ in found}) == len(found):
        found.sort()
    return tuple(choice for _, choice in found)


def render(template: str, values: dict[str, str], front_side: str = "") -> str:
    """A card template with the note's fields filled in, as Anki renders the common cases."""
    previous = None
    while previous != template:
        previous = template

        def section(m: re.Match[str]) -> str:
            name = m.group(2).split(":")[-1].strip()
            filled = bool(_strip_tags(values.get(name, "")).strip())
            return m.group(3) if filled == (m.group(1) == "#") else ""

        template = _SECTION_RE.sub(section, template)

    def replace(m: re.Match[str]) -> str:
        spec = m.group(1)
        if spec == "FrontSide":
            return front_side
        *filters, name = (part.strip() for part in spec.split(":"))
        if "type" in filters:
            return ""
        return values.get(name, "")

    return _FIELD_RE.sub(replace, template)


def _strip_tags(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html)


def _basic(
    card_id: str, front: str, back: str, explain: str, common: dict[str, Any], out: Converted
) -> Card | None:
    if not front:
        out.warnings.append(f"card {card_id}: its front is empty in Anki; left out")
        return None
    if not back:
        back = "(empty)"
        out.warnings.append(f"card {card_id}: its back is empty in Anki; written as '(empty)'")
    return BasicCard(id=card_id, front=front, back=back, explain=explain or None, **common)


def _command(
    card_id: str,
    prompt: str,
    answer: str,
    prefix: str,
    explain: str,
    common: dict[str, Any],
    out: Converted,
) -> Card | None:
    try:
        split_shell(answer)
        parses = bool(answer)
    except ValueError:
        parses = False
    words = " ".join(prefix.split())
    spaced = " ".join(answer.split())
    prefix_ok = not prefix or spaced == words or spaced.startswith(words + " ")
    if not prompt or not parses or not prefix_ok:
        out.warnings.append(
            f"card {card_id}: the command answer {answer!r} is not one quizapp can grade; "
            "imported as a basic card"
        )
        return _basic(card_id, prompt, answer, explain, common, out)
    return CommandCard(
        id=card_id,
        prompt=prompt,
        answer=answer,
        prefix=prefix or None,
        explain=explain or None,
        **common,
    )


def _choice(
    card_id: str,
    question: str,
    choices: tuple[str, ...],
    answer: str,
    explain: str,
    common: dict[str, Any],
    out: Converted,
) -> Card | None:
    if len(choices) < 2 or answer not in choices or len(set(choices)) != len(choices):
        out.warnings.append(f"card {card_id}: its choices do not hold the answer once; basic card")
        return _basic(card_id, question, answer, explain, common, out)
    return ChoiceCard(
        id=card_id,
        question=question,
        choices=choices,
        answer=answer,
        explain=explain or None,
        **common,
    )


def _typed(
    card_id: str, front: str, answer: str, common: dict[str, Any], out: Converted
) -> Card | None:
    if not front or not answer:
        return _basic(card_id, front, answer, "", common, out)
    if is_shell_command(answer):
        return _command(card_id, front, answer, "", "", common, out)
    text = f"{front}\n\n{{{{c1::{answer}}}}}"
    if "::" in answer or "{{" in answer or "}}" in answer or cloze_problems(text):
        out.warnings.append(
            f"card {card_id}: the typed answer cannot be a cloze; imported as a basic card"
        )
        return _basic(card_id, front, answer, "", common, out)
    return ClozeCard(id=card_id, text=text, **common)


def flatten_cloze(text: str) -> tuple[str, list[str]]:
    """Deletions nested inside another are dissolved into it; the numbers that were nested."""
    out: list[str] = []
    depth = 0
    nested: list[str] = []
    pos = 0
    while pos < len(text):
        opening = _CLOZE_OPEN_RE.match(text, pos)
        if opening is not None:
            if depth:
                nested.append(f"c{opening.group(1)}")
            else:
                out.append(opening.group(0))
            depth += 1
            pos = opening.end()
            continue
        if depth and text.startswith("}}", pos):
            depth -= 1
            if not depth:
                out.append("}}")
            pos += 2
            continue
        if depth > 1 and text.startswith("::", pos):
            # The hint of a nested deletion would become the outer one's: drop the hint.
            end = text.find("}}", pos)
            pos = end if end != -1 else len(text)
            continue
        out.append(text[pos])
        pos += 1
    return "".join(out), nested


_ALTERNATIVES_RE = re.compile(
    r'<div class="alternatives" data-alternatives="([^"]*)">.*?</ul></div>', re.DOTALL
)


def _alternatives(extra: str) -> tuple[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """The Back Extra without the alternatives quizapp's export lists there, and those
    alternatives as a cloze card holds them (`((1, ("src",)),)`); none in other notes."""
    found = _ALTERNATIVES_RE.search(extra)
    if found is None:
        return extra, ()
    try:
        data = json.loads(html.unescape(found.group(1)))
        alternatives = tuple(
            sorted(
                (int(key[1:]), tuple(str(answer) for answer in answers))
                for key, answers in data.items()
                if re.fullmatch(r"c[1-9][0-9]{0,2}", key) and isinstance(answers, list) and answers
            )
        )
    except (ValueError, AttributeError):
        return extra, ()
    return extra[: found.start()] + extra[found.end() :], alternatives


def _cloze(
    card_id: str,
    text: str,
    explain: str,
    common: dict[str, Any],
    ords: Sequence[int],
    out: Converted,
    alternatives: tuple[tuple[int, tuple[str, ...]], ...] = (),
) -> tuple[Card | None, dict[int, str]]:
    flat, nested = flatten_cloze(text)
    if nested:
        out.warnings.append(
            f"card {card_id}: cloze {', '.join(nested)} nested inside another deletion; "
            "quizapp cannot nest deletions, so it is part of the outer one"
        )
    if cloze_problems(flat):
        out.warnings.append(f"card {card_id}: its cloze text is not one quizapp can read; left out")
        return None, {}
    numbers = set(ClozeCard(id=card_id, text=flat).numbers)
    alternatives = tuple((n, answers) for n, answers in alternatives if n in numbers)
    card = ClozeCard(
        id=card_id, text=flat, explain=explain or None, alternatives=alternatives, **common
    )
    items = {n - 1: f"{card_id}#c{n}" for n in numbers}
    lost = [f"c{o + 1}" for o in ords if o + 1 not in numbers]
    if lost:
        out.warnings.append(
            f"card {card_id}: Anki's cards {', '.join(lost)} have no deletion left; "
            "their progress is not imported"
        )
    return card, items
