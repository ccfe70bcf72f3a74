"""The year simulation runs (small), and its learner and schedulers behave as documented."""

from __future__ import annotations

from benchmarks.fsrs_year import Card, optimizer_figures, simulate


def test_a_short_simulation_under_each_scheduler() -> None:
    kept: list[Card] = []
    outcomes = {s: simulate(s, 120, 120, 1, kept if s == "fsrs" else None) for s in ("sm2", "fsrs")}
    for outcome in outcomes.values():
        assert outcome.answers > outcome.reviews > 0
        assert 0.5 < outcome.recalled / outcome.reviews <= 1
        assert 0.5 < outcome.retention <= 1
    assert len(kept) == 120  # every card introduced and studied
    assert outcomes["sm2"] != outcomes["fsrs"]
    figures = optimizer_figures(kept)
    assert figures.train > 100 and figures.test > 0


def test_the_same_seed_gives_the_same_year() -> None:
    first, second = simulate("fsrs", 60, 60, 5), simulate("fsrs", 60, 60, 5)
    assert (first.answers, first.reviews, first.retention) == (
        second.answers,
        second.reviews,
        second.retention,
    )
