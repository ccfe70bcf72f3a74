"""Every test runs with its own user folders: nothing a test does reaches the real ~/.cache,
~/.local/share or ~/.config, and no QUIZAPP_* variable from the shell leaks in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


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
