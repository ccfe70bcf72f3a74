"""Find deck files in folders and load them together, catching deck ids used by two files.

Folders are where decks come from (bundled, the user's deck folder, `--decks`,
`QUIZAPP_DECKS`); a folder that does not exist is simply skipped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from quizapp.deck.loader import DeckReport, inspect_deck
from quizapp.deck.model import LoadResult, Problem

DECK_SUFFIXES = (".yaml", ".yml")


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


def inspect_decks(paths: Sequence[Path]) -> list[DeckReport]:
    """Every deck file under `paths`, loaded; a deck id in two or more files is an error in each.

    Unchanged files come from the parsed-deck cache (see `cache`) instead of being parsed.
    """
    from quizapp.deck.cache import DeckCache

    cache = DeckCache.default()
    if cache is None:
        reports = [inspect_deck(path) for path in deck_files(paths)]
    else:
        reports = [cache.inspect(path) for path in deck_files(paths)]
        cache.save()
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
    return [report.result for report in inspect_decks(paths)]
