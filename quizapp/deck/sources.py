"""Deck ids used by two files: an error in each (the reports of several files, checked
together). Finding and reading the files is `quizapp.deckfiles`' job.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from quizapp.deck.loader import DeckReport
from quizapp.deck.model import LoadResult, Problem

DECK_SUFFIXES = (".yaml", ".yml")
MODEL_SUFFIX = ".cli.toml"
"""An author's CLI model file (docs/cli-models.md)."""


def with_duplicate_ids(reports: Sequence[DeckReport]) -> list[DeckReport]:
    """`reports` (of several files), where a deck id in two or more files is an error in each."""
    reports = list(reports)
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
