"""`quizapp validate`: print every problem of deck files, then a one-line summary.

With no paths it checks every deck the app would load, so a user can see why a deck is
missing from the study screen. It reads the parsed-deck cache the study app fills (a deck
unchanged since is not parsed again) but never writes to it: checking decks leaves nothing
behind in the user's cache.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path
from typing import TextIO

from quizapp.deck.sources import DECK_SUFFIXES, MODEL_SUFFIX
from quizapp.deck_cache import DeckCache
from quizapp.deckfiles import inspect_decks, load_cli_models
from quizapp.files import describe
from quizapp.textsafe import shown
from quizapp.wording import counted


def _not_a_deck(path: Path) -> str | None:
    """Why a path named on the command line cannot be checked, or None when it can.

    A folder is checked file by file, unless it is named like a deck file (`x.yaml/`), which
    is a mistake; a FIFO or a device would be skipped by the folder scan and is named instead.
    """
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if stat.S_ISDIR(mode):
        if path.suffix.lower() in DECK_SUFFIXES or path.name.endswith(MODEL_SUFFIX):
            return "is a folder, not a deck file"
        return None
    if not stat.S_ISREG(mode):
        return f"is {describe(mode)}, not a deck file"
    return None


def _with_folders(paths: list[Path]) -> list[Path]:
    """The paths, and the folder of each deck file named: its CLI models sit next to it."""
    folders = [p.parent for p in paths if p.is_file() and not p.name.endswith(MODEL_SUFFIX)]
    models_named = [p for p in paths if p.name.endswith(MODEL_SUFFIX)]
    shallow = [m for f in folders for m in sorted(f.glob("*" + MODEL_SUFFIX))]
    return [*[p for p in paths if p.is_dir()], *models_named, *shallow]


def run_validate(paths: list[Path], deck_dirs: list[Path], out: TextIO) -> int:
    """Exit status: 0 no errors, 1 any error, 2 a path that does not exist."""
    missing = [path for path in paths if not path.exists()]
    if missing:
        for path in missing:
            print(f"quizapp: error: no such file or folder: {shown(path)}", file=sys.stderr)
        return 2
    refused = [(path, reason) for path in paths if (reason := _not_a_deck(path))]
    if refused:
        for path, reason in refused:
            print(f"quizapp: error: {shown(path)} {reason}", file=sys.stderr)
        return 2
    sources = paths or deck_dirs
    models, model_reports = load_cli_models(_with_folders(sources))
    reports = inspect_decks(sources, DeckCache.default(read_only=True), models)
    errors = warnings = cards = 0
    for model_report in model_reports:
        for problem in model_report.problems:
            print(problem, file=out)
            errors += 1
    for report in reports:
        for problem in report.result.problems:
            print(problem, file=out)
        errors += len(report.result.errors)
        warnings += len(report.result.warnings)
        cards += report.card_count
    modelled = f", {counted(len(model_reports), 'CLI model')}" if model_reports else ""
    summary = (
        f"{counted(len(reports), 'deck')}, {counted(cards, 'card')}{modelled}: "
        f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"
    )
    print(summary, file=out)
    return 1 if errors else 0
