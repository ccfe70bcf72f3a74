"""One sitting: step-7 repeats, progress numbers, undo and bury; and a 90-day simulation."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun import freeze_time

from quizapp.scheduling.day import study_day
from quizapp.scheduling.queue import Answer, Bury, Candidate, StudySession, todays_queue
from quizapp.scheduling.settings import Settings
from quizapp.scheduling.sm2 import Sm2State, is_lapse, review

A = Candidate("d", "a", None, 0)
B = Candidate("d", "b", None, 1)
C = Candidate("d", "c#c1", None, 2)


def header(session: StudySession) -> tuple[int, int, int, int]:
    return (session.position, session.total, session.repeats_pending, session.answered)


def test_step_7_items_graded_below_4_come_back_until_graded_4_or_5() -> None:
    session = StudySession([A, B, C])
    assert session.current == A
    assert header(session) == (1, 3, 0, 0)
    assert session.answer(5) is False
    assert session.current == B
    assert header(session) == (2, 3, 0, 1)
    assert session.answer(2) is False  # B comes back after C
    assert session.remaining == (C, B)
    assert header(session) == (3, 4, 1, 2)
    assert session.answer(3) is False  # 3 is a pass for SM-2, but below 4: C comes back
    assert session.remaining == (B, C)
    assert header(session) == (4, 5, 2, 3)
    assert session.current_is_repeat
    assert session.answer(4) is True  # B's repeat: logged, SM-2 state untouched
    assert session.remaining == (C,)
    assert header(session) == (5, 5, 1, 4)
    assert session.answer(1) is True  # C again below 4: once more
    assert session.remaining == (C,)
    assert header(session) == (6, 6, 1, 5)
    assert session.answer(5) is True
    assert session.is_finished
    assert session.current is None
    assert not session.current_is_repeat
    assert header(session) == (6, 6, 0, 6)


def test_repeats_left_from_earlier_today_are_repeats_from_the_start() -> None:
    session = StudySession([A, B], repeats=[B])
    assert header(session) == (1, 2, 1, 0)
    assert session.answer(5) is False
    assert session.current_is_repeat
    assert session.answer(5) is True
    assert session.is_finished


def test_undo_restores_the_session_before_the_last_answer() -> None:
    session = StudySession([A, B, C])
    session.answer(5)
    session.answer(2)
    assert session.undo() == Answer(B, 2, repeat=False)
    assert session.current == B
    assert session.remaining == (B, C)
    assert header(session) == (2, 3, 0, 1)
    assert session.answer(4) is False  # still B's first answer of the day
    assert session.remaining == (C,)


def test_undo_of_a_repeat_answer() -> None:
    session = StudySession([A])
    session.answer(0)
    session.answer(2)
    assert session.undo() == Answer(A, 2, repeat=True)
    assert session.current_is_repeat
    assert header(session) == (2, 2, 1, 1)
    assert session.undo() == Answer(A, 0, repeat=False)
    assert header(session) == (1, 1, 0, 0)
    assert not session.current_is_repeat
    assert session.undo() is None
    assert not session.can_undo


def test_undo_after_finishing() -> None:
    session = StudySession([A])
    session.answer(5)
    assert session.is_finished
    assert session.undo() == Answer(A, 5, repeat=False)
    assert session.current == A


def test_bury_drops_the_current_item_for_the_session() -> None:
    session = StudySession([A, B, C])
    session.answer(1)  # A comes back at the end
    assert session.bury() == B
    assert session.remaining == (C, A)
    assert header(session) == (2, 3, 1, 1)
    session.answer(5)
    assert session.bury() == A  # a pending repeat can be buried too
    assert session.is_finished
    assert session.undo() == Bury(A)
    assert session.current == A
    assert session.undo() == Answer(C, 5, repeat=False)
    assert session.undo() == Bury(B)
    assert session.remaining == (B, C, A)


def test_discard_removes_an_item_for_good() -> None:
    session = StudySession([A, B, C])
    session.answer(5)
    session.discard()  # B, e.g. its card left the deck file
    assert session.remaining == (C,)
    assert session.undo() == Answer(A, 5, repeat=False)
    assert session.remaining == (A, C)  # B does not come back
    session.discard(C)
    assert session.remaining == (A,)
    assert session.undo() is None


def test_bad_grades_and_finished_sessions() -> None:
    session = StudySession([A])
    for bad in (6, -1, True, 4.0):
        with pytest.raises(ValueError):
            session.answer(bad)  # type: ignore[arg-type]
    assert header(session) == (1, 1, 0, 0)
    assert not session.can_undo
    session.answer(5)
    with pytest.raises(IndexError):
        session.answer(5)
    with pytest.raises(IndexError):
        session.bury()
    with pytest.raises(IndexError):
        session.discard()


def test_an_empty_session() -> None:
    session = StudySession([])
    assert session.is_finished
    assert header(session) == (0, 0, 0, 0)


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("berlin")
def test_90_day_simulation_with_fixed_grades() -> None:
    """Two new cards studied every day at noon for 90 days (across the March DST change).

    Each card's first answer of a day takes the next grade from its list; same-day repeats are
    graded 4 unless `repeat_grades` says otherwise. Expected intervals worked out by hand.
    """
    first_grades = {
        "alpha": [5, 4, 3, 2, 5, 5, 4, 5, 3],
        "beta": [0, 3, 5, 5, 5, 4, 1, 4, 4, 5, 5],
    }
    repeat_grades = {("beta", 0): [2, 5]}
    states = {"alpha": Sm2State(), "beta": Sm2State()}
    order = {"alpha": 0, "beta": 1}
    reviews: dict[str, list[tuple[int, int]]] = {"alpha": [], "beta": []}
    repeats: dict[str, list[tuple[int, int]]] = {"alpha": [], "beta": []}
    lapses = {"alpha": 0, "beta": 0}
    start = date(2026, 3, 1)

    with freeze_time("2026-03-01 12:00:00") as clock:
        for day in range(90):
            today = study_day(datetime.now(UTC))
            assert today == start + timedelta(days=day)
            candidates = [Candidate("d", i, s.due, order[i]) for i, s in states.items()]
            session = StudySession(todays_queue(candidates, today, Settings(), seed=day))
            while (item := session.current) is not None:
                name = item.item_id
                if session.current_is_repeat:
                    grade = repeat_grades.get((name, day), [4]).pop(0)
                    assert session.answer(grade) is True
                    repeats[name].append((day, grade))
                else:
                    grade = first_grades[name].pop(0)
                    assert session.answer(grade) is False
                    lapses[name] += is_lapse(states[name], grade)
                    states[name] = review(states[name], grade, today)
                    reviews[name].append((day, states[name].interval))
            clock.tick(timedelta(days=1))

    assert reviews["alpha"] == [
        (0, 1),  # q5: I(1); EF 2.6
        (1, 6),  # q4: I(2); EF 2.6
        (7, 16),  # q3: ceil(6 * 2.6) = ceil(15.6); EF 2.46; repeated that day
        (23, 1),  # q2: lapse, start again; EF 2.14; repeated that day
        (24, 1),  # q5: I(1); EF 2.24
        (25, 6),  # q5: I(2); EF 2.34
        (31, 15),  # q4: ceil(6 * 2.34) = ceil(14.04); EF 2.34
        (46, 36),  # q5: ceil(15 * 2.34) = ceil(35.1); EF 2.44
        (82, 88),  # q3: ceil(36 * 2.44) = ceil(87.84); EF 2.30; next due on day 170
    ]
    assert reviews["beta"] == [
        (0, 1),  # q0 (new, not a lapse): EF 1.7; repeats graded 2, then 5
        (1, 1),  # q3: I(1); EF 1.56; repeated
        (2, 6),  # q5: I(2); EF 1.66
        (8, 10),  # q5: ceil(6 * 1.66) = ceil(9.96); EF 1.76
        (18, 18),  # q5: ceil(10 * 1.76) = ceil(17.6); EF 1.86
        (36, 34),  # q4: ceil(18 * 1.86) = ceil(33.48); EF 1.86
        (70, 1),  # q1: lapse; EF 1.32; repeated
        (71, 1),  # q4: I(1); EF 1.32
        (72, 6),  # q4: I(2)
        (78, 8),  # q5: ceil(6 * 1.32) = ceil(7.92); EF 1.42
        (86, 12),  # q5: ceil(8 * 1.42) = ceil(11.36); EF 1.52; next due on day 98
    ]
    assert repeats == {
        "alpha": [(7, 4), (23, 4), (82, 4)],
        "beta": [(0, 2), (0, 5), (1, 4), (70, 4)],
    }
    assert lapses == {"alpha": 1, "beta": 1}
    assert states["alpha"] == Sm2State(5, 88, states["alpha"].easiness, start + timedelta(170))
    assert str(states["alpha"].easiness) == "2.30"
    assert states["beta"].due == start + timedelta(days=98)
    assert float(states["beta"].easiness) == 1.52
    assert first_grades == {"alpha": [], "beta": []}  # every scripted grade was used


def test_an_answer_takes_its_cloze_siblings_out_and_undo_puts_them_back() -> None:
    c1, c2, c3 = (Candidate("d", f"k#c{n}", None, 5) for n in (1, 2, 3))
    other = Candidate("d", "k2#c1", None, 6)
    session = StudySession([c1, A, c2, other, c3])
    assert session.answer(4) is False
    assert session.remaining == (A, other)
    session.undo()
    assert session.remaining == (c1, A, c2, other, c3)
    assert session.answer(1) is False  # graded below 4: c1 comes back, its siblings do not
    assert session.remaining == (A, other, c1)
    assert session.undo() == Answer(c1, 1, repeat=False, siblings=(c2, c3))


def test_a_sibling_waiting_for_its_repeat_is_not_taken_out() -> None:
    c1, c2 = (Candidate("d", f"k#c{n}", None, 5) for n in (1, 2))
    session = StudySession([c1, c2], repeats=[c2])
    session.answer(5)
    assert session.remaining == (c2,)
