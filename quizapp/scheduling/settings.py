"""Study settings: daily limits, the rollover hour and per-deck overrides (pure values).

`Settings` is what the scheduler and the queries need; where the values come from is the
layer above: `quizapp.config` reads them from the user's TOML file and applies the
command-line flags (`--new-limit`, `--review-limit`, `--rollover-hour`) through
`apply_overrides`. The file looks like this:

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

`--tag` / `--without-tag` on the command line replace both `[study]` lists. The `[keys]`
table (the study app's keymap) is the app's own: `quizapp.tui.keymap`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from quizapp.errors import QuizappError
from quizapp.scheduling.day import DEFAULT_ROLLOVER_HOUR
from quizapp.scheduling.tags import TagFilter
from quizapp.textsafe import shown

DEFAULT_NEW_PER_DAY = 20
DEFAULT_REVIEWS_PER_DAY = 200

LIMIT_KEYS = ("new_per_day", "reviews_per_day")
OVERRIDE_KEYS = ("new_per_day", "reviews_per_day", "rollover_hour")
"""The keys `apply_overrides` accepts in `overrides` (what `AppContext.overrides` holds)."""
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
        for key in LIMIT_KEYS:
            value = getattr(self, key)
            if value is not None:
                check_value(key, value)
        for key in SCHEDULER_KEYS:
            value = getattr(self, key)
            if value is not None:
                object.__setattr__(self, key, check_scheduler_value(key, value))


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
            check_value(key, getattr(self, key))
        for key in SCHEDULER_KEYS:
            object.__setattr__(self, key, check_scheduler_value(key, getattr(self, key)))
        object.__setattr__(self, "decks", MappingProxyType(dict(self.decks)))

    def __hash__(self) -> int:
        decks = tuple(sorted(self.decks.items()))
        return hash(
            (
                self.new_per_day,
                self.reviews_per_day,
                self.rollover_hour,
                decks,
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


def apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """`settings` with the command-line `overrides` applied.

    A command-line override beats the file everywhere: a `new_per_day` or `reviews_per_day`
    override also replaces that limit in every deck's overrides. Raises QuizappError for a bad
    value; ValueError for a key that is not one of OVERRIDE_KEYS or TAG_KEYS.
    """
    unknown = sorted(set(overrides) - set(OVERRIDE_KEYS) - set(TAG_KEYS))
    if unknown:
        raise ValueError(f"unknown setting override(s): {', '.join(unknown)}")
    overrides = dict(overrides)
    if any(key in overrides for key in TAG_KEYS):
        tags = {key: tuple(overrides.pop(key, ())) for key in TAG_KEYS}
        for key, given in tags.items():
            bad = next((tag for tag in given if not is_tag(tag)), None)
            if bad is not None:
                flag = "tag" if key == "tags" else "without-tag"
                raise QuizappError(f"--{flag}: {shown(bad)} is not a tag (a word, no spaces)")
        settings = replace(settings, tags=tags["tags"], without_tags=tags["without_tags"])
    for key, value in overrides.items():
        try:
            check_value(key, value)
        except ValueError as exc:
            raise QuizappError(f"--{_flag(key)}: {exc}") from None
    decks = dict(settings.decks)
    for key in LIMIT_KEYS:
        if key in overrides:
            decks = {deck_id: replace(limits, **{key: None}) for deck_id, limits in decks.items()}
    return replace(settings, **dict(overrides), decks=decks)


def _flag(key: str) -> str:
    return {"new_per_day": "new-limit", "reviews_per_day": "review-limit"}.get(
        key, key.replace("_", "-")
    )


def is_tag(tag: object) -> bool:
    return isinstance(tag, str) and bool(tag) and not any(c.isspace() for c in tag)


def check_value(key: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{key} must be a whole number, not {value!r}")
    if key == "rollover_hour":
        if not 0 <= value <= 23:
            raise ValueError(f"rollover_hour must be from 0 to 23, not {value}")
    elif value < 0:
        raise ValueError(f"{key} must be 0 or more, not {value}")


def check_scheduler_value(key: str, value: object) -> Any:
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
