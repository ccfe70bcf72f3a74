"""A cache of parsed deck files: an unchanged file is never parsed (or even read) twice.

It reads the clock, the environment and files, so it sits above the pure `deck` package: the
loader (`deck.loader`) turns bytes into a report, `deckfiles` reads the files, and this keeps
the reports. Commands that only check decks (`quizapp validate`) use it read-only: they never
write to the user's cache.

Parsing is by far the slowest part of a start (a 5,000-card file takes about a second), and
decks rarely change. What the loader makes of a file depends only on its bytes (see `loader`),
so its `DeckReport` is stored under the sha256 of those bytes, in the user cache folder, in
`marshal` form (several times faster to load than pickle for frozen slotted dataclasses).

An index maps each file path to (size, mtime_ns, sha256): when the size and modification time
are unchanged the file is not even read. A file modified in the last two seconds is never
indexed by its stat (its mtime may not tell a second edit within the same tick apart), so it
is read and hashed again next time. The cache folder is named after quizapp's version and
the loader's own files, so a new loader never sees an old loader's results. Any problem with
the cache (unreadable, corrupt, read-only) just means parsing the file as if there were none.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast, overload

from quizapp.deck.loader import MAX_FILE_BYTES, DeckReport
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
from quizapp.deck.yamlnodes import Pos
from quizapp.deckfiles import inspect_deck, inspect_deck_text
from quizapp.files import NotARegularFile, make_private_dirs, read_capped

FORMAT = 3
"""Bump when the encoding below changes."""
RACY_NS = 2_000_000_000
"""A file modified this recently (ns) is hashed again next time rather than trusted by stat."""
DISABLE_ENV = "QUIZAPP_NO_DECK_CACHE"

_CLASSES: tuple[type[Any], ...] = (BasicCard, CommandCard, ClozeCard, ChoiceCard)
_KINDS = (CardKind.BASIC, CardKind.COMMAND, CardKind.CLOZE, CardKind.CHOICE)
_INDEX = {cls: i for i, cls in enumerate(_CLASSES)}
_FIELDS = tuple(
    tuple(f.name for f in dataclasses.fields(cls) if f.name != "kind") for cls in _CLASSES
)
# Slot descriptors: setting them directly builds a frozen card without running __init__,
# which is what makes loading 5,000 cards take milliseconds.
_SETTERS: tuple[tuple[Callable[[Any, Any], None], ...], ...] = tuple(
    tuple(getattr(cls, name).__set__ for name in names)
    for cls, names in zip(_CLASSES, _FIELDS, strict=True)
)
_KIND_SETTERS = tuple(cls.kind.__set__ for cls in _CLASSES)
_ID_AT = tuple(names.index("id") + 1 for names in _FIELDS)
"""Where each card type's id is in its cached row."""


def _encode_card(card: Card) -> tuple[Any, ...]:
    index = _INDEX[type(card)]
    return (index, *(getattr(card, name) for name in _FIELDS[index]))


def _decode_cards(rows: list[tuple[Any, ...]]) -> tuple[Card, ...]:
    new = object.__new__
    cards: list[Card] = []
    for row in rows:
        index = row[0]
        card = new(_CLASSES[index])
        _KIND_SETTERS[index](card, _KINDS[index])
        setters = _SETTERS[index]
        if len(row) != len(setters) + 1:
            raise ValueError("a cached card of another shape")
        for setter, value in zip(setters, row[1:], strict=True):
            setter(card, value)
        cards.append(card)
    return tuple(cards)


