"""Every test runs with its own user folders: nothing a test does reaches the real ~/.cache,
~/.local/share or ~/.config, and no QUIZAPP_* variable from the shell leaks in.

Tests marked `root` (they mount a tmpfs or set `chattr +i`) are skipped, with the reason,
when the suite does not run as root. Hypothesis has no per-example deadline here: a wall-clock
limit belongs in a test marked `timing`, not in every property test on a loaded machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

settings.register_profile("quizapp", deadline=None)
settings.load_profile("quizapp")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.geteuid() == 0:
        return
    skip = pytest.mark.skip(reason="needs root (mounts a tmpfs or sets chattr +i)")
    for item in items:
        if item.get_closest_marker("root") is not None:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _private_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    home = tmp_path_factory.mktemp("user-folders")
    with pytest.MonkeyPatch.context() as patch:
        for variable, folder in (
            ("XDG_DATA_HOME", "data"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_CACHE_HOME", "cache"),
        ):
            patch.setenv(variable, str(home / folder))
        for variable in ("QUIZAPP_DB", "QUIZAPP_DECKS", "QUIZAPP_NO_DECK_CACHE"):
            patch.delenv(variable, raising=False)
        yield
