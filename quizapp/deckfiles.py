"""Deck files on disk: finding them in folders, reading them, and loading them together.

The deck package is pure (bytes in, a report out: `deck.loader`); this is the layer that
touches the file system, wires in what grading says about commands (the loader warns about
a Docker command the CLI model does not know), and uses the parsed-deck cache when the
caller has one (`deck_cache`: the study app and the commands that benefit; read-only for
`quizapp validate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.collector import paused
from quizapp.deck.loader import MAX_FILE_BYTES, DeckReport, refuse
from quizapp.deck.loader import inspect_deck_text as _inspect_text
from quizapp.deck.model import LoadResult
from quizapp.deck.sources import DECK_SUFFIXES, with_duplicate_ids
from quizapp.files import NotARegularFile, check_regular, read_capped

if TYPE_CHECKING:
    from quizapp.deck_cache import DeckCache


def inspect_deck_text(data: bytes | str, path: Path) -> DeckReport:
    """The report of a deck's bytes (`deck.loader.inspect_deck_text`), with Docker warnings."""
    # Imported when a file is parsed: a start whose decks all come from the cache never
    # imports grading before the first card.
    from quizapp.grading import unknown_docker_command

    with paused():  # the collector would walk every object alive, batch after batch
        return _inspect_text(data, path, unknown_docker_command)


def load_deck_text(data: bytes | str, path: Path) -> LoadResult:
    """Load a deck from its bytes (or text); `path` names it in problems and in the deck."""
    return inspect_deck_text(data, path).result


def inspect_deck(path: Path) -> DeckReport:
    """Like `load_deck`, with the deck id and card count kept even when the deck is rejected."""
    try:
        size = check_regular(path, "a deck file").st_size
        if size > MAX_FILE_BYTES:
            return refuse(path, f"the file is {size} bytes: a deck file may be 10 MB at most")
        data = read_capped(path, MAX_FILE_BYTES, "a deck file")
    except NotARegularFile as error:
        return refuse(path, f"this {error.reason}")
    except OSError as error:
        return refuse(path, f"cannot read the file: {error.strerror or error}")
    return inspect_deck_text(data, path)


def load_deck(path: Path) -> LoadResult:
    """Load one deck file; the deck is None when the file has any error."""
    return inspect_deck(path).result


def deck_files(paths: Sequence[Path]) -> list[Path]:
    """Files as given; folders give their *.yaml and *.yml files, recursively, sorted.

    Missing paths are skipped, hidden files and folders too, and a file reached twice is
    listed once. A deck-named FIFO, device or dangling link in a folder is listed: loading it
    says what it is (`files.read_capped` never opens it), instead of it vanishing silently.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in DECK_SUFFIXES
                and not p.is_dir()  # a FIFO or device named x.yaml is reported, never read
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            candidates = [path]
        else:
            continue
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def inspect_decks(paths: Sequence[Path], cache: DeckCache | None = None) -> list[DeckReport]:
    """Every deck file under `paths`, loaded; a deck id in two or more files is an error in each.

    With a `cache`, unchanged files come from it instead of being parsed.
    """
    if cache is None:
        reports = [inspect_deck(path) for path in deck_files(paths)]
    else:
        reports = [cache.inspect(path) for path in deck_files(paths)]
        cache.save()
    return with_duplicate_ids(reports)


def load_decks(paths: Sequence[Path], cache: DeckCache | None = None) -> list[LoadResult]:
    """Load every deck file under `paths`; a deck id in two files is an error in both."""
    return [report.result for report in inspect_decks(paths, cache)]
