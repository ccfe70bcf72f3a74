"""The measuring machinery: percentiles, screen text, the pty runner, a child workload, the report.

A smoke test at most: no benchmark is run here, only tiny workloads of a few seconds.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from benchmarks.harness import (
    Figure,
    child_env,
    first_screen_in_pty,
    percentile,
    plain_text,
    quizapp_argv,
    run_child,
    run_command,
)
from benchmarks.history import History
from benchmarks.report import render


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([1.0], 90) == 1.0
    assert percentile([4.0, 1.0, 3.0, 2.0, 5.0], 50) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 90) == pytest.approx(9.1)
    with pytest.raises(ValueError):
        percentile([], 50)


def test_figure_summary() -> None:
    figure = Figure("x", samples=[0.3, 0.1, 0.2], rss_mb=[50.0, 70.0])
    assert figure.median == 0.2
    assert figure.p90 == pytest.approx(0.28)
    assert figure.as_dict()["peak_rss_mb"] == 70.0


def test_plain_text_drops_escape_sequences() -> None:
    raw = (
        b"\x1b[?1049h\x1b[1;1H\x1b[38;2;10;20;30mspace or enter: \x1b[0mshow the answer\x1b]0;t\x07"
    )
    assert plain_text(raw) == "space or enter: show the answer"


def test_first_screen_in_pty_sees_the_marker_and_the_peak_rss() -> None:
    code = "import time; print('loading'); time.sleep(0.2); print('\\x1b[1mready\\x1b[0m now')"
    seconds, rss = first_screen_in_pty([sys.executable, "-c", code], {}, ["ready now"], timeout=20)
    assert 0.2 <= seconds < 20
    assert rss > 1


def test_first_screen_in_pty_fails_loudly_without_the_marker() -> None:
    with pytest.raises(RuntimeError, match="no marker"):
        first_screen_in_pty([sys.executable, "-c", "print('nothing')"], {}, ["x-y-z"], timeout=5)


def test_run_command_gives_time_rss_and_output() -> None:
    seconds, rss, out = run_command([sys.executable, "-c", "print('hi')"], {})
    assert out == "hi\n" and seconds > 0 and rss > 1


def test_a_child_workload_on_the_tiny_history(tiny_history: History, tmp_path: Path) -> None:
    params = {"db": str(tiny_history.db), "today": "2026-03-10", "count": 3}
    result = run_child("summaries", params, child_env(tmp_path))
    assert len(result["times"]) == 3 and all(t > 0 for t in result["times"])
    assert result["extra"] == {"decks": 1}
    assert result["rss_mb"] > 10 and result["spawned"] > 0


def test_the_report_says_which_targets_are_met() -> None:
    def fig(name: str, median: float, rss: float = 60.0, **extra: object) -> dict:
        return {
            "name": name,
            "n": 5,
            "median": median,
            "p90": median,
            "peak_rss_mb": rss,
            "extra": extra,
        }

    facts = {
        "plan": {
            "quick": "False",
            "big_items": "100000",
            "big_reviews": "1000000",
            "small_items": "10000",
            "small_reviews": "100000",
            "deck_cards": "50000",
            "seed": "1",
            "today": str(date(2026, 3, 10)),
            "repeats": "5",
            "answers": "100",
        },
        "machine": {
            "nproc": "2",
            "cpu": "CPU",
            "ram": "4 GiB",
            "python": "3.11",
            "sqlite": "3.40",
            "sqlalchemy": "2",
            "textual": "8",
            "anki": "26",
            "os": "Linux",
        },
        "date": "2026-03-10 12:00 UTC",
        "command": "python -m benchmarks",
        "seconds": 300,
        "figures": {
            "answer_small": fig("One answer small", 0.0008),
            "answer_big": fig("One answer big", 0.0009, rss=160.0),
            "anki_answer_big": fig("Anki answer big", 0.0004),
            "sync_cold": fig("cold", 2.0, yaml_bytes=8_000_000),
        },
    }
    text = render(facts)
    assert "| one answer ≤ 1.0 ms median (at the big size) | 0.90 ms | yes |" in text
    assert "| one answer ≤ 1.5 × Anki's | 2.25 × | **no** |" in text
    assert "| one answer flat from the small to the big size (≤ 1.2 ×) | 1.12 × | yes |" in text
    assert "| cold sync ≥ 3 MB of YAML per second | 4.00 MB/s | yes |" in text
    assert "| peak RSS ≤ 150 MB at the big size | 160 MB | **no** |" in text
    assert "| warm sync ≤ 50 ms | not measured | – |" in text
    assert "| One answer + next card ready, big size | 0.90 ms | 0.40 ms | 2.25 × |" in text


def test_quizapp_commands_report_their_own_peak_rss(tmp_path: Path) -> None:
    env = child_env(tmp_path)
    _, rss, out = run_command(quizapp_argv("--version"), env)
    assert out.startswith("quizapp, version ")
    assert 10 < rss < 200  # the command's own VmHWM, not this test process's
    assert list((tmp_path / "cache").glob("rss-*")) == []
