"""A bounded, position-keeping YAML reader: parser events in, plain nodes out, nothing built.

PyYAML's own composer and constructors lose what a deck author needs (the last of two equal
keys wins silently, `1.10` becomes a float) and do unbounded work on hostile input (alias
bombs, deep nesting). Here the safe parser (libyaml when available) gives events, and a small
iterative composer turns them into nodes that keep every scalar's literal text and position,
counts nodes as aliases would expand them, and refuses past fixed limits. Tags other than the
plain YAML ones are reported, never resolved, so nothing is ever constructed or executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple, final

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_NODES = 2_000_000
"""Most nodes a document may spell out (a 10 MB deck of short cards has about 400,000)."""
MAX_ALIAS_NODES = 100_000
"""Most nodes that aliases may add by expansion: the guard against alias bombs."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings (a deck needs 4)."""

_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(
    {"!"} | {_CORE + name for name in ("str", "int", "float", "bool", "null", "seq", "map")}
)
# What YAML 1.1 (and so PyYAML) reads as a line break, and the characters it refuses to read.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


class Pos(NamedTuple):
    """A 1-based line and column, and the 0-based character offset into the text.

    A named tuple rather than a frozen dataclass: a deck file has hundreds of thousands of
    them, and a tuple is several times cheaper to make.
    """

    line: int
    column: int
    offset: int

    @classmethod
    def of(cls, mark: yaml.Mark) -> Pos:
        return cls(mark.line + 1, mark.column + 1, mark.index)


@dataclass(eq=False, slots=True)
class Scalar:
    value: str
    style: str | None
    """None for plain; ', \", | or > otherwise."""
    start: Pos
    end: Pos
    size: int = 1

    @property
    def is_null(self) -> bool:
        """An empty plain scalar: `key:` with nothing after it."""
        return self.style is None and self.value == ""


@final
@dataclass(eq=False, slots=True)
class Sequence:
    start: Pos
    items: list[Node] = field(default_factory=list)
    size: int = 1


@final
@dataclass(eq=False, slots=True)
class Mapping:
    start: Pos
    pairs: list[tuple[Node, Node]] = field(default_factory=list)
    size: int = 1


Node = Scalar | Sequence | Mapping


@dataclass(frozen=True, slots=True)
class YamlIssue:
    """Something wrong found while reading YAML; `fatal` ones leave no document to check."""

    pos: Pos
    message: str
    fatal: bool


class _Refused(Exception):
    def __init__(self, pos: Pos, message: str) -> None:
        super().__init__(message)
        self.issue = YamlIssue(pos, message, fatal=True)


def position_of(text: str, index: int) -> Pos:
    """The line and column of a character index, counting only \\n as a line break."""
    line_start = text.rfind("\n", 0, index) + 1
    return Pos(text.count("\n", 0, index) + 1, index - line_start + 1, index)


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def compose(text: str) -> tuple[Node | None, list[YamlIssue]]:
    """The document's root node (None when empty or refused) and every issue found."""
    issues: list[YamlIssue] = []
    bad = _NON_PRINTABLE.search(text)
    if bad:
        pos = position_of(text, bad.start())
        code = f"U+{ord(bad.group()):04X}"
        return None, [YamlIssue(pos, f"not YAML: control character {code} is not allowed", True)]
    try:
        return _compose(text, issues), issues
    except _Refused as refused:
        return None, [*issues, refused.issue]
    except yaml.MarkedYAMLError as error:
        return None, [*issues, _parser_issue(error, text)]
    except yaml.YAMLError as error:  # a ReaderError: bad characters slipped past the check
        return None, [*issues, YamlIssue(Pos(1, 1, 0), f"not YAML: {error}", True)]


def _parser_issue(error: yaml.MarkedYAMLError, text: str) -> YamlIssue:
    mark = error.problem_mark or error.context_mark
    pos = Pos.of(mark) if mark is not None else Pos(1, 1, 0)
    message = f"not YAML: {error.problem or error.context or 'unreadable'}"
    if error.context and error.problem and error.context_mark is not None:
        where = Pos.of(error.context_mark)
        message += f" ({error.context} at line {where.line}, column {where.column})"
    return YamlIssue(pos, message, True)


