"""Turn one YAML deck file into a typed `Deck`, or into every problem it has, with positions.

The file is read as YAML nodes (see `yamlnodes`), never constructed, and checked against the
deck format (docs/deck-format.md) in one pass that collects all problems. Everything here is
a function of the file's bytes, so a cache keyed on `Deck.content_hash` can sit in front of
`load_deck_text` without changing it. Reading the files is `quizapp.deckfiles`' job; what
grading says about a command (`check_command`) is passed in, as grading builds on this
package.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quizapp.deck.cloze import answers_for, cloze_numbers, cloze_problems
from quizapp.deck.model import (
    BasicCard,
    Card,
    CardKind,
    ChoiceCard,
    ClozeCard,
    CommandCard,
    Deck,
    LoadResult,
    Problem,
    Severity,
)
from quizapp.deck.shellwords import split_shell
from quizapp.deck.yamlnodes import Mapping, Node, Pos, Scalar, Sequence, compose
from quizapp.textsafe import control_offsets, stand_in

MAX_FILE_BYTES = 10_000_000  # 10 MB (decimal): refused by either reading of "over 10 MB"
ID_RULE = "^[a-z0-9][a-z0-9-]{0,63}$"
"""What a deck or card id is (lowercase letters, digits, hyphens; 64 at most), as said to
the learner."""
ID_PATTERN = re.compile(ID_RULE)

DECK_REQUIRED = ("deck", "title", "cards")
DECK_KEYS = (*DECK_REQUIRED, "description", "source", "tags")
COMMON_KEYS = ("id", "type", "tags", "section", "explain")
KIND_REQUIRED: dict[CardKind, tuple[str, ...]] = {
    CardKind.BASIC: ("front", "back"),
    CardKind.COMMAND: ("prompt", "answer"),
    CardKind.CLOZE: ("text",),
    CardKind.CHOICE: ("question", "choices", "answer"),
}
KIND_OPTIONAL: dict[CardKind, tuple[str, ...]] = {
    CardKind.BASIC: (),
    CardKind.COMMAND: ("accept", "prefix"),
    CardKind.CLOZE: ("alternatives",),
    CardKind.CHOICE: (),
}
LIST_FIELDS = frozenset({"tags", "accept", "choices"})
DELETION_KEY = re.compile(r"c([1-9][0-9]*)")


@dataclass(frozen=True, slots=True)
class DeckReport:
    """A `LoadResult` and what a multi-file check needs even when the deck has errors."""

    result: LoadResult
    deck_id: str | None = None
    """The deck id when it is valid, with its position in `deck_id_pos`."""
    deck_id_pos: Pos | None = None
    card_count: int = 0
    """Entries in the file's `cards` list, valid or not."""


CommandCheck = Callable[[str], list[str]]
"""What is wrong with a command a card names (warnings, none when nothing): `grading` gives
one (`grading.command_warnings`)."""


def load_deck_text(
    data: bytes | str, path: Path, check_command: CommandCheck | None = None
) -> LoadResult:
    """Load a deck from its bytes (or text); `path` names it in problems and in the deck."""
    return inspect_deck_text(data, path, check_command).result


