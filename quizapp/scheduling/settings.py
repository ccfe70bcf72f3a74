"""Study settings: daily limits, the rollover hour and per-deck overrides.

They come from a TOML file in the user config dir (`quizapp.paths.config_file()`), and the
command-line flags (`--new-limit`, `--review-limit`, `--rollover-hour`) beat the file. Mistakes
in the file are reported as `FILE:LINE:COLUMN: message`, never as a traceback.

```toml
new_per_day = 20        # new cards a deck a day
reviews_per_day = 200   # answers a day in all (new cards count too)
rollover_hour = 4       # a study day starts at 4:00 local time

scheduler = "sm2"       # or "fsrs" (see docs/scheduling.md)
desired_retention = 0.9 # what FSRS aims at (0.7-0.99)

[decks.docker-swarm]    # overrides for the deck with id docker-swarm
new_per_day = 10
reviews_per_day = 50
scheduler = "fsrs"

[study]
without_tags = ["beyond-notes"]   # leave cards with these tags out of study
tags = []                         # or study only cards with one of these tags
```

`--tag` / `--without-tag` on the command line replace both `[study]` lists.
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
from quizapp.scheduling.tags import TagFilter
from quizapp.textsafe import shown, visible

DEFAULT_NEW_PER_DAY = 20
DEFAULT_REVIEWS_PER_DAY = 200
DEFAULT_ROLLOVER_HOUR = 4

_LIMIT_KEYS = ("new_per_day", "reviews_per_day")
OVERRIDE_KEYS = ("new_per_day", "reviews_per_day", "rollover_hour")
"""The keys `load_settings` accepts in `overrides` (what `AppContext.overrides` holds)."""
SCHEDULERS = ("sm2", "fsrs")
DEFAULT_SCHEDULER = "sm2"
DEFAULT_DESIRED_RETENTION = 0.9
MIN_RETENTION, MAX_RETENTION = 0.7, 0.99
"""The desired retentions accepted: Anki's range (above 0.95 the reviews grow fast)."""
SCHEDULER_KEYS = ("scheduler", "desired_retention")
"""Keys set globally or per deck that choose and tune the scheduler."""
TAG_KEYS = ("tags", "without_tags")
"""The `[study]` keys, also accepted in `overrides` (tuples of tags): given there, both
replace the file's (`--tag X` studies X even if the file leaves X out)."""


@dataclass(frozen=True, slots=True)
class DeckLimits:
    """One deck's overrides; None keeps the global value."""

    new_per_day: int | None = None
    reviews_per_day: int | None = None
    scheduler: str | None = None
    desired_retention: float | None = None

    def __post_init__(self) -> None:
        for key in _LIMIT_KEYS:
            value = getattr(self, key)
            if value is not None:
                _check_value(key, value)
        for key in SCHEDULER_KEYS:
            value = getattr(self, key)
            if value is not None:
                object.__setattr__(self, key, _check_scheduler_value(key, value))


