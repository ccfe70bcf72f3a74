"""RESULTS.md from a run's facts: the machine, the figures, the ratios to Anki, the targets.

Pure formatting over the JSON the runner saves, so a report can be re-rendered from
`results.json` (`python -m benchmarks.report results.json`) without measuring again.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Figures = dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Target:
    text: str
    check: Callable[[Figures], tuple[str, bool] | None]
    """The measured value as text and whether it meets the target; None when not measured."""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _time(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def _median(figures: Figures, key: str) -> float | None:
    figure = figures.get(key)
    return None if figure is None else figure["median"]


def _ratio(figures: Figures, ours: str, theirs: str) -> float | None:
    a, b = _median(figures, ours), _median(figures, theirs)
    return None if a is None or not b else a / b


def _at_most(key: str, limit: float) -> Callable[[Figures], tuple[str, bool] | None]:
    def check(figures: Figures) -> tuple[str, bool] | None:
        value = _median(figures, key)
        return None if value is None else (_time(value), value <= limit)

    return check


def _ratio_at_most(
    ours: str, theirs: str, limit: float
) -> Callable[[Figures], tuple[str, bool] | None]:
    def check(figures: Figures) -> tuple[str, bool] | None:
        value = _ratio(figures, ours, theirs)
        return None if value is None else (f"{value:.2f} ×", value <= limit)

    return check


def _throughput(figures: Figures) -> tuple[str, bool] | None:
    figure = figures.get("sync_cold")
    if figure is None or "yaml_bytes" not in figure["extra"]:
        return None
    rate = figure["extra"]["yaml_bytes"] / figure["median"] / 1e6
    return f"{rate:.2f} MB/s", rate >= 3


def _rss(figures: Figures) -> tuple[str, bool] | None:
    keys = ("first_card_headless", "first_card_pty", "answer_big", "summaries")
    values = [figures[k]["peak_rss_mb"] for k in keys if k in figures]
    if not values:
        return None
    worst = max(values)
    return f"{worst:.0f} MB", worst <= 150


TARGETS = (
    Target("one answer ≤ 1.0 ms median (at the big size)", _at_most("answer_big", 0.001)),
    Target("one answer ≤ 1.5 × Anki's", _ratio_at_most("answer_big", "anki_answer_big", 1.5)),
    Target(
        "one answer flat from the small to the big size (≤ 1.2 ×)",
        _ratio_at_most("answer_big", "answer_small", 1.2),
    ),
    Target("first card on screen ≤ 0.6 s, headless", _at_most("first_card_headless", 0.6)),
    Target("first card on screen ≤ 0.6 s, in a pty", _at_most("first_card_pty", 0.6)),
    Target("warm sync ≤ 50 ms", _at_most("sync_warm", 0.05)),
    Target("cold sync ≥ 3 MB of YAML per second", _throughput),
    Target("export ≤ 2 s (deck cache warm)", _at_most("export", 2.0)),
    Target("export ≤ 2 s (deck cache empty)", _at_most("export_cold", 2.0)),
    Target("peak RSS ≤ 150 MB at the big size", _rss),
)

RATIOS = (
    ("One answer + next card ready, small size", "answer_small", "anki_answer_small"),
    ("One answer + next card ready, big size", "answer_big", "anki_answer_big"),
    ("Per-deck counts (deck_summaries / deck_due_tree)", "summaries", "anki_tree"),
    ("Open (load decks, open, warm sync / Collection())", "open_app_data", "anki_open"),
    ("Bring the decks in (our cold sync / Anki's import of our .apkg)", "sync_cold", "anki_import"),
)


def render(facts: dict[str, Any], notes: str = "") -> str:
    """The Markdown report; `notes` (Markdown, written by hand) is added at the end."""
    return _render(facts) + ("\n" + notes.strip() + "\n" if notes.strip() else "")


def _render(facts: dict[str, Any]) -> str:
    figures: Figures = facts["figures"]
    plan = facts["plan"]
    box = facts["machine"]
    lines = [
        "# Benchmarks: quizapp at scale, side by side with Anki",
        "",
        f"Run on {facts['date']}, `{facts['command']}` from the repository root, "
        f"{facts['seconds']:.0f} s in all (data built in earlier runs is reused)"
        + (f", code at commit {facts['commit']}." if facts.get("commit") else "."),
        "",
        "Rerun: `python -m benchmarks` (the first run also builds the data: about 6 more "
        "minutes; later runs take about 5), `python -m benchmarks --quick` (small data, under "
        "a minute), `python -m benchmarks --only answers --repeats 9` (some figures again; "
        "the others are kept). `python -m benchmarks.report results.json benchmarks/notes.md` "
        "renders this file again from a run's saved figures.",
    ]
    if plan["quick"] == "True":
        lines += ["", "**Quick run: small data, not the sizes the targets are set for.**"]
    lines += [
        "",
        "## Machine",
        "",
        f"- {box['nproc']} CPUs: {box['cpu']}; RAM {box['ram']}",
        f"- Python {box['python']}, SQLite {box['sqlite']}, SQLAlchemy {box['sqlalchemy']}, "
        f"Textual {box['textual']}, anki {box['anki']}",
        f"- {box['os']}",
        "- 1-minute load average before and after each group of workloads: "
        + ", ".join(str(load) for load in facts.get("load", []))
        + " (other work on the machine inflates the figures; compare ratios run to run)",
        "",
        "## Data",
        "",
        f"- big: {plan['big_items']} cards (Anki's sense: a cloze with two deletions is two) "
        f"with {plan['big_reviews']} reviews over two years; small: {plan['small_items']} "
        f"cards with {plan['small_reviews']} reviews; the same cards and history imported into "
        "Anki collections through `quizapp export anki --with-progress`.",
        f"- sync, export and validate: {plan['deck_cards']} new deck cards of every kind, "
        "in files of 5,000 cards.",
        f"- seed {plan['seed']}, study day {plan['today']}; every figure from "
        f"{plan['repeats']} fresh processes (answers: {plan['answers']} per process).",
        "",
        "## Figures",
        "",
        "| what | median | p90 | samples | peak RSS |",
        "|---|---:|---:|---:|---:|",
    ]
    for figure in figures.values():
        lines.append(
            f"| {figure['name']} | {_time(figure['median'])} | {_time(figure['p90'])} | "
            f"{figure['n']} | {figure['peak_rss_mb']:.0f} MB |"
        )
    lines += [
        "",
        "## quizapp / Anki",
        "",
        "| workload | quizapp | Anki | ratio |",
        "|---|---:|---:|---:|",
    ]
    for label, ours, theirs in RATIOS:
        a, b = _median(figures, ours), _median(figures, theirs)
        if a is None or b is None:
            continue
        lines.append(f"| {label} | {_time(a)} | {_time(b)} | {a / b:.2f} × |")
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---:|:---:|"]
    for target in TARGETS:
        result = target.check(figures)
        if result is None:
            lines.append(f"| {target.text} | not measured | – |")
        else:
            value, met = result
            lines.append(f"| {target.text} | {value} | {'yes' if met else '**no**'} |")
    lines.append("")
    return "\n".join(lines)


NOTES = Path(__file__).with_name("notes.md")
"""Hand-written reading of the figures, added to every full run's RESULTS.md."""


if __name__ == "__main__":
    notes = Path(sys.argv[2]).read_text() if len(sys.argv) > 2 else ""
    sys.stdout.write(render(json.loads(Path(sys.argv[1]).read_text()), notes))