def inspect_deck_text(
    data: bytes | str, path: Path, check_command: CommandCheck | None = None
) -> DeckReport:
    """The deck in `data` (the bytes of the file at `path`), with the deck id and card count
    kept even when the deck is rejected; `check_command` warns about commands in answers."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_FILE_BYTES:
        return refuse(path, f"the file is {len(raw)} bytes: a deck file may be 10 MB at most")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return _not_utf8(raw, error, path)
    content_hash = hashlib.sha256(raw).hexdigest()
    return _Checker(text.removeprefix("\ufeff"), path, content_hash, check_command).run()


def refuse(path: Path, message: str, line: int = 1, column: int = 1) -> DeckReport:
    """The report of a file that is no deck at all (`message` says why)."""
    return DeckReport(LoadResult(path, None, (Problem(path, line, column, message),)))


def _not_utf8(raw: bytes, error: UnicodeDecodeError, path: Path) -> DeckReport:
    line_start = raw.rfind(b"\n", 0, error.start) + 1
    column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
    line = raw.count(b"\n", 0, error.start) + 1
    byte = raw[error.start]
    return refuse(path, f"not UTF-8: byte 0x{byte:02x} cannot be decoded", line, column)


def _shape(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "text"


def _card_id_of(node: Node) -> str | None:
    if isinstance(node, Mapping):
        for key, value in node.pairs:
            if isinstance(key, Scalar) and key.value == "id" and isinstance(value, Scalar):
                return value.value
    return None


class _Checker:
    """One pass over a document's nodes: every problem is collected, then cards are built."""

    def __init__(
        self, text: str, path: Path, content_hash: str, check_command: CommandCheck | None
    ) -> None:
        self.text = text
        self.check_command = check_command
        self.path = path
        self.content_hash = content_hash
        self.problems: list[Problem] = []
        self.lines: list[str] | None = None

    # -- reporting ---------------------------------------------------------------------------

    def error(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(self.path, pos.line, pos.column, message))

    def warning(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(self.path, pos.line, pos.column, message, Severity.WARNING))

    def result(
        self,
        deck: Deck | None,
        deck_id: str | None = None,
        deck_id_pos: Pos | None = None,
        card_count: int = 0,
    ) -> DeckReport:
        problems = tuple(sorted(self.problems, key=lambda p: (p.line, p.column)))
        if any(p.severity is Severity.ERROR for p in problems):
            deck = None
        return DeckReport(LoadResult(self.path, deck, problems), deck_id, deck_id_pos, card_count)

    # -- the document ------------------------------------------------------------------------

    def run(self) -> DeckReport:
        root, issues = compose(self.text)
        for issue in issues:
            self.error(issue.pos, issue.message)
        if any(issue.fatal for issue in issues):
            return self.result(None)
        if root is None:
            self.error(
                Pos(1, 1, 0), "the file is empty: a deck is a mapping with deck, title, cards"
            )
            return self.result(None)
        if not isinstance(root, Mapping):
            self.error(
                root.start,
                "the top of a deck file must be a mapping (deck, title, cards), "
                f"not {_shape(root)}",
            )
            return self.result(None)

        fields = self.mapping(root, DECK_KEYS, "the deck")
        self.require(root, fields, DECK_REQUIRED)
        deck_id = self.identifier(fields.get("deck"), "deck id")
        title = self.text_field(fields, "title")
        description = self.text_field(fields, "description")
        source = self.text_field(fields, "source")
        tags = self.text_list(fields, "tags")
        cards, card_count = self.cards(fields.get("cards"))

        deck = None
        if deck_id is not None and title is not None and cards is not None:
            deck = Deck(
                id=deck_id,
                title=title,
                cards=cards,
                description=description,
                source=source,
                tags=tags or (),
                path=self.path,
                content_hash=self.content_hash,
            )
        deck_value = fields.get("deck")
        return self.result(
            deck,
            deck_id=deck_id,
            deck_id_pos=deck_value[1].start if deck_id is not None and deck_value else None,
            card_count=card_count,
        )

    def mapping(
        self,
        node: Mapping,
        allowed: tuple[str, ...],
        where: str,
        misplaced: dict[str, str] | None = None,
    ) -> dict[str, tuple[Scalar, Node]]:
        """The mapping's keys (the first of duplicates kept); reports bad and unknown keys."""
        fields: dict[str, tuple[Scalar, Node]] = {}
        for key, value in node.pairs:
            if not isinstance(key, Scalar):
                self.error(key.start, f"a key must be text, not {_shape(key)}")
                continue
            name = key.value
            if name in fields:
                first = fields[name][0].start
                self.error(
                    key.start,
                    f"duplicate key '{name}' (first at line {first.line}, column {first.column})",
                )
                continue
            fields[name] = (key, value)
            if name not in allowed:
                self.error(key.start, self.unknown_key(name, allowed, where, misplaced or {}))
        return fields

    @staticmethod
    def unknown_key(
        name: str, allowed: tuple[str, ...], where: str, misplaced: dict[str, str]
    ) -> str:
        message = f"unknown key '{name}' in {where}"
        if name == "<<":
            return message + " (YAML merge keys are not supported)"
        if name in misplaced:
            return message + f" ('{name}' belongs to {misplaced[name]})"
        close = difflib.get_close_matches(name, allowed, n=1)
        if close:
            return message + f" (did you mean '{close[0]}'?)"
        return message

    def require(
        self, node: Mapping, fields: dict[str, tuple[Scalar, Node]], names: tuple[str, ...]
    ) -> None:
        for name in names:
            if name not in fields:
                self.error(node.start, f"missing required key '{name}'")

    def text_field(self, fields: dict[str, tuple[Scalar, Node]], name: str) -> str | None:
        """The field's literal text; None when absent or wrong (the problem is reported)."""
        if name not in fields:
            return None
        key, value = fields[name]
        return self.text_value(key, value, name)

    def text_value(self, key: Scalar, value: Node, name: str) -> str | None:
        if not isinstance(value, Scalar):
            self.error(value.start, f"'{name}' must be text, not {_shape(value)}")
            return None
        if not value.value.strip():
            self.error(key.start, f"'{name}' is empty")
            return None
        self.controls(value, f"'{name}'")
        return value.value

    def controls(self, node: Scalar, what: str) -> None:
        """Warn at each control character other than newline and tab (a YAML escape such as
        `\\e` or `\\x9b` makes one): the app shows it visibly, the Anki export drops it."""
        for offset in control_offsets(node.value):
            char = node.value[offset]
            self.warning(
                self.offset_pos(node, offset),
                f"control character U+{ord(char):04X} in {what}: shown as "
                f"{stand_in(char)} in quizapp and left out of Anki exports",
            )

    def text_list(
        self, fields: dict[str, tuple[Scalar, Node]], name: str
    ) -> tuple[str, ...] | None:
        """A list of text (an empty `key:` is an empty list); None when absent or wrong."""
        items = self.text_list_nodes(fields, name)
        if items is None or any(item is None for item in items):
            return None
        return tuple(item.value for item in items if item is not None)

    def text_list_nodes(
        self, fields: dict[str, tuple[Scalar, Node]], name: str
    ) -> list[Scalar | None] | None:
        if name not in fields:
            return None
        _, value = fields[name]
        if isinstance(value, Scalar) and value.is_null:
            return []
        if not isinstance(value, Sequence):
            example = "[docker, networking]" if name == "tags" else "[..., ...]"
            self.error(value.start, f"'{name}' must be a list, like {example}, not {_shape(value)}")
            return None
        items: list[Scalar | None] = []
        for item in value.items:
            if not isinstance(item, Scalar):
                self.error(item.start, f"each entry of '{name}' must be text, not {_shape(item)}")
                items.append(None)
            elif not item.value.strip():
                self.error(item.start, f"an entry of '{name}' is empty")
                items.append(None)
            else:
                self.controls(item, f"an entry of '{name}'")
                items.append(item)
        return items

    def identifier(self, field: tuple[Scalar, Node] | None, what: str) -> str | None:
        if field is None:
            return None
        key, value = field
        text = self.text_value(key, value, key.value)
        if text is None:
            return None
        if not ID_PATTERN.fullmatch(text):
            assert isinstance(value, Scalar)
            self.error(
                value.start,
                f"{what} '{text}' must match {ID_RULE} "
                "(lowercase letters, digits and hyphens, at most 64)",
            )
            return None
        return text

    # -- cards -------------------------------------------------------------------------------

    def cards(self, field: tuple[Scalar, Node] | None) -> tuple[tuple[Card, ...] | None, int]:
        if field is None:
            return None, 0
        key, value = field
        if (isinstance(value, Scalar) and value.is_null) or (
            isinstance(value, Sequence) and not value.items
        ):
            self.error(key.start, "'cards' is empty: a deck needs at least one card")
            return None, 0
        if not isinstance(value, Sequence):
            self.error(value.start, f"'cards' must be a list of cards, not {_shape(value)}")
            return None, 0
        cards: list[Card] = []
        seen_ids: dict[str, Pos] = {}
        complete = True
        for item in value.items:
            card = self.card(item, seen_ids)
            if card is None:
                complete = False
            else:
                cards.append(card)
        return (tuple(cards) if complete else None), len(value.items)

    def card(self, node: Node, seen_ids: dict[str, Pos]) -> Card | None:
        if not isinstance(node, Mapping):
            self.error(
                node.start, f"a card must be a mapping (id, front, back, ...), not {_shape(node)}"
            )
            return None
        kind = self.kind(node)
        if kind is None:
            # Without a valid type the card's fields cannot be checked; its id still can.
            fields = self.mapping(node, (*COMMON_KEYS, *_ALL_KIND_KEYS), "a card")
            self.card_id(node, fields, seen_ids)
            return None
        allowed = (*COMMON_KEYS, *KIND_REQUIRED[kind], *KIND_OPTIONAL[kind])
        misplaced = {name: owners for name, owners in _OWNERS.items() if name not in allowed}
        fields = self.mapping(node, allowed, f"a {kind} card", misplaced)
        self.require(node, fields, ("id", *KIND_REQUIRED[kind]))
        card_id = self.card_id(node, fields, seen_ids)
        common = {
            "tags": self.text_list(fields, "tags") or (),
            "section": self.text_field(fields, "section"),
            "explain": self.text_field(fields, "explain"),
        }
        if "section" not in fields:
            name = card_id or _card_id_of(node)
            self.warning(
                node.start, f"card '{name}' has no section" if name else "card has no section"
            )
        build = _BUILDERS[kind]
        card = build(self, fields)
        if card_id is None or card is None:
            return None
        return card(id=card_id, line=node.start.line, **common)

    def kind(self, node: Mapping) -> CardKind | None:
        value = next(
            (v for k, v in node.pairs if isinstance(k, Scalar) and k.value == "type"), None
        )
        if value is None:
            return CardKind.BASIC
        if not isinstance(value, Scalar):
            self.error(value.start, f"'type' must be text, not {_shape(value)}")
            return None
        try:
            return CardKind(value.value)
        except ValueError:
            names = [k.value for k in CardKind]
            close = difflib.get_close_matches(value.value, names, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.error(
                value.start,
                f"unknown card type '{value.value}'{hint}: use basic, command, cloze or choice",
            )
            return None

    def card_id(
        self, node: Mapping, fields: dict[str, tuple[Scalar, Node]], seen: dict[str, Pos]
    ) -> str | None:
        card_id = self.identifier(fields.get("id"), "card id")
        if card_id is None:
            return None
        pos = fields["id"][1].start
        if card_id in seen:
            first = seen[card_id]
            self.error(
                pos,
                f"duplicate card id '{card_id}' "
                f"(first at line {first.line}, column {first.column})",
            )
            return None
        seen[card_id] = pos
        return card_id

    # -- one function per kind: each returns a partial constructor, or None -------------------

    def basic(self, fields: dict[str, tuple[Scalar, Node]]) -> Callable[..., Card] | None:
        front = self.text_field(fields, "front")
        back = self.text_field(fields, "back")
        if front is None or back is None:
            return None
        return lambda **common: BasicCard(front=front, back=back, **common)

    def command(self, fields: dict[str, tuple[Scalar, Node]]) -> Callable[..., Card] | None:
        prompt = self.text_field(fields, "prompt")
        answer = self.text_field(fields, "answer")
        answer_node = fields["answer"][1] if answer is not None else None
        ok = answer_node is not None and self.parses(answer_node, "'answer'")
        parsed: list[Node] = [answer_node] if ok and answer_node is not None else []
        accept_nodes = self.text_list_nodes(fields, "accept")
        for node in accept_nodes or []:
            if node is None or not self.parses(node, "an 'accept' entry"):
                ok = False
            else:
                parsed.append(node)
        prefix = self.text_field(fields, "prefix")
        if prefix is not None and answer is not None:
            self.check_prefix(fields, prefix, answer, accept_nodes or [])
        self.docker_warnings(parsed)
        if not ok or prompt is None or answer is None:
            return None
        accept = tuple(node.value for node in accept_nodes or [] if node is not None)
        return lambda **common: CommandCard(
            prompt=prompt, answer=answer, accept=accept, prefix=prefix, **common
        )

    def parses(self, node: Node, what: str) -> bool:
        assert isinstance(node, Scalar)
        try:
            split_shell(node.value)  # cached: docker_warnings reads the same words
        except ValueError as error:
            reason = str(error)
            self.error(
                node.start,
                f"{what} is not a parseable shell command: {reason[:1].lower()}{reason[1:]}",
            )
            return False
        return True

    def check_prefix(
        self,
        fields: dict[str, tuple[Scalar, Node]],
        prefix: str,
        answer: str,
        accept: list[Scalar | None],
    ) -> None:
        wanted = " ".join(prefix.split())

        def starts(text: str) -> bool:
            # Word by word: the learner types after the prefix and a space, so "docker psx"
            # cannot be typed after the prefix "docker ps".
            words = " ".join(text.split())
            return words == wanted or words.startswith(wanted + " ")

        if not starts(answer):
            self.error(
                fields["prefix"][1].start, f"the answer does not start with prefix '{prefix}'"
            )
        for node in accept:
            if node is not None and not starts(node.value):
                self.warning(
                    node.start,
                    f"this accept entry does not start with prefix '{prefix}': it can never match",
                )

    def docker_warnings(self, nodes: list[Node]) -> None:
        if self.check_command is None:
            return
        for node in nodes:
            if isinstance(node, Scalar):
                for message in self.check_command(node.value):
                    self.warning(node.start, message)

    def cloze(self, fields: dict[str, tuple[Scalar, Node]]) -> Callable[..., Card] | None:
        text = self.text_field(fields, "text")
        if text is None:
            return None
        node = fields["text"][1]
        assert isinstance(node, Scalar)
        found = cloze_problems(text)
        for offset, message in found:
            self.error(self.offset_pos(node, offset), message)
        alternatives = self.alternatives(fields, None if found else text)
        if found or alternatives is None:
            return None
        return lambda **common: ClozeCard(text=text, alternatives=alternatives, **common)

    def alternatives(
        self, fields: dict[str, tuple[Scalar, Node]], text: str | None
    ) -> tuple[tuple[int, tuple[str, ...]], ...] | None:
        """`alternatives: {c1: [src, source]}`: other right answers per deletion of `text`.

        None when the field is malformed (reported); `text` is None when the cloze text
        itself is broken, and then the deletion numbers are not checked.
        """
        if "alternatives" not in fields:
            return ()
        _, value = fields["alternatives"]
        if isinstance(value, Scalar) and value.is_null:
            return ()
        if not isinstance(value, Mapping):
            self.error(
                value.start,
                "'alternatives' must be a mapping, like {c1: [src, source]}, "
                f"not {_shape(value)}",
            )
            return None
        numbers = cloze_numbers(text) if text is not None else ()
        found: dict[int, tuple[str, ...]] = {}
        ok = True
        for key, entry in value.pairs:
            if not isinstance(key, Scalar):
                self.error(key.start, f"a key of 'alternatives' must be text, not {_shape(key)}")
                ok = False
                continue
            match = DELETION_KEY.fullmatch(key.value)
            if match is None:
                self.error(
                    key.start,
                    f"'{key.value}' in 'alternatives' is not a deletion: write c1, c2, ...",
                )
                ok = False
                continue
            number = int(match.group(1))
            if number in found:
                self.error(key.start, f"duplicate key '{key.value}' in 'alternatives'")
                ok = False
                continue
            if text is not None and number not in numbers:
                have = ", ".join(f"c{n}" for n in numbers)
                self.error(
                    key.start,
                    f"alternatives for c{number}, but the text has no deletion c{number} "
                    f"(it has {have})",
                )
                ok = False
                continue
            if not isinstance(entry, Sequence) and not (
                isinstance(entry, Scalar) and entry.is_null
            ):
                self.error(
                    entry.start,
                    f"the alternatives for c{number} must be a list, like [src, source], "
                    f"not {_shape(entry)}",
                )
                ok = False
                continue
            items = self.text_list_nodes({key.value: (key, entry)}, key.value)
            if items is None or any(item is None for item in items):
                ok = False
                continue
            if not items:
                self.error(key.start, f"alternatives for c{number} are empty: list at least one")
                ok = False
                continue
            answers: list[str] = []
            expected = " ".join(answers_for(text, number)) if text is not None else None
            for item in items:
                assert item is not None
                if expected is not None and _same_text(item.value, expected):
                    self.warning(
                        item.start,
                        f"the alternative '{item.value}' is the answer of c{number} itself",
                    )
                elif any(_same_text(item.value, other) for other in answers):
                    self.warning(
                        item.start, f"the alternative '{item.value}' is listed twice for c{number}"
                    )
                else:
                    answers.append(item.value)
            found[number] = tuple(answers)
        if not ok:
            return None
        return tuple(sorted(found.items()))

    def choice(self, fields: dict[str, tuple[Scalar, Node]]) -> Callable[..., Card] | None:
        question = self.text_field(fields, "question")
        answer = self.text_field(fields, "answer")
        nodes = self.text_list_nodes(fields, "choices")
        ok = question is not None and answer is not None and nodes is not None
        choices: list[str] = []
        seen: dict[str, Pos] = {}
        for node in nodes or []:
            if node is None:
                ok = False
            elif node.value in seen:
                first = seen[node.value]
                self.error(
                    node.start,
                    f"duplicate choice '{node.value}' "
                    f"(first at line {first.line}, column {first.column})",
                )
                ok = False
            else:
                seen[node.value] = node.start
                choices.append(node.value)
        if nodes is not None and len(nodes) < 2:
            key, value = fields["choices"]
            pos = key.start if isinstance(value, Scalar) else value.start
            self.error(pos, f"'choices' needs at least 2 entries, found {len(nodes)}")
            ok = False
        if answer is not None and nodes is not None and answer not in seen:
            self.error(
                fields["answer"][1].start, f"the answer '{answer}' is not one of the choices"
            )
            ok = False
        if not ok or question is None or answer is None:
            return None
        return lambda **common: ChoiceCard(
            question=question, choices=tuple(choices), answer=answer, **common
        )

    # -- positions inside a scalar -------------------------------------------------------------

    def offset_pos(self, node: Scalar, offset: int) -> Pos:
        """Where character `offset` of a scalar's value is in the file, when that is certain.

        Exact for single-line plain or quoted scalars without escapes and for `|` blocks;
        otherwise the start of the value.
        """
        start, end = node.start, node.end
        if node.style in (None, "'", '"') and start.line == end.line:
            quote = 0 if node.style is None else 1
            source = self.text[start.offset + quote : end.offset - quote]
            if source == node.value:
                return Pos(start.line, start.column + quote + offset, start.offset + quote + offset)
            if node.style == '"':
                at = _escaped_offset(source, offset)
                if at is not None:
                    return Pos(start.line, start.column + 1 + at, start.offset + 1 + at)
        if node.style == "|":
            pos = self._literal_block_pos(node, offset)
            if pos is not None:
                return pos
        return start

    def _literal_block_pos(self, node: Scalar, offset: int) -> Pos | None:
        if self.lines is None:
            self.lines = [line.removesuffix("\r") for line in self.text.split("\n")]
        value_lines = node.value.split("\n")
        first_line = node.start.line  # 0-based index of the line after the `|` header
        content = [i for i, line in enumerate(value_lines) if line.strip()]
        if not content or first_line + content[0] >= len(self.lines):
            return None
        sample = value_lines[content[0]]
        source = self.lines[first_line + content[0]]
        indent = len(source) - len(sample)
        for i in content:
            if (
                first_line + i >= len(self.lines)
                or self.lines[first_line + i][indent:] != value_lines[i]
            ):
                return None
        row = node.value.count("\n", 0, offset)
        column = offset - (node.value.rfind("\n", 0, offset) + 1)
        return Pos(first_line + row + 1, indent + column + 1, -1)


def _same_text(a: str, b: str) -> bool:
    """Two answers a learner could not tell apart: the same words, in any case."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


_ESCAPE_LENGTHS = {"x": 2, "u": 4, "U": 8}


def _escaped_offset(source: str, offset: int) -> int | None:
    """Where value character `offset` starts in the source of a one-line double-quoted
    scalar (each YAML escape, `\\e` or `\\x9b`, makes one character); None past its end."""
    index = 0
    for _ in range(offset):
        if index >= len(source):
            return None
        if source[index] == "\\" and index + 1 < len(source):
            index += 2 + _ESCAPE_LENGTHS.get(source[index + 1], 0)
        else:
            index += 1
    return index if index < len(source) else None


def _owners() -> dict[str, str]:
    """Each kind-specific key and the card types it belongs to: 'answer' -> 'command and choice'."""
    kinds: dict[str, list[str]] = {}
    for kind in CardKind:
        for name in (*KIND_REQUIRED[kind], *KIND_OPTIONAL[kind]):
            kinds.setdefault(name, []).append(str(kind))
    return {name: " and ".join(owners) + " cards" for name, owners in kinds.items()}


_OWNERS = _owners()
_ALL_KIND_KEYS = tuple(_OWNERS)

_BUILDERS: dict[
    CardKind, Callable[[_Checker, dict[str, tuple[Scalar, Node]]], Callable[..., Card] | None]
] = {
    CardKind.BASIC: _Checker.basic,
    CardKind.COMMAND: _Checker.command,
    CardKind.CLOZE: _Checker.cloze,
    CardKind.CHOICE: _Checker.choice,
}

__all__ = ["CommandCheck", "DeckReport", "inspect_deck_text", "load_deck_text", "refuse"]