@dataclass(frozen=True)
class Settings:
    """The limits and the study-day rollover hour in effect."""

    new_per_day: int = DEFAULT_NEW_PER_DAY
    """New cards introduced a day, in each deck."""
    reviews_per_day: int = DEFAULT_REVIEWS_PER_DAY
    """Answers a day in all decks together (due reviews and new cards; not same-day repeats)."""
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR
    """Local hour (0-23) at which a new study day starts."""
    decks: Mapping[str, DeckLimits] = field(default_factory=dict)
    """Per-deck overrides, by deck id."""
    keys: Mapping[str, str] = field(default_factory=dict)
    """The study app's keymap: binding id -> keys, e.g. {"study.bury": "x"} (`[keys]`)."""
    tags: tuple[str, ...] = ()
    """Study only cards with one of these tags (`[study] tags`, `--tag`); empty: all."""
    without_tags: tuple[str, ...] = ()
    """Leave cards with any of these tags out of study (`[study] without_tags`)."""
    scheduler: str = DEFAULT_SCHEDULER
    """"sm2" or "fsrs": the scheduler of decks that do not choose their own."""
    desired_retention: float = DEFAULT_DESIRED_RETENTION
    """The recall probability FSRS schedules for, for decks that do not set their own."""
    sync_url: str | None = None
    """`[sync] url`: the remote `quizapp sync` exchanges progress with (storage.device_sync)."""
    sync_auto: bool = False
    """`[sync] auto`: the study app syncs in the background at start and at quit."""

    def __post_init__(self) -> None:
        for key in OVERRIDE_KEYS:
            _check_value(key, getattr(self, key))
        for key in SCHEDULER_KEYS:
            object.__setattr__(self, key, _check_scheduler_value(key, getattr(self, key)))
        object.__setattr__(self, "decks", MappingProxyType(dict(self.decks)))
        object.__setattr__(self, "keys", MappingProxyType(dict(self.keys)))

    def __hash__(self) -> int:
        decks = tuple(sorted(self.decks.items()))
        keys = tuple(sorted(self.keys.items()))
        return hash(
            (
                self.new_per_day,
                self.reviews_per_day,
                self.rollover_hour,
                decks,
                keys,
                self.tags,
                self.without_tags,
                self.scheduler,
                self.desired_retention,
            )
        )

    @property
    def tag_filter(self) -> TagFilter:
        """Which cards study, the counts and quizzes may pick (`scheduling.tags`)."""
        return TagFilter(self.tags, self.without_tags)

    def scheduler_for(self, deck_id: str) -> str:
        """ "sm2" or "fsrs": the deck's own choice, else the global `scheduler`."""
        limits = self.decks.get(deck_id)
        if limits is not None and limits.scheduler is not None:
            return limits.scheduler
        return self.scheduler

    def retention_for(self, deck_id: str) -> float:
        """FSRS's desired retention for the deck: its own, else the global one."""
        limits = self.decks.get(deck_id)
        if limits is not None and limits.desired_retention is not None:
            return limits.desired_retention
        return self.desired_retention

    def new_limit(self, deck_id: str) -> int:
        """New cards a day for this deck: its override, else `new_per_day`."""
        limits = self.decks.get(deck_id)
        if limits is not None and limits.new_per_day is not None:
            return limits.new_per_day
        return self.new_per_day

    def review_limit(self, deck_id: str | None = None) -> int:
        """Answers a day: for one deck, its override, else the global `reviews_per_day`.

        A deck's own limit caps that deck; the global limit always caps all decks together.
        """
        limits = self.decks.get(deck_id) if deck_id is not None else None
        if limits is not None and limits.reviews_per_day is not None:
            return limits.reviews_per_day
        return self.reviews_per_day


def load_settings(path: Path | None = None, overrides: Mapping[str, Any] = {}) -> Settings:
    """Settings from the TOML file at `path` (None: the user config file), then `overrides`.

    A missing file gives the defaults. A command-line override beats the file everywhere: a
    `new_per_day` or `reviews_per_day` override also replaces that limit in every deck's
    overrides. Raises QuizappError (with `FILE:LINE:COLUMN:`) for invalid TOML, unknown keys or
    bad values; ValueError for an override key that is not one of OVERRIDE_KEYS.
    """
    if path is None:
        # platformdirs is the one non-stdlib import, and only needed here.
        from quizapp.paths import config_file

        path = config_file()
    settings = _read_file(Path(path))
    return apply_overrides(settings, overrides)


def apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """`settings` with the command-line `overrides` applied (see `load_settings`)."""
    unknown = sorted(set(overrides) - set(OVERRIDE_KEYS) - set(TAG_KEYS))
    if unknown:
        raise ValueError(f"unknown setting override(s): {', '.join(unknown)}")
    overrides = dict(overrides)
    if any(key in overrides for key in TAG_KEYS):
        tags = {key: tuple(overrides.pop(key, ())) for key in TAG_KEYS}
        for key, given in tags.items():
            bad = next((tag for tag in given if not _is_tag(tag)), None)
            if bad is not None:
                flag = "tag" if key == "tags" else "without-tag"
                raise QuizappError(f"--{flag}: {shown(bad)} is not a tag (a word, no spaces)")
        settings = replace(settings, **tags)
    for key, value in overrides.items():
        try:
            _check_value(key, value)
        except ValueError as exc:
            raise QuizappError(f"--{_flag(key)}: {exc}") from None
    decks = dict(settings.decks)
    for key in _LIMIT_KEYS:
        if key in overrides:
            decks = {deck_id: replace(limits, **{key: None}) for deck_id, limits in decks.items()}
    return replace(settings, **dict(overrides), decks=decks)


def _flag(key: str) -> str:
    return {"new_per_day": "new-limit", "reviews_per_day": "review-limit"}.get(
        key, key.replace("_", "-")
    )


def _is_tag(tag: object) -> bool:
    return isinstance(tag, str) and bool(tag) and not any(c.isspace() for c in tag)


def _check_value(key: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{key} must be a whole number, not {value!r}")
    if key == "rollover_hour":
        if not 0 <= value <= 23:
            raise ValueError(f"rollover_hour must be from 0 to 23, not {value}")
    elif value < 0:
        raise ValueError(f"{key} must be 0 or more, not {value}")


def _check_scheduler_value(key: str, value: object) -> Any:
    """`value` checked for `scheduler` or `desired_retention` (an int retention becomes a float);
    ValueError with the reason otherwise."""
    if key == "scheduler":
        if value not in SCHEDULERS:
            raise ValueError(f'scheduler must be "sm2" or "fsrs", not {value!r}')
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"desired_retention must be a number like 0.9, not {value!r}")
    if not MIN_RETENTION <= value <= MAX_RETENTION:
        raise ValueError(
            f"desired_retention must be from {MIN_RETENTION} to {MAX_RETENTION}, not {value}"
        )
    return float(value)


MAX_SETTINGS_BYTES = 1_000_000
"""A settings file is a few lines; anything bigger is not one (a link to /dev/zero)."""

_KEY = re.compile(
    r"(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*(?:[a-z][a-z0-9_]*|[^\s\x00-\x1f\x7f-\x9f])"
)
"""One key as Textual names it: `x`, `X`, `?`, `f5`, `escape`, `ctrl+b`, `shift+tab`."""


def _read_file(path: Path) -> Settings:
    try:
        raw = read_capped(path, MAX_SETTINGS_BYTES, "a settings file")
    except FileNotFoundError:
        return Settings()
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


def _parse(path: Path, where: _Locator, data: dict[str, Any]) -> Settings:
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
                if not isinstance(tag_list, list) or not all(_is_tag(t) for t in tag_list):
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
                            limits[deck_key] = _check_scheduler_value(deck_key, deck_value)
                        except ValueError as exc:
                            raise fail(("decks", deck_id), deck_key, str(exc)) from None
                        continue
                    if deck_key not in _LIMIT_KEYS:
                        raise fail(
                            ("decks", deck_id),
                            deck_key,
                            f"unknown setting {deck_key!r} for deck {deck_id!r} "
                            f"(a deck can set {', '.join(_LIMIT_KEYS + SCHEDULER_KEYS)})",
                        )
                    try:
                        _check_value(deck_key, deck_value)
                    except ValueError as exc:
                        raise fail(("decks", deck_id), deck_key, str(exc)) from None
                    limits[deck_key] = deck_value
                decks[deck_id] = DeckLimits(**limits)
        elif key in SCHEDULER_KEYS:
            try:
                values[key] = _check_scheduler_value(key, value)
            except ValueError as exc:
                raise fail((), key, str(exc)) from None
        elif key in OVERRIDE_KEYS:
            try:
                _check_value(key, value)
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
    return Settings(**values, decks=decks, keys=keys, **tags)


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
