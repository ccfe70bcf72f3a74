"""The user's config file (`config.toml`): read once, checked, and handed to the pure core.

The scheduler and the queries take a `Settings` value (`quizapp.scheduling.settings`); the
study app takes a keymap (`quizapp.tui.keymap`). Reading the file, finding where a mistake
is, and applying the command-line flags over it is this module's job, so that no pure
package reads a file. Mistakes in the file are reported as `FILE:LINE:COLUMN: message`,
never as a traceback.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from quizapp.errors import QuizappError
from quizapp.files import read_capped
from quizapp.scheduling.settings import (
    LIMIT_KEYS,
    OVERRIDE_KEYS,
    SCHEDULER_KEYS,
    TAG_KEYS,
    DeckLimits,
    Settings,
    apply_overrides,
    check_scheduler_value,
    check_value,
    is_tag,
)
from quizapp.textsafe import shown, visible

SYNC_URL_VARIABLE = "QUIZAPP_SYNC_URL"
"""The environment variable naming the sync remote (after the command line, before config);
here, not in storage.device_sync, so the study app reads it without loading SQLAlchemy."""


@dataclass(frozen=True)
class UserConfig:
    """What the config file says: the study settings and the study app's keymap."""

    settings: Settings = field(default_factory=Settings)
    keys: Mapping[str, str] = field(default_factory=dict)
    """The `[keys]` table: binding id -> keys, e.g. {"study.bury": "x"} (checked to look like
    keys here; the app checks the binding ids and key names, `quizapp.tui.keymap`)."""


def read_config(path: Path | None = None, overrides: Mapping[str, Any] = {}) -> UserConfig:
    """The config file at `path` (None: the user config file), then the command-line
    `overrides` over its settings (`apply_overrides`).

    A missing file gives the defaults. Raises QuizappError (with `FILE:LINE:COLUMN:`) for
    invalid TOML, unknown keys or bad values; ValueError for an override key that is not one
    of OVERRIDE_KEYS or TAG_KEYS.
    """
    if path is None:
        from quizapp.paths import config_file

        path = config_file()
    config = _read_file(Path(path))
    return replace(config, settings=apply_overrides(config.settings, overrides))


def load_settings(path: Path | None = None, overrides: Mapping[str, Any] = {}) -> Settings:
    """The settings of `read_config(path, overrides)`."""
    return read_config(path, overrides).settings


MAX_SETTINGS_BYTES = 1_000_000
"""A settings file is a few lines; anything bigger is not one (a link to /dev/zero)."""

_KEY = re.compile(
    r"(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*(?:[a-z][a-z0-9_]*|[^\s\x00-\x1f\x7f-\x9f])"
)
"""One key as Textual names it: `x`, `X`, `?`, `f5`, `escape`, `ctrl+b`, `shift+tab`."""