class LazyCards(Sequence[Card]):
    """A cached deck's cards, built on first use: a start that shows one deck's cards, or a
    sync of unchanged decks, never pays for building (or even unmarshalling) every deck's cards.

    Compares and hashes like the tuple of its cards (so a cached `Deck` equals a parsed one).
    Should the cached cards be unreadable, the file is parsed again, if it still holds the
    same bytes.
    """

    __slots__ = ("_blob", "_by_id", "_cards", "_count", "_hash", "_path", "_rows")

    def __init__(self, blob: bytes, count: int, path: Path, content_hash: str) -> None:
        self._blob: bytes | None = blob
        self._count = count
        self._path = path
        self._hash = content_hash
        self._cards: tuple[Card, ...] | None = None
        self._rows: list[tuple[Any, ...]] | None = None
        self._by_id: dict[str, int | Card] | None = None

    def _built(self) -> tuple[Card, ...]:
        if self._cards is None:
            try:
                self._cards = _decode_cards(self._unpacked())
            except (EOFError, IndexError, TypeError, ValueError):
                self._cards = self._parsed()
            self._blob = self._rows = self._by_id = None
        return self._cards

    def _unpacked(self) -> list[tuple[Any, ...]]:
        if self._rows is None:
            assert self._blob is not None
            self._rows = _checked(marshal.loads(self._blob))
            self._blob = None
        return self._rows

    def card(self, card_id: str) -> Card | None:
        """The first card with this id, building only that one (a study session looks up one
        card at a time: building a deck of 5,000 cards for it took 10 ms, this 3)."""
        if self._cards is None:
            try:
                return self._one(card_id)
            except (EOFError, IndexError, TypeError, ValueError):
                self._built()  # unreadable rows: the file is parsed again
        assert self._cards is not None
        return next((card for card in self._cards if card.id == card_id), None)

    def _one(self, card_id: str) -> Card | None:
        if self._by_id is None:
            by_id: dict[str, int | Card] = {}
            for position, row in enumerate(self._unpacked()):
                by_id.setdefault(row[_ID_AT[row[0]]], position)
            self._by_id = by_id
        found = self._by_id.get(card_id)
        if isinstance(found, int):
            assert self._rows is not None
            found = self._by_id[card_id] = _decode_cards([self._rows[found]])[0]
        return found

    def _parsed(self) -> tuple[Card, ...]:
        deck = inspect_deck(self._path).result.deck
        if deck is None or deck.content_hash != self._hash:
            raise RuntimeError(
                f"the cached cards of {self._path} are unreadable and the file has changed "
                "since: start quizapp again"
            )
        return tuple(deck.cards)

    @overload
    def __getitem__(self, index: int) -> Card: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Card, ...]: ...
    def __getitem__(self, index: int | slice) -> Card | tuple[Card, ...]:
        return self._built()[index]

    def __len__(self) -> int:
        return self._count if self._cards is None else len(self._cards)

    def __iter__(self) -> Iterator[Card]:
        return iter(self._built())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyCards):
            other = other._built()
        return isinstance(other, tuple) and self._built() == other

    def __hash__(self) -> int:
        return hash(self._built())

    def __repr__(self) -> str:
        return repr(self._built())


