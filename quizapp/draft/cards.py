"""Drafting cards from the items of the notes, in the notes' order.

Each statement becomes what it best supports: a command card per known command in it, a
cloze when it has bold terms, a basic card when it defines something ("X is a Y", "X - Y",
"X: Y", "X, short for Y"), and otherwise a basic "complete the note" card marked for review.
Labels ("Commands:") and bullets that only introduce their children give no card of their own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from quizapp.deck.cloze import cloze_problems
from quizapp.deck.model import CardKind
from quizapp.draft import vocabulary as vocab
from quizapp.draft.commands import (
    command_prompt,
    fill,
    notes_phrase,
    parses,
    phrase_from,
    program_of,
)
from quizapp.draft.ids import IdMaker, card_id_base, slug
from quizapp.draft.inline import CODE_SPAN, bold_terms, code_spans, plain, to_cloze
from quizapp.draft.markdown import Item, Notes

CHECK_PROMPT = "prompt drawn automatically"
CHECK_FRONT = "front drawn automatically; make it a question"
_NOT_ASKED = frozenset("it them this that these those one ones again here there".split())
CHECK_FACT = "blank drawn automatically: make sure it asks what matters in the note"
_LAST_PHRASE = re.compile(
    r"^(?P<shown>.*\b(?:like|to|for|with|in|on|of|by|from|at|into|unless|than|as|is|are|"
    r"means|keeps|gets|needs)\s+)(?P<asked>(?:\S+\s+){0,3}\S+?)(?P<end>[.!?]?)$"
)

_EMPHASIS_WORDS = frozenset(
    "and or not no never always only can cannot can't must do don't is are very all any "
    "best practice important note warning tip".split()
)


@dataclass
class DraftCard:
    """A card as drafted, before it is written out: fields in the order they are written."""

    kind: CardKind
    fields: dict[str, str]
    section: str | None
    tags: tuple[str, ...]
    line: int
    source: str
    """What the card was made from; its hash marks the card in the deck for `--merge`."""
    key_text: str
    checks: list[str] = field(default_factory=list)
    id: str = ""
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """List fields (a command card's `accept`), written after `fields`."""

    @property
    def source_hash(self) -> str:
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Definition:
    term: str
    meaning: str
    front: str


def _has_words_outside_code(text: str) -> bool:
    return bool(re.search(r"\w", CODE_SPAN.sub(" ", text)))


def _is_term(term: str) -> bool:
    words = term.split()
    if not 1 <= len(words) <= 5 or "," in term or term.count("(") != term.count(")"):
        return False
    return words[0].lower() not in vocab.NOT_A_TERM_START


def _verb_for(term: str) -> str:
    last = term.split()[-1].strip("`").lower()
    plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
    return "are" if plural else "is"


def _meaning(text: str) -> str:
    text = text.strip().rstrip(",;")
    return text[:1].upper() + text[1:]


def _split_outside_code(text: str, pattern: str) -> tuple[str, str] | None:
    masked = CODE_SPAN.sub(lambda m: "\0" * len(m.group(0)), text)
    m = re.search(pattern, masked)
    if not m:
        return None
    return text[: m.start()].strip(), text[m.end() :].strip()


def definition(text: str) -> Definition | None:
    """The term and its meaning when a statement has a definition's shape."""
    found = _definition(text)
    if found and all(re.search(r"\w", plain(part)) for part in (found.term, found.meaning)):
        return found
    return None


def _definition(text: str) -> Definition | None:
    short = _split_outside_code(text, r",\s+short for\s+")
    if short and _is_term(short[0]):
        meaning = re.split(r",\s+(?=[a-z])(?!and\b|or\b)", short[1], maxsplit=1)[0]
        return Definition(short[0], meaning, f"What is {short[0]} short for?")
    for pattern in (r"\s+[—–-]\s+", r":\s+"):
        parts = _split_outside_code(text, pattern)
        if parts and _is_term(parts[0]) and _has_words_outside_code(parts[1]):
            term, meaning = parts
            aka = re.match(r"(?:aka|a\.k\.a\.)\s+(.+)", meaning)
            if aka:
                return Definition(term, aka.group(1), f"What is another name for {term}?")
            return Definition(term, _meaning(meaning), f"What {_verb_for(term)} {term}?")
    aka_parts = _split_outside_code(text, r"\s+(?:aka|a\.k\.a\.)\s+")
    if aka_parts and _is_term(aka_parts[0]) and _has_words_outside_code(aka_parts[1]):
        return Definition(aka_parts[0], aka_parts[1], f"What is another name for {aka_parts[0]}?")
    is_parts = _split_outside_code(text, r"\s+(?:is|are)\s+")
    if is_parts and _is_term(is_parts[0]):
        term, meaning = is_parts
        opener = meaning.split()[0].lower() if meaning.split() else ""
        if opener in vocab.DEFINITION_OPENERS:
            verb = "are" if re.search(r"\s+are\s+", text[: len(term) + 6]) else "is"
            first = term.split()[0]
            asked = term[:1].lower() + term[1:] if first in ("A", "An", "The") else term
            return Definition(term, _meaning(meaning), f"What {verb} {asked}?")
    return None


def _cloze_terms(text: str) -> list[str]:
    return [
        t
        for t in bold_terms(text)
        if not all(w.lower().strip(".,!?'\"") in _EMPHASIS_WORDS for w in plain(t).split())
    ]


def _cloze(text: str) -> str | None:
    """Cloze text when the statement has bold terms worth asking (not mere emphasis)."""
    terms = set(_cloze_terms(text))
    if not terms:
        return None
    unbolded = re.sub(
        r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1",
        lambda m: m.group(0) if m.group(2) in terms else m.group(2),
        text,
    )
    return to_cloze(unbolded)


_ALTERNATIVE = re.compile(
    r"\s*\(\s*(?:short(?:\s+for)?|or|alias|also|long(?:\s+form)?)\s*:?\s*`([^`]+)`\s*\)"
)


def alternatives_after(text: str, span: tuple[int, int]) -> tuple[str, list[str]]:
    """The statement without the "(short: `-A`)" after a command, and what it offers."""
    found = _ALTERNATIVE.match(text, span[1])
    if not found:
        return text, []
    return text[: found.start()] + text[found.end() :], [found.group(1)]


def alternative_commands(command: str, alternatives: list[str]) -> list[str]:
    """Whole commands the notes allow besides `command`: "(short: `-A`)" after
    `kubectl get pods --all-namespaces` gives `kubectl get pods -A`; "(short for `--boot`)"
    after `journalctl -b` gives `journalctl --boot`; a whole command is taken as it is."""
    out: list[str] = []
    words = command.split()
    for alternative in alternatives:
        if program_of(alternative):
            out.append(alternative)
            continue
        if not alternative.startswith("-") or " " in alternative:
            continue
        long_form = alternative.startswith("--")
        swap = [
            i
            for i, w in enumerate(words)
            if w.startswith("-") and w != "--" and w.startswith("--") != long_form
        ]
        if len(swap) == 1:
            at = swap[0]
            _, eq, value = words[at].partition("=")
            out.append(" ".join([*words[:at], alternative + eq + value, *words[at + 1 :]]))
    return out


def _commands(text: str) -> list[tuple[str, tuple[int, int]]]:
    found = []
    for m in CODE_SPAN.finditer(text):
        command = m.group(2).strip()
        if program_of(command) and parses(fill(command).answer):
            found.append((command, (m.start(), m.end())))
    return found


def _code_only(item: Item) -> bool:
    return bool(code_spans(item.text)) and not _has_words_outside_code(item.text)


def _is_label(item: Item) -> bool:
    text = plain(item.text)
    if text.endswith(":"):
        return True
    if not item.children:
        return False
    if all(_code_only(c) or _commands(c.text) for c in item.children):
        return True
    return len(text.split()) <= 6 and not re.search(r"[.!?;,]", text)


def _shorten(text: str, limit: int = 60) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    if cut.count("`") % 2:
        cut = cut.rsplit("`", 1)[0].rstrip()
    return cut + " …"


def fact_cloze(text: str) -> str:
    """A statement as a whole-sentence cloze: its last code span is blanked, else the few
    words after its last preposition ("... on a schedule, like {{c1::cron}}.")."""
    codes = list(CODE_SPAN.finditer(text))
    if codes:
        last = codes[-1]
        code = last.group(2).strip()
        return f"{text[: last.start()]}`{{{{c1::{code}}}}}`{text[last.end() :]}"
    found = _LAST_PHRASE.match(text)
    if found and found.group("asked").lower() in _NOT_ASKED:
        found = None  # "... of {{c1::them}}" asks nothing
    if found and len(found.group("shown").split()) >= 3:
        asked, end = found.group("asked"), found.group("end")
        while asked.endswith(")") and asked.count(")") > asked.count("("):
            asked, end = asked[:-1], ")" + end  # "(... on {{c1::startup}})"
        if asked:
            return f"{found.group('shown')}{{{{c1::{asked}}}}}{end}"
    words = text.rstrip(".!?").split()
    end = text[len(text.rstrip(".!?")) :]
    if len(words) < 2:
        return f"{{{{c1::{text.rstrip('.!?')}}}}}{end}"
    asked = 1 if len(words) < 4 else 2
    return " ".join(words[:-asked]) + " {{c1::" + " ".join(words[-asked:]) + "}}" + end


def _lead_words(text: str) -> str:
    """The start of a statement, for the front of a "complete the note" card.

    A statement that ends in code ("Set logging driver in `daemon.json`") asks for the code;
    otherwise about half of it is shown, never cutting a code span in two.
    """
    ending = re.search(r"(`+)[^`]+\1[.!]?$", text)
    if ending and re.search(r"\w", text[: ending.start()]):
        return text[: ending.start()].rstrip()
    words = text.split()
    k = min(5, max(1, len(words) // 2))
    lead = " ".join(words[:k])
    if lead.count("`") % 2:
        lead = lead[: lead.rindex("`")].rstrip() or lead
    return lead


class Drafter:
    """Turns parsed notes into draft cards with ids unique in the deck."""

    def __init__(self, notes: Notes, title: str) -> None:
        self.notes = notes
        self.title = title
        self.has_title = bool(notes.headings) and _single_top(notes)
        self.ids = IdMaker()
        self.first_under: dict[tuple[str, ...], Item] = {}
        for item in notes.items:
            self.first_under.setdefault(item.headings, item)

    def section_path(self, item: Item) -> tuple[str, ...]:
        return item.headings[1:] if self.has_title and item.headings else item.headings

    def section(self, item: Item) -> str | None:
        path = self.section_path(item)
        return " > ".join(path) if path else (self.title or None)

    def tags(self, item: Item) -> tuple[str, ...]:
        tags: list[str] = []
        for heading in self.section_path(item):
            tag = slug(heading)
            if tag and tag not in tags:
                tags.append(tag)
        return tuple(tags)

    def heading(self, item: Item) -> str:
        return item.headings[-1] if item.headings else self.title

    def context(self, item: Item) -> str:
        """Where a statement sits: its heading, then the bullet or label it is under."""
        around = None
        if item.parent is not None:
            parent_definition = definition(item.parent.text)
            around = parent_definition.term if parent_definition else item.parent.text
        elif item.lead and plain(item.lead).endswith(":"):
            around = item.lead
        if around:
            return f"{self.heading(item)} — {_shorten(plain(around).rstrip(':'))}"
        return self.heading(item)

    def new(
        self, item: Item, kind: CardKind, fields: dict[str, str], source: str, key: str
    ) -> DraftCard:
        return DraftCard(
            kind=kind,
            fields=fields,
            section=self.section(item),
            tags=self.tags(item),
            line=item.line,
            source=source,
            key_text=key,
        )

    def draft(self) -> list[DraftCard]:
        cards: list[DraftCard] = []
        done: set[int] = set()
        for item in self.notes.items:
            if id(item) in done:
                continue
            cards += self.from_item(item, done)
        cards = [c for c in cards if all(v.strip() for v in c.fields.values())]
        for card in cards:
            card.id = self.ids.make(card_id_base(card.section, card.key_text))
        return cards

    def from_item(self, item: Item, done: set[int]) -> list[DraftCard]:
        text = item.text
        flat = plain(text)
        if not re.search(r"\w", flat):
            return []
        cards: list[DraftCard] = []
        commands = _commands(text)
        if item.kind == "fenced" and not commands:
            return []  # a shell line that runs no known program: output, a variable...
        for command, span in commands:
            card = self.command_card(item, command, span)
            if card is not None:
                cards.append(card)
        cloze = _cloze(text)
        if cloze:
            cards.append(
                self.new(
                    item,
                    CardKind.CLOZE,
                    {"text": cloze},
                    f"cloze|{flat}",
                    " ".join(plain(t) for t in _cloze_terms(text)),
                )
            )
            return cards
        found = definition(text) or self.heading_definition(item)
        if found and not (commands and any(c in found.term + found.meaning for c, _ in commands)):
            cards.append(
                self.new(
                    item,
                    CardKind.BASIC,
                    {"front": plain(found.front), "back": plain(found.meaning)},
                    f"definition|{flat}",
                    found.term,
                )
            )
            return cards
        if commands or _is_label(item) or (item.kind == "sentence" and flat.endswith(":")):
            return cards
        if _code_only(item):
            return [self.code_card(item, done)]
        text = fact_cloze(flat)
        if "{{" in flat or "}}" in flat or cloze_problems(text):
            # Text that reads as cloze markup itself: a whole question, the note on the back.
            front = f"What do the notes say under “{self.context(item)}”?"
            card = self.new(
                item, CardKind.BASIC, {"front": front, "back": flat}, f"fact|{flat}", flat
            )
            card.checks.append(CHECK_FRONT)
            return [card]
        card = self.new(item, CardKind.CLOZE, {"text": text}, f"fact|{flat}", flat)
        card.checks.append(CHECK_FACT)
        return [card]

    def heading_definition(self, item: Item) -> Definition | None:
        """A heading's first sentence that reads "A list of instructions..." defines it."""
        flat = plain(item.text)
        if (
            self.first_under.get(item.headings) is not item
            or item.kind != "sentence"
            or not item.headings
        ):
            return None
        article = re.match(r"(A|An|The)\s", flat)
        if not article or re.search(r"\s(?:is|are)\s", flat):
            return None
        term = self.heading(item)
        asked = f"{article.group(1).lower()} {term}"
        return Definition(term, _meaning(flat), f"What {_verb_for(term)} {asked}?")

    def code_card(self, item: Item, done: set[int]) -> DraftCard:
        """Code lines under one bullet ("`COPY . /src`", "`WORKDIR /src`") make one card."""
        group = [item]
        if item.parent is not None:
            siblings = item.parent.children
        else:
            siblings = [
                i for i in self.notes.items if i.parent is None and i.headings == item.headings
            ]
        if item in siblings:
            for sibling in siblings[siblings.index(item) + 1 :]:
                if not _code_only(sibling) or _commands(sibling.text):
                    break
                group.append(sibling)
        for member in group:
            done.add(id(member))
        back = "\n".join(plain(m.text) for m in group)
        if item.parent is not None:
            front = f"Which lines does the note “{plain(item.parent.text).rstrip(':')}” give?"
        else:
            front = f"Which lines do the notes give under “{self.heading(item)}”?"
        card = self.new(item, CardKind.BASIC, {"front": front, "back": back}, f"code|{back}", back)
        card.checks.append(CHECK_FRONT)
        return card

    def command_card(self, item: Item, command: str, span: tuple[int, int]) -> DraftCard | None:
        """A command card; None for a bare command the notes only mention ("`git switch` and
        `git restore` say what they do"): nothing says what it should do."""
        filled = fill(command)
        text, alternatives = alternatives_after(item.text, span)
        phrase = notes_phrase(text, span)
        if item.kind == "fenced":
            said = item.parent.text if item.parent is not None else item.lead
            if item.follows_command:
                said = None
            phrase = phrase_from(CODE_SPAN.sub(" ", plain(said))) if said else None
        label = None
        if item.parent is not None and _is_label(item.parent):
            label = phrase_from(plain(item.parent.text))
        if (
            phrase is None
            and item.kind != "fenced"
            and len(filled.answer.split()) <= 2
            and len(_commands(item.text)) > 1
        ):
            return None
        prompt = command_prompt(filled, phrase, label, self.heading(item))
        answer = filled.answer
        fields = {"prompt": prompt.text, "answer": answer}
        accept = [fill(alt).answer for alt in alternative_commands(command, alternatives)]
        card = self.new(
            item,
            CardKind.COMMAND,
            fields,
            f"command|{' '.join(command.split())}",
            answer.removeprefix("sudo "),
        )
        card.checks.append(CHECK_PROMPT)
        card.checks.extend(prompt.checks)
        card.lists["accept"] = tuple(a for a in accept if a != answer)
        return card


def _single_top(notes: Notes) -> bool:
    """Whether the first heading is the document's title: the only one of the top level."""
    first_level = notes.headings[0][0]
    top = min(level for level, _, _ in notes.headings)
    return first_level == top and sum(1 for level, _, _ in notes.headings if level == top) == 1


def document_title(notes: Notes) -> str | None:
    return notes.headings[0][1] if notes.headings else None
