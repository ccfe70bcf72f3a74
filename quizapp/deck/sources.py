"""Find deck files in folders and load them together, catching deck ids used by two files.

Folders are where decks come from (bundled, the user's deck folder, `--decks`,
`QUIZAPP_DECKS`); a folder that does not exist is simply skipped. An author's CLI models
(`*.cli.toml`, docs/cli-models.md) sit next to the decks and are found and read the same way:
checked with FILE:LINE:COLUMN problems, then used to read those programs' answers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.deck.loader import DeckReport, inspect_deck
from quizapp.deck.model import LoadResult, Problem
from quizapp.files import NotARegularFile, read_capped

if TYPE_CHECKING:
    from quizapp.grading.models import ModelSet

DECK_SUFFIXES = (".yaml", ".yml")
MODEL_SUFFIX = ".cli.toml"
"""An author's CLI model file (docs/cli-models.md)."""
MAX_MODEL_BYTES = 1_000_000


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
    from quizapp.grading import ModelError, bundled_models, parse_model_text

    reports: list[ModelReport] = []
    models = []
    for path in model_files(paths):
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


def inspect_decks(paths: Sequence[Path], models: ModelSet | None = None) -> list[DeckReport]:
    """Every deck file under `paths`, loaded; a deck id in two or more files is an error in each.

    Unchanged files come from the parsed-deck cache (see `cache`) instead of being parsed.
    With an author's CLI `models` the answers are checked against them (and not cached).
    """
    from quizapp.deck.cache import DeckCache

    if models is not None:
        from quizapp.grading.models import using_models

        with using_models(models):
            return _with_duplicate_ids([inspect_deck(path) for path in deck_files(paths)])
    cache = DeckCache.default()
    if cache is None:
        reports = [inspect_deck(path) for path in deck_files(paths)]
    else:
        reports = [cache.inspect(path) for path in deck_files(paths)]
        cache.save()
    return _with_duplicate_ids(reports)


def _with_duplicate_ids(reports: list[DeckReport]) -> list[DeckReport]:
    by_id: dict[str, list[int]] = {}
    for index, report in enumerate(reports):
        if report.deck_id is not None:
            by_id.setdefault(report.deck_id, []).append(index)
    for deck_id, indexes in by_id.items():
        if len(indexes) < 2:
            continue
        names = ", ".join(str(reports[i].result.path) for i in indexes)
        for i in indexes:
            report = reports[i]
            pos = report.deck_id_pos
            assert pos is not None
            problem = Problem(
                report.result.path,
                pos.line,
                pos.column,
                f"deck id '{deck_id}' is used by {len(indexes)} files: {names}",
            )
            problems = sorted((*report.result.problems, problem), key=lambda p: (p.line, p.column))
            result = LoadResult(report.result.path, None, tuple(problems))
            reports[i] = dataclasses.replace(report, result=result)
    return reports


def load_decks(paths: Sequence[Path]) -> list[LoadResult]:
    """Load every deck file under `paths`; a deck id in two files is an error in both."""
    models, _ = load_cli_models(paths)
    return [report.result for report in inspect_decks(paths, models)]