def _checked(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows, if each has its card type's shape (cards are built later, when used)."""
    try:
        if all(len(row) == len(_SETTERS[row[0]]) + 1 for row in rows):
            return rows
    except (IndexError, TypeError):
        pass
    raise ValueError("a cached card of another shape")


def encode(report: DeckReport) -> bytes:
    """A report as bytes; its path is left out (the same bytes may live in several files)."""
    deck = report.result.deck
    deck_row = None
    if deck is not None:
        # The cards as a marshal blob inside the marshal blob: loading a deck copies these
        # bytes and no more; they become cards only when used (see LazyCards).
        cards = marshal.dumps([_encode_card(card) for card in deck.cards])
        fields = (deck.id, deck.title, deck.description, deck.source, deck.tags)
        deck_row = (*fields, deck.content_hash, len(deck.cards), cards)
    problems = [(p.line, p.column, p.message, str(p.severity)) for p in report.result.problems]
    pos = report.deck_id_pos
    pos_row = None if pos is None else (pos.line, pos.column, pos.offset)
    return marshal.dumps((FORMAT, deck_row, problems, report.deck_id, pos_row, report.card_count))


def decode(data: bytes, path: Path) -> DeckReport:
    """The report `encode` stored, for the file at `path`; ValueError if it is not one."""
    try:
        fmt, deck_row, problem_rows, deck_id, pos_row, card_count = marshal.loads(data)
    except (EOFError, TypeError, ValueError) as error:
        raise ValueError(f"not a cached deck: {error}") from None
    if fmt != FORMAT:
        raise ValueError("a cached deck of another format")
    deck = None
    if deck_row is not None:
        deck_id_, title, description, source, tags, content_hash, count, cards = deck_row
        if not isinstance(cards, bytes) or not isinstance(count, int):
            raise ValueError("not a cached deck")
        deck = Deck(
            id=deck_id_,
            title=title,
            cards=cast("tuple[Card, ...]", LazyCards(cards, count, path, content_hash)),
            description=description,
            source=source,
            tags=tags,
            path=path,
            content_hash=content_hash,
        )
    problems = tuple(
        Problem(path, line, column, message, Severity(severity))
        for line, column, message, severity in problem_rows
    )
    pos = None if pos_row is None else Pos(*pos_row)
    return DeckReport(LoadResult(path, deck, problems), deck_id, pos, card_count)


def _code_stamp() -> str:
    """Names the loader that filled the cache: quizapp's version and its parsing code's files."""
    from quizapp import __version__

    package = Path(__file__).resolve().parent
    files = sorted((package / "deck").glob("*.py")) + sorted((package / "grading").glob("*.*"))
    files += sorted((package / "grading").glob("models_data/*.toml"))  # the models warn too
    files += [package / name for name in ("textsafe.py", "files.py", "deckfiles.py")]
    parts = [f"{FORMAT}", __version__]
    for file in files:
        with contextlib.suppress(OSError):
            stat = file.stat()
            parts.append(f"{file.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


class DeckCache:
    """Parsed deck files under `folder`, by content hash, with a stat index of known paths.

    `read_only`: use what is there, write nothing (neither reports nor the index). `clock`
    gives the time in nanoseconds since the epoch (files modified within `RACY_NS` of it are
    not indexed by their stat).
    """

    def __init__(
        self,
        folder: Path,
        *,
        read_only: bool = False,
        clock: Callable[[], int] = time.time_ns,
    ) -> None:
        self.folder = folder / _code_stamp()
        self.read_only = read_only
        self._clock = clock
        self._index: dict[str, tuple[int, int, str]] | None = None
        self._dirty = False

    @classmethod
    def default(cls, *, read_only: bool = False) -> DeckCache | None:
        """The cache in the user cache folder; None when QUIZAPP_NO_DECK_CACHE is set."""
        if os.environ.get(DISABLE_ENV):
            return None
        from quizapp.paths import user_cache_dir

        return cls(user_cache_dir() / "decks", read_only=read_only)

    @property
    def index(self) -> dict[str, tuple[int, int, str]]:
        if self._index is None:
            self._index = {}
            with contextlib.suppress(OSError, EOFError, TypeError, ValueError):
                loaded = marshal.loads((self.folder / "index").read_bytes())
                if isinstance(loaded, dict):
                    self._index = loaded
        return self._index

    def inspect(self, path: Path) -> DeckReport:
        """What `loader.inspect_deck(path)` gives, from the cache when the file is unchanged."""
        try:
            stat = path.stat()
        except OSError:
            return inspect_deck(path)
        if stat.st_size > MAX_FILE_BYTES:
            return inspect_deck(path)
        key = os.path.abspath(path)
        known = self.index.get(key)
        if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
            cached = self._load(known[2], path)
            if cached is not None:
                return cached
        try:
            data = read_capped(path, MAX_FILE_BYTES, "a deck file")
        except (OSError, NotARegularFile):
            return inspect_deck(path)  # which says what is wrong
        digest = hashlib.sha256(data).hexdigest()
        report = self._load(digest, path)
        if report is None:
            report = inspect_deck_text(data, path)
            if len(data) <= MAX_FILE_BYTES:
                stored = self._store(digest, report)
                if stored is not None:
                    # What a warm start gets: cards built when used. The parsed ones are
                    # freed now, so loading many new files never holds all their cards.
                    report = decode(stored, path)
        if self._clock() - stat.st_mtime_ns > RACY_NS and len(data) == stat.st_size:
            self.index[key] = (stat.st_size, stat.st_mtime_ns, digest)
            self._dirty = True
        elif key in self.index:
            del self.index[key]
            self._dirty = True
        return report

    def save(self) -> None:
        """Write the index if it changed (silently skipped when the folder is not writable)."""
        if self._dirty and self._index is not None:
            self._write(self.folder / "index", marshal.dumps(self._index))
            self._dirty = False

    def _load(self, digest: str, path: Path) -> DeckReport | None:
        try:
            return decode((self.folder / f"{digest}.deck").read_bytes(), path)
        except (OSError, ValueError, TypeError, AttributeError):
            return None

    def _store(self, digest: str, report: DeckReport) -> bytes | None:
        """Cache the report; its encoded form, or None if marshal cannot hold it (or the cache
        is read-only)."""
        if self.read_only:
            return None
        try:
            data = encode(report)
        except ValueError:  # something marshal cannot hold: just do not cache it
            return None
        self._write(self.folder / f"{digest}.deck", data)
        return data

    def _write(self, target: Path, data: bytes) -> None:
        if self.read_only:
            return
        try:
            make_private_dirs(self.folder)  # 0700 whatever the umask, parents too
            fd, name = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as file:
                    file.write(data)
                os.replace(name, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(name)
                raise
        except OSError:
            pass


__all__ = ["DeckCache", "LazyCards", "decode", "encode"]
