"""Where quizapp keeps things: platformdirs locations, the bundled decks, deck folders.

Everything user-facing resolves here so `--db`, `--decks`, `QUIZAPP_DB`, `QUIZAPP_DECKS` and
`QUIZAPP_SYNC_URL` mean the same thing in every command.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import platformdirs

APP_NAME = "quizapp"
SYNC_URL_VARIABLE = "QUIZAPP_SYNC_URL"
"""The environment variable naming the sync remote (after the command line, before config)."""


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return user_data_dir() / "quizapp.db"


def user_decks_dir() -> Path:
    return user_data_dir() / "decks"


def config_file() -> Path:
    return user_config_dir() / "config.toml"


def bundled_decks_dir() -> Path:
    """The decks shipped with quizapp: inside the installed package, or `decks/` in a checkout."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "decks"
    if installed.is_dir():
        return installed
    return package_dir.parent / "decks"


def deck_dirs(
    extra: Iterable[Path | str] = (), environ: Mapping[str, str] | None = None
) -> list[Path]:
    """Deck folders in load order: bundled, the user's, `QUIZAPP_DECKS`, then `--decks`."""
    env = os.environ if environ is None else environ
    dirs = [bundled_decks_dir(), user_decks_dir()]
    dirs += [Path(p) for p in env.get("QUIZAPP_DECKS", "").split(os.pathsep) if p]
    dirs += [Path(p) for p in extra]
    seen: set[Path] = set()
    unique: list[Path] = []
    for d in dirs:
        key = d.expanduser().resolve()
        if key not in seen:
            seen.add(key)
            unique.append(d.expanduser())
    return unique


def resolve_db(db: str | None, environ: Mapping[str, str] | None = None) -> str:
    """`--db` beats `QUIZAPP_DB` beats the default file; returns a path or a SQLAlchemy URL."""
    env = os.environ if environ is None else environ
    return db or env.get("QUIZAPP_DB") or str(default_db_path())


def db_file(db: str) -> Path | None:
    """The file of a `--db` value (a path, or a `sqlite:///` URL); None for anything else.

    Plain string handling, so the study app can ask before SQLAlchemy is imported.
    """
    if "://" not in db:
        return Path(db).expanduser().resolve()
    if db.startswith("sqlite:///"):
        path = db[len("sqlite:///") :].split("?", 1)[0]
        if path and path != ":memory:" and not path.startswith("file:"):
            return Path(path)
    return None


def new_db_note(file: Path) -> str:
    """Said once, when a command made a new progress database (a mistyped --db shows here)."""
    return (
        f"created a new, empty progress database at {file} "
        "(nothing was there: check --db / QUIZAPP_DB if you meant another one)"
    )