def _tag_issue(tag: str, pos: Pos) -> YamlIssue:
    return YamlIssue(
        pos,
        f"YAML tag {_tag_name(tag)} is not allowed: a deck holds only text, lists and mappings",
        False,
    )


def _compose(text: str, issues: list[YamlIssue]) -> Node | None:
    # One flat loop, dispatching on the event's exact class: this runs once per YAML node
    # (about 70,000 for 5,000 cards), so helper calls and isinstance chains are left out.
    max_nodes, max_alias_nodes, max_depth = MAX_NODES, MAX_ALIAS_NODES, MAX_DEPTH
    anchors: dict[str, Node] = {}
    open_anchors: set[str] = set()
    # Each open collection with its anchor and, for mappings, the key waiting for its value.
    stack: list[tuple[Sequence | Mapping, str | None, list[Node]]] = []
    root: Node | None = None
    total = 0
    expanded = 0
    documents = 0
    make_pos = tuple.__new__
    allowed = ALLOWED_TAGS

    loader = _Loader(text)
    try:
        get_event = loader.get_event
        while True:
            event = get_event()
            kind = type(event)
            node: Node
            if kind is yaml.ScalarEvent:
                mark = event.start_mark
                pos = make_pos(Pos, (mark.line + 1, mark.column + 1, mark.index))
                tag = event.tag
                if tag is not None and tag not in allowed:
                    issues.append(_tag_issue(tag, pos))
                total += 1
                if total > max_nodes:
                    raise _Refused(pos, f"the document has more than {max_nodes} nodes: refused")
                mark = event.end_mark
                end = make_pos(Pos, (mark.line + 1, mark.column + 1, mark.index))
                node = Scalar(event.value, event.style or None, pos, end)
                if event.anchor is not None:
                    anchors[event.anchor] = node
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                mark = event.start_mark
                pos = make_pos(Pos, (mark.line + 1, mark.column + 1, mark.index))
                tag = event.tag
                if tag is not None and tag not in allowed:
                    issues.append(_tag_issue(tag, pos))
                total += 1
                if total > max_nodes:
                    raise _Refused(pos, f"the document has more than {max_nodes} nodes: refused")
                if len(stack) >= max_depth:
                    raise _Refused(pos, f"lists and mappings nest deeper than {max_depth}: refused")
                collection: Sequence | Mapping = (
                    Sequence(pos) if kind is yaml.SequenceStartEvent else Mapping(pos)
                )
                if event.anchor is not None:
                    open_anchors.add(event.anchor)
                stack.append((collection, event.anchor, []))
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                node, anchor, _ = stack.pop()
                if anchor is not None:
                    open_anchors.discard(anchor)
                    anchors[anchor] = node
            elif kind is yaml.AliasEvent:
                pos = Pos.of(event.start_mark)
                if event.anchor in open_anchors:
                    raise _Refused(pos, f"alias *{event.anchor} refers to a node that contains it")
                target = anchors.get(event.anchor)
                if target is None:
                    raise _Refused(
                        pos, f"not YAML: alias *{event.anchor} has no anchor &{event.anchor}"
                    )
                expanded += target.size
                if expanded > max_alias_nodes:
                    raise _Refused(
                        pos,
                        f"aliases expand to more than {max_alias_nodes} nodes "
                        "(an alias bomb?): refused",
                    )
                node = target
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Refused(
                        Pos.of(event.start_mark), "not YAML for a deck: a second document (---)"
                    )
                continue
            elif kind is yaml.StreamEndEvent:
                break
            else:  # stream start, document end
                continue
            # Attach the finished node to the open collection (or make it the root).
            if not stack:
                root = node
                continue
            parent, _, pending = stack[-1]
            parent.size += node.size
            if type(parent) is Sequence:
                parent.items.append(node)
            elif pending:
                parent.pairs.append((pending.pop(), node))
            else:
                pending.append(node)
    finally:
        loader.dispose()
    return root
