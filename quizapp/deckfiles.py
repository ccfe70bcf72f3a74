"""Deck files on disk: finding them in folders, reading them, and loading them together.

The deck package is pure (bytes in, a report out: `deck.loader`); this is the layer that
touches the file system, wires in what grading says about commands (the loader warns about
a Docker command the CLI model does not know), and uses the parsed-deck cache when the
caller has one (`deck_cache`: the study app and the commands that benefit; read-only for
`quizapp validate`). An author's CLI models (`*.cli.toml`, docs/cli-models.md) sit next to
the decks and are found and read here too: checked with FILE:LINE:COLUMN problems, then used
to read those programs' answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.collector import paused
from quizapp.deck.loader import MAX_FILE_BYTES, DeckReport, refuse
from quizapp.deck.loader import inspect_deck_text as _inspect_text
from quizapp.deck.model import LoadResult, Problem
from quizapp.deck.sources import DECK_SUFFIXES, MODEL_SUFFIX, with_duplicate_ids
from quizapp.files import NotARegularFile, check_regular, read_capped

if TYPE_CHECKING:
    from quizapp.deck_cache import DeckCache
    from quizapp.grading.models import ModelSet

MAX_MODEL_BYTES = 1_000_000


def inspect_deck_text(data: bytes | str, path: Path) -> DeckReport:
    """The report of a deck's bytes (`deck.loader.inspect_deck_text`), commands checked."""
    # Imported when a file is parsed: a start whose decks all come from the cache never
    # imports grading before the first card.
    from quizapp.grading import command_warnings

    with paused():  # the collector would walk every object alive, batch after batch
        return _inspect_text(data, path, command_warnings)


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
        if path.name.endswith(MODEL_SUFFIX):
            continue  # a CLI model, not a deck (see model_files)
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


def model_files(paths: Sequence[Path]) -> list[Path]:
    """The `*.cli.toml` files among `paths` and in their folders (recursively, sorted),
    hidden ones left out."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*" + MODEL_SUFFIX)
                if not p.is_dir()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.name.endswith(MODEL_SUFFIX) and path.exists():
            found.append(path)
    return list(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class ModelReport:
    """One `*.cli.toml` file checked: the program it models, or its problem."""

    path: Path
    program: str | None
    problems: tuple[Problem, ...] = ()


def load_cli_models(paths: Sequence[Path]) -> tuple[ModelSet | None, list[ModelReport]]:
    """The bundled CLI models with the authors' `*.cli.toml` under `paths` added (None when
    there are none), and a report per file. A file with a problem is left out."""
    files = model_files(paths)
    if not files:  # the usual case: no grading import on the way to the first card
        return None, []
    from quizapp.grading import ModelError, bundled_models, parse_model_text

    reports: list[ModelReport] = []
    models = []
    for path in files:
        try:
            text = read_capped(path, MAX_MODEL_BYTES, "a CLI model file").decode("utf-8")
            model = parse_model_text(text.removeprefix("\ufeff"))
        except NotARegularFile as error:
            problem = Problem(path, 1, 1, f"this {error.reason}")
        except UnicodeDecodeError as error:
            problem = Problem(path, 1, 1, f"not UTF-8 text (byte {error.start})")
        except OSError as error:
            problem = Problem(path, 1, 1, f"cannot read the file: {error.strerror or error}")
        except ModelError as error:
            problem = Problem(path, error.line, error.column, error.message)
        else:
            models.append(model)
            reports.append(ModelReport(path, model.name))
            continue
        reports.append(ModelReport(path, None, (problem,)))
    if not models:
        return None, reports
    return bundled_models().with_models(tuple(models)), reports


def inspect_decks(
    paths: Sequence[Path], cache: DeckCache | None = None, models: ModelSet | None = None
) -> list[DeckReport]:
    """Every deck file under `paths`, loaded; a deck id in two or more files is an error in each.

    With a `cache`, unchanged files come from it instead of being parsed. With an author's CLI
    `models` the answers are checked against them (and not cached).
    """
    if models is not None:
        from quizapp.grading.models import using_models

        with using_models(models):
            return with_duplicate_ids([inspect_deck(path) for path in deck_files(paths)])
    if cache is None:
        reports = [inspect_deck(path) for path in deck_files(paths)]
    else:
        reports = [cache.inspect(path) for path in deck_files(paths)]
        cache.save()
    return with_duplicate_ids(reports)


def load_decks(paths: Sequence[Path], cache: DeckCache | None = None) -> list[LoadResult]:
    """Load every deck file under `paths` (with the authors' CLI models found there); a deck id
    in two files is an error in both."""
    models, _ = load_cli_models(paths)
    return [report.result for report in inspect_decks(paths, cache, models)]
