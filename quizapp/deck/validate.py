"""`quizapp validate`: print every problem of deck files and a summary.

Work in progress: the signature below is the public API.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO


def run_validate(paths: list[Path], deck_dirs: list[Path], out: TextIO) -> int:
    """Exit status: 0 no errors, 1 any error, 2 a path that does not exist."""
    raise NotImplementedError
