"""The study day: local calendar day with a rollover hour, across midnight and DST changes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from quizapp.scheduling.day import day_bounds, day_start, study_day


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Europe/Berlin: CET (UTC+1), CEST (UTC+2) from 2026-03-29 to 2026-10-25."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.usefixtures("berlin")
@pytest.mark.parametrize(
    ("frozen", "expected"),
    [
        ("2026-01-14 22:59", date(2026, 1, 14)),  # 23:59 CET
        ("2026-01-14 23:00", date(2026, 1, 14)),  # 00:00 CET: midnight is not the rollover
        ("2026-01-15 00:30", date(2026, 1, 14)),  # 01:30 CET counts for the day before
        ("2026-01-15 02:59", date(2026, 1, 14)),  # 03:59 CET
        ("2026-01-15 03:00", date(2026, 1, 15)),  # 04:00 CET: the new study day
    ],
)
def test_across_midnight_and_the_rollover_hour(frozen: str, expected: date) -> None:
    with freeze_time(frozen):  # freezegun reads a naive string as UTC
        now = datetime.now(UTC)
        assert study_day(now) == expected


@pytest.mark.usefixtures("berlin")
@pytest.mark.parametrize(
    ("frozen", "expected"),
    [
        # Spring forward, 2026-03-29: 02:00 CET -> 03:00 CEST at 01:00 UTC.
        ("2026-03-28 02:30", date(2026, 3, 27)),  # 03:30 CET the day before: still 27th
        ("2026-03-28 03:00", date(2026, 3, 28)),  # 04:00 CET
        ("2026-03-29 00:59", date(2026, 3, 28)),  # 01:59 CET
        ("2026-03-29 01:00", date(2026, 3, 28)),  # 03:00 CEST: before 4:00, still the 28th
        ("2026-03-29 01:59", date(2026, 3, 28)),  # 03:59 CEST
        ("2026-03-29 02:00", date(2026, 3, 29)),  # 04:00 CEST: only one UTC hour after 03:00
        # Fall back, 2026-10-25: 03:00 CEST -> 02:00 CET at 01:00 UTC.
        ("2026-10-24 02:00", date(2026, 10, 24)),  # 04:00 CEST
        ("2026-10-25 00:30", date(2026, 10, 24)),  # 02:30 CEST
        ("2026-10-25 01:30", date(2026, 10, 24)),  # 02:30 CET, the second time
        ("2026-10-25 02:59", date(2026, 10, 24)),  # 03:59 CET
        ("2026-10-25 03:00", date(2026, 10, 25)),  # 04:00 CET: three UTC hours after 01:00
    ],
)
def test_across_dst_changes(frozen: str, expected: date) -> None:
    with freeze_time(frozen):
        assert study_day(datetime.now(UTC)) == expected


@pytest.mark.usefixtures("berlin")
def test_naive_now_is_local_time() -> None:
    assert study_day(datetime(2026, 3, 29, 1, 30)) == date(2026, 3, 28)
    assert study_day(datetime(2026, 3, 29, 4, 0)) == date(2026, 3, 29)
    assert study_day(datetime(2026, 3, 29, 3, 59, 59)) == date(2026, 3, 28)


@pytest.mark.usefixtures("berlin")
def test_aware_now_in_another_zone_is_converted_to_local() -> None:
    new_york = timezone(timedelta(hours=-5))
    # 20:30 in New York on Jan 14 = 01:30 UTC Jan 15 = 02:30 CET Jan 15 -> study day Jan 14
    assert study_day(datetime(2026, 1, 14, 20, 30, tzinfo=new_york)) == date(2026, 1, 14)
    # 22:30 New York = 03:30 UTC = 04:30 CET Jan 15
    assert study_day(datetime(2026, 1, 14, 22, 30, tzinfo=new_york)) == date(2026, 1, 15)


@pytest.mark.usefixtures("berlin")
def test_other_rollover_hours() -> None:
    now = utc(2026, 1, 14, 23, 30)  # 00:30 CET on Jan 15
    assert study_day(now, rollover_hour=0) == date(2026, 1, 15)
    assert study_day(now, rollover_hour=1) == date(2026, 1, 14)
    assert study_day(utc(2026, 1, 15, 21, 0), rollover_hour=23) == date(2026, 1, 14)  # 22:00
    assert study_day(utc(2026, 1, 15, 22, 0), rollover_hour=23) == date(2026, 1, 15)  # 23:00


@pytest.mark.parametrize("bad", [-1, 24, True, 4.0])
def test_bad_rollover_hour(bad: object) -> None:
    with pytest.raises(ValueError):
        study_day(utc(2026, 1, 1, 12), bad)  # type: ignore[arg-type]


@pytest.mark.usefixtures("berlin")
def test_day_bounds_follow_dst() -> None:
    assert day_start(date(2026, 1, 15)) == utc(2026, 1, 15, 3)  # 04:00 CET
    # 29 March: 04:00 CET on the 28th to 04:00 CEST on the 29th, a 23-hour day
    start, end = day_bounds(date(2026, 3, 28))
    assert (start, end) == (utc(2026, 3, 28, 3), utc(2026, 3, 29, 2))
    # 25 October: a 25-hour day
    start, end = day_bounds(date(2026, 10, 24))
    assert (start, end) == (utc(2026, 10, 24, 2), utc(2026, 10, 25, 3))
    assert end - start == timedelta(hours=25)
    # every instant in [start, end) is that study day, and end is the next one
    assert study_day(start) == study_day(end - timedelta(microseconds=1)) == date(2026, 10, 24)
    assert study_day(end) == date(2026, 10, 25)
