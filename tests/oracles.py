"""Tests that check quizapp against the real thing (the docker CLI, git, PostgreSQL, anki).

Where the real component is missing (a user's machine) such a test skips with the reason; CI
sets QUIZAPP_REQUIRE_ORACLES=1, and then the same missing component fails the test instead,
so an oracle test can never pass in CI by not running.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

REQUIRE_ORACLES = "QUIZAPP_REQUIRE_ORACLES"


def oracles_required() -> bool:
    return os.environ.get(REQUIRE_ORACLES, "") not in ("", "0")


def oracle_missing(reason: str) -> NoReturn:
    """Skip with `reason`; fail with it when QUIZAPP_REQUIRE_ORACLES=1."""
    if oracles_required():
        pytest.fail(f"{reason} ({REQUIRE_ORACLES}=1: oracle tests must run)", pytrace=False)
    pytest.skip(reason)


def need_program(name: str) -> str:
    """The path of program `name`, or skip (fail in CI) when it is not installed."""
    path = shutil.which(name)
    if path is None:
        oracle_missing(f"{name} is not installed")
    return path
