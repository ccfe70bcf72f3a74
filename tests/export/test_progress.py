"""--with-progress: SM-2 state becomes Anki scheduling, the review log Anki's revlog."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from anki.collection import Collection

from quizapp.export.builder import note_guid
from quizapp.export.schedule import (
    EASE_FOR_GRADE,
    anki_due,
    anki_factor,
    card_ord,
    epoch_ms,
)
from quizapp.scheduling.day import study_day
from quizapp.scheduling.sm2 import Sm2State
from quizapp.storage.repository import ItemProgress, ReviewRecord

from .samples import export, import_package, networking_deck

DECK = "docker-networking"


def item(
    item_id: str,
    due: date | None,
    *,
    repetitions: int = 2,
    interval: int = 6,
    easiness: str = "2.5",
    lapses: int = 0,
    reviews: int = 2,
    last_review: datetime | None = None,
) -> ItemProgress:
    return ItemProgress(
        deck_id=DECK,
        item_id=item_id,
        card_id=item_id.partition("#")[0],
        repetitions=repetitions,
        interval=interval,
        easiness=Decimal(easiness),
        due=due,
        lapses=lapses,
        reviews=reviews,
        last_review=last_review,
    )


def answer(
    review_id: int,
    item_id: str,
    at: datetime,
    grade: int,
    before: Sm2State,
    after: Sm2State,
    *,
    kind: str = "study",
    repeat: bool = False,
    duration_ms: int = 4200,
) -> ReviewRecord:
    return ReviewRecord(
        id=review_id,
        deck_id=DECK,
        item_id=item_id,
        card_id=item_id.partition("#")[0],
        reviewed_at=at,
        day=at.date(),
        grade=grade,
        typed_answer=None,
        correct=None,
        duration_ms=duration_ms,
        before=before,
        after=after,
        lapses_before=0,
        lapses_after=0,
        session_kind=kind,
        repeat=repeat,
    )


def _card(col: Collection, card_id: str, ord_: int) -> object:
    guid = note_guid(DECK, card_id)
    (note_id,) = col.db.list("SELECT id FROM notes WHERE guid = ?", guid)
    (card,) = [c for c in col.get_note(note_id).cards() if c.ord == ord_]
    return card


@pytest.mark.parametrize(("grade", "ease"), [(0, 1), (1, 1), (2, 1), (3, 2), (4, 3), (5, 4)])
def test_grade_to_anki_ease(grade: int, ease: int) -> None:
    assert EASE_FOR_GRADE[grade] == ease


def test_small_mappings() -> None:
    assert card_ord("bridge") == 0
    assert card_ord("overlay#c1") == 0
    assert card_ord("overlay#c3") == 2
    assert anki_factor(Decimal("2.36")) == 2360
    assert anki_factor(Decimal("1.3")) == 1300
    assert anki_due(date(2014, 9, 19)) == 0
    assert anki_due(date(2026, 11, 28)) == 4453
    assert epoch_ms(datetime(2026, 11, 1, 9, 30, 0, 123999, tzinfo=UTC)) == 1793525400123
    assert epoch_ms(datetime(2026, 11, 1, 9, 30, 0, 123999)) == 1793525400123


def _next_hour() -> int:
    return (datetime.now().astimezone().hour + 1) % 24


@pytest.mark.parametrize("rollover", [4, None], ids=["rollover-4", "rollover-next-hour"])
def test_scheduling_arrives_in_anki(
    tmp_path: Path, collection: Collection, rollover: int | None
) -> None:
    # With the learner's rollover one hour ahead, "now" falls before it: the study day is
    # yesterday's, and Anki must still land each card on the same calendar day.
    rollover_hour = _next_hour() if rollover is None else rollover
    today = study_day(datetime.now(UTC), rollover_hour)
    progress = [
        item(
            "bridge-default",
            today + timedelta(days=5),
            interval=6,
            easiness="2.36",
            lapses=1,
            reviews=3,
        ),
        item("overlay-encrypt#c2", today - timedelta(days=2), interval=15, reviews=4),
        item("overlay-encrypt#c1", None, repetitions=0, interval=0, reviews=1),
        item("network-inspect", today, repetitions=1, interval=1, easiness="1.3", reviews=1),
        item("gone-card", today, reviews=1),  # no longer in the deck: ignored
        item("overlay-encrypt#c7", today, reviews=1),  # deletion no longer in the text
    ]
    apkg = export(tmp_path, [networking_deck()], progress=progress, rollover_hour=rollover_hour)
    import_package(collection, apkg, with_scheduling=True)
    sched_today = collection.sched.today

    bridge = _card(collection, "bridge-default", 0)
    assert (bridge.type, bridge.queue) == (2, 2)
    assert (bridge.ivl, bridge.factor, bridge.reps, bridge.lapses) == (6, 2360, 3, 1)
    assert bridge.due - sched_today == 5

    c2 = _card(collection, "overlay-encrypt", 1)
    assert (c2.type, c2.queue, c2.ivl, c2.factor, c2.reps, c2.lapses) == (2, 2, 15, 2500, 4, 0)
    assert c2.due - sched_today == -2

    inspect = _card(collection, "network-inspect", 0)
    assert (inspect.ivl, inspect.factor, inspect.reps, inspect.due - sched_today) == (
        1,
        1300,
        1,
        0,
    )

    for card_id, ord_ in (("overlay-encrypt", 0), ("swarm-consensus", 0)):
        new = _card(collection, card_id, ord_)
        assert (new.type, new.queue, new.ivl, new.reps) == (0, 0, 0, 0)

    assert collection.card_count() == 5
    if rollover == 4:  # Anki's day and quizapp's agree: Anki's searches see the same days
        assert len(collection.find_cards("is:due")) == 2  # overdue c2, and inspect due today
        assert len(collection.find_cards("prop:due=5")) == 1


def test_review_cards_carry_their_last_review_time(tmp_path: Path, collection: Collection) -> None:
    """Anki keeps a review card's last review time in its data ("lrt"): without it, Anki's
    Check Database changed every imported review card ("Added last review time to N cards")."""
    today = study_day(datetime.now(UTC), 4)
    reviewed = datetime(2026, 11, 30, 8, 15, 42, tzinfo=UTC)
    progress = [
        item("bridge-default", today + timedelta(days=5), last_review=reviewed),
        item(
            "network-inspect", today, last_review=reviewed.replace(tzinfo=None) + timedelta(hours=1)
        ),
    ]
    apkg = export(tmp_path, [networking_deck()], progress=progress, rollover_hour=4)
    import_package(collection, apkg, with_scheduling=True)
    bridge = _card(collection, "bridge-default", 0)
    inspect = _card(collection, "network-inspect", 0)
    assert bridge.last_review_time == int(reviewed.timestamp())
    assert inspect.last_review_time == int(reviewed.timestamp()) + 3600  # naive is UTC
    message, _ = collection.fix_integrity()
    assert "last review time" not in message


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"])
def test_due_dates_hold_in_other_time_zones(zone: str) -> None:
    """Anki and quizapp both count days in local time: run the check under far-off zones."""
    test = f"{__file__}::test_scheduling_arrives_in_anki"
    env = {**os.environ, "TZ": zone, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-W", "ignore", test],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]


def test_review_log_becomes_revlog(tmp_path: Path, collection: Collection) -> None:
    today = study_day(datetime.now(UTC), 4)
    start = datetime(2026, 11, 1, 9, 30, 0, 123000, tzinfo=UTC)
    new = Sm2State()
    one = Sm2State(1, 1, Decimal("2.6"), today)
    lapsed = Sm2State(0, 1, Decimal("2.06"), today)
    relearned = Sm2State(1, 1, Decimal("1.92"), today)
    six = Sm2State(2, 6, Decimal("2.02"), today)
    reviews = [
        answer(1, "bridge-default", start, 5, new, one),
        answer(2, "bridge-default", start + timedelta(days=1), 1, one, lapsed),
        answer(
            3,
            "bridge-default",
            start + timedelta(days=1, minutes=3),
            4,
            lapsed,
            lapsed,
            repeat=True,
        ),
        answer(4, "bridge-default", start + timedelta(days=2), 3, lapsed, relearned),
        answer(
            5, "bridge-default", start + timedelta(days=3), 4, relearned, six, duration_ms=65000
        ),
        answer(6, "bridge-default", start + timedelta(days=4), 5, six, six, kind="quiz"),
        # Two answers in the same millisecond still get distinct revlog ids.
        answer(7, "overlay-encrypt#c2", start, 4, new, one),
        answer(8, "gone-card", start, 4, new, one),
    ]
    progress = [
        item(
            "bridge-default",
            today + timedelta(days=6),
            interval=6,
            easiness="2.02",
            lapses=1,
            reviews=6,
        ),
        item(
            "overlay-encrypt#c2",
            today + timedelta(days=1),
            repetitions=1,
            interval=1,
            easiness="2.6",
            reviews=1,
        ),
    ]
    apkg = export(tmp_path, [networking_deck()], progress=progress, reviews=reviews)
    import_package(collection, apkg, with_scheduling=True)

    bridge = _card(collection, "bridge-default", 0).id
    c2 = _card(collection, "overlay-encrypt", 1).id
    ms = 1793525400123
    day = 86_400_000
    rows = collection.db.all(
        "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
    )
    assert rows == [
        [ms, bridge, 4, 1, 0, 2600, 4200, 0],
        [ms + 1, c2, 3, 1, 0, 2600, 4200, 0],
        [ms + day, bridge, 1, 1, 1, 2060, 4200, 1],
        [ms + day + 180_000, bridge, 3, 1, 1, 2060, 4200, 3],
        [ms + 2 * day, bridge, 2, 1, 1, 1920, 4200, 2],
        [ms + 3 * day, bridge, 3, 6, 1, 2020, 65000, 1],
        [ms + 4 * day, bridge, 4, 6, 6, 2020, 4200, 3],
    ]


def test_without_scheduling_anki_keeps_everything_new(
    tmp_path: Path, collection: Collection
) -> None:
    today = study_day(datetime.now(UTC), 4)
    start = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    apkg = export(
        tmp_path,
        [networking_deck()],
        progress=[item("bridge-default", today + timedelta(days=5))],
        reviews=[
            answer(1, "bridge-default", start, 5, Sm2State(), Sm2State(1, 1, Decimal("2.6"), today))
        ],
    )
    import_package(collection, apkg, with_scheduling=False)
    card = _card(collection, "bridge-default", 0)
    assert (card.type, card.queue, card.ivl) == (0, 0, 0)
    assert collection.db.scalar("SELECT COUNT(*) FROM revlog") == 0