def _read_file(path: Path) -> UserConfig:
    try:
        raw = read_capped(path, MAX_SETTINGS_BYTES, "a settings file")
    except FileNotFoundError:
        return UserConfig(Settings(), {})
    except OSError as exc:
        raise QuizappError(
            f"{shown(path)}: cannot read the settings file: {exc.strerror or exc}"
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise QuizappError(f"{shown(path)}:{line}:1: the settings file is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QuizappError(_decode_error_message(path, text, str(exc))) from None
    except RecursionError:
        raise QuizappError(
            f"{shown(path)}: invalid TOML: arrays or tables nested too deeply"
        ) from None
    return _parse(path, _Locator(text), data)


_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def key_position(path: Path, binding_id: str) -> tuple[int, int]:
    """Line and column of `binding_id` in the `[keys]` table of the settings file (1, 1 when
    it cannot be read), for a message about a binding id only the study app can check."""
    try:
        text = read_capped(path, MAX_SETTINGS_BYTES, "a settings file").decode("utf-8", "replace")
    except (OSError, QuizappError):
        return 1, 1
    return _Locator(text).find(("keys",), binding_id)


def _decode_error_message(path: Path, text: str, message: str) -> str:
    path = Path(shown(path))
    match = _AT.search(message)
    if match is None:
        return f"{path}: invalid TOML: {message}"
    if match.group(1):
        line, column = int(match.group(1)), int(match.group(2))
    else:
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    return f"{path}:{line}:{column}: invalid TOML: {message[: match.start()]}"


def _parse(path: Path, where: _Locator, data: dict[str, Any]) -> UserConfig:
    def fail(table: tuple[str, ...], key: str, message: str) -> QuizappError:
        line, column = where.find(table, key)
        return QuizappError(visible(f"{path}:{line}:{column}: {message}"))

    values: dict[str, Any] = {}
    decks: dict[str, DeckLimits] = {}
    keys: dict[str, str] = {}
    tags: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        if key == "study":
            if not isinstance(value, dict):
                raise fail((), key, 'study must be a table, like [study] with without_tags = ["x"]')
            for study_key, tag_list in value.items():
                if study_key not in TAG_KEYS:
                    raise fail(
                        ("study",),
                        study_key,
                        f"unknown setting {study_key!r} in [study] "
                        f"(expected {', '.join(TAG_KEYS)})",
                    )
                if not isinstance(tag_list, list) or not all(is_tag(t) for t in tag_list):
                    raise fail(
                        ("study",),
                        study_key,
                        f'study.{study_key} must be a list of tags, like ["beyond-notes"]',
                    )
                tags[study_key] = tuple(tag_list)
        elif key == "sync":
            if not isinstance(value, dict):
                raise fail(
                    (), key, 'sync must be a table, like [sync] with url = "postgresql://..."'
                )
            for sync_key, sync_value in value.items():
                if sync_key == "url" and isinstance(sync_value, str) and sync_value:
                    values["sync_url"] = sync_value
                elif sync_key == "auto" and isinstance(sync_value, bool):
                    values["sync_auto"] = sync_value
                else:
                    raise fail(
                        ("sync",),
                        sync_key,
                        f"invalid setting {sync_key!r} in [sync] (expected url = a database URL"
                        ", auto = true or false)",
                    )
        elif key == "keys":
            if not isinstance(value, dict):
                raise fail((), key, 'keys must be a table, like [keys] with "study.bury" = "x"')
            for binding_id, keys_value in value.items():
                if not isinstance(keys_value, str) or not keys_value.strip():
                    raise fail(
                        ("keys",),
                        binding_id,
                        f'keys.{binding_id} must be text naming keys, like "x" or "x,ctrl+b"',
                    )
                bad = [k for k in keys_value.split(",") if not _KEY.fullmatch(k.strip())]
                if bad:
                    raise fail(
                        ("keys",),
                        binding_id,
                        f"keys.{binding_id}: {visible(repr(bad[0].strip()))} is not a key "
                        '(keys are named like "x", "?", "f5", "escape" or "ctrl+b")',
                    )
                keys[binding_id] = keys_value
        elif key == "decks":
            if not isinstance(value, dict):
                raise fail((), key, "decks must be a table of deck ids, like [decks.my-deck]")
            for deck_id, table in value.items():
                if not isinstance(table, dict):
                    raise fail(
                        ("decks",),
                        deck_id,
                        f"decks.{deck_id} must be a table, like [decks.{deck_id}]",
                    )
                limits: dict[str, Any] = {}
                for deck_key, deck_value in table.items():
                    if deck_key in SCHEDULER_KEYS:
                        try:
                            limits[deck_key] = check_scheduler_value(deck_key, deck_value)
                        except ValueError as exc:
                            raise fail(("decks", deck_id), deck_key, str(exc)) from None
                        continue
                    if deck_key not in LIMIT_KEYS:
                        raise fail(
                            ("decks", deck_id),
                            deck_key,
                            f"unknown setting {deck_key!r} for deck {deck_id!r} "
                            f"(a deck can set {', '.join(LIMIT_KEYS + SCHEDULER_KEYS)})",
                        )
                    try:
                        check_value(deck_key, deck_value)
                    except ValueError as exc:
                        raise fail(("decks", deck_id), deck_key, str(exc)) from None
                    limits[deck_key] = deck_value
                decks[deck_id] = DeckLimits(**limits)
        elif key in SCHEDULER_KEYS:
            try:
                values[key] = check_scheduler_value(key, value)
            except ValueError as exc:
                raise fail((), key, str(exc)) from None
        elif key in OVERRIDE_KEYS:
            try:
                check_value(key, value)
            except ValueError as exc:
                raise fail((), key, str(exc)) from None
            values[key] = value
        else:
            raise fail(
                (),
                key,
                f"unknown setting {key!r} "
                f"(expected {', '.join(OVERRIDE_KEYS + SCHEDULER_KEYS)}, "
                "[decks.ID], [keys] or [study])",
            )
    settings = Settings(**values, decks=decks)
    if tags:
        settings = replace(
            settings,
            tags=tags.get("tags", settings.tags),
            without_tags=tags.get("without_tags", settings.without_tags),
        )
    return UserConfig(settings, MappingProxyType(keys))


class _Locator:
    """Finds the line and column of a key in TOML text, for error messages.

    tomllib gives values without positions, so this scans the text: it follows `[table]` headers
    and finds `key =` lines (bare, quoted or dotted keys) in the right table. When it cannot tell,
    it answers the first line that mentions the key, or 1:1.
    """

    _HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
    _KEY_PART = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+))\s*')

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()

    def find(self, table: tuple[str, ...], key: str) -> tuple[int, int]:
        current: tuple[str, ...] = ()
        for number, line in enumerate(self._lines, start=1):
            header = self._HEADER.match(line)
            if header:
                current = self._split(header.group(1)) or ()
                if current == (*table, key):
                    return number, line.index("[") + 1
                continue
            name, sep, _ = line.partition("=")
            if not sep:
                continue
            parts = self._split(name)
            if parts and (*current, *parts)[: len(table) + 1] == (*table, key):
                return number, len(name) - len(name.lstrip()) + 1
        for number, line in enumerate(self._lines, start=1):
            column = line.find(key)
            if column >= 0:
                return number, column + 1
        return 1, 1

    def _split(self, dotted: str) -> tuple[str, ...] | None:
        parts: list[str] = []
        for piece in self._pieces(dotted):
            match = self._KEY_PART.fullmatch(piece)
            if match is None:
                return None
            parts.append(next(g for g in match.groups() if g is not None))
        return tuple(parts)

    @staticmethod
    def _pieces(dotted: str) -> list[str]:
        pieces, buf, quote = [], "", ""
        for char in dotted:
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == ".":
                pieces.append(buf)
                buf = ""
                continue
            buf += char
        pieces.append(buf)
        return pieces
