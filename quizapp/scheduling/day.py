"""What "today" means for studying: the local calendar day, starting at a rollover hour.

As in Anki, a study day does not end at midnight: with the default rollover hour of 4, an answer
at 01:30 local time still counts for the day before, so a late session is one day, not two.
The clock is never read here; callers pass `now` (aware, or naive meaning local time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

DEFAULT_ROLLOVER_HOUR = 4


def study_day(now: datetime, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> date:
    """The study day `now` belongs to.

    `now` is converted to the system's local time zone (a naive `now` is already local time);
    before `rollover_hour` o'clock local time it still belongs to the previous calendar day.
    """
    _check_hour(rollover_hour)
    if not isinstance(now, datetime):
        raise TypeError(f"now must be a datetime, not {now!r}")
    local = now.astimezone() if now.tzinfo is not None else now
    day = local.date()
    if local.hour < rollover_hour:
        day -= timedelta(days=1)
    return day


def day_start(day: date, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> datetime:
    """The instant (aware, in UTC) at which study day `day` begins in the local time zone.

    If the rollover hour does not exist that day (a DST gap), the local clock's answer for the
    missing hour is used, which is the instant the clocks jump.
    """
    _check_hour(rollover_hour)
    local = datetime.combine(day, time(rollover_hour)).astimezone()
    return local.astimezone(UTC)


def day_bounds(day: date, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> tuple[datetime, datetime]:
    """`(start, end)` in UTC of study day `day`: `start <= t < end` holds for its instants.

    Useful to count the answers of a day in a log of UTC timestamps. A day is 23 or 25 hours long
    across a DST change.
    """
    return day_start(day, rollover_hour), day_start(day + timedelta(days=1), rollover_hour)


def _check_hour(rollover_hour: int) -> None:
    if (
        not isinstance(rollover_hour, int)
        or isinstance(rollover_hour, bool)
        or not 0 <= rollover_hour <= 23
    ):
        raise ValueError(f"rollover_hour must be an int from 0 to 23, not {rollover_hour!r}")
