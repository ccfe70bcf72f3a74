"""`python -m benchmarks`: build the data once, run every workload, write RESULTS.md.

Data (synthetic decks, databases with history, the matching Anki collections) is built with
fixed seeds into a work folder and reused by later runs; every figure is measured in fresh
child processes (see `harness`). `--quick` runs the same workloads on small data for a check
in under a minute; its figures are not the targets' sizes and say so.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    QUIZAPP,
    ROOT,
    Figure,
    child_env,
    first_screen_in_pty,
    quizapp_argv,
    run_child,
    run_command,
)
from benchmarks.history import History, build_history
from benchmarks.synth import write_decks

CARD_MARKERS = ("show the answer", "enter: check", "enter: pick")
"""Hints the study screen shows under a card, and only there: the first card is on screen."""
STUDY_DECK = "synthetic-000"


@dataclass(frozen=True, slots=True)
class Plan:
    quick: bool
    repeats: int
    answers: int
    big_items: int
    big_reviews: int
    small_items: int
    small_reviews: int
    deck_cards: int
    """Cards of the decks used for sync, export and validate."""
    seed: int
    today: date
    work: Path


def make_plan(args: argparse.Namespace) -> Plan:
    if args.quick:
        sizes = {"big_items": 10_000, "big_reviews": 100_000, "small_items": 2_000}
        sizes |= {"small_reviews": 20_000, "deck_cards": 5_000}
        repeats, answers = args.repeats or 3, 30
    else:
        sizes = {"big_items": 100_000, "big_reviews": 1_000_000, "small_items": 10_000}
        sizes |= {"small_reviews": 100_000, "deck_cards": 50_000}
        repeats, answers = args.repeats or 5, 100
    return Plan(
        quick=args.quick,
        repeats=repeats,
        answers=answers,
        seed=args.seed,
        today=datetime.now(UTC).date(),
        work=Path(args.work).resolve(),
        **sizes,
    )


# --- data ----------------------------------------------------------------------------------


def _cached(folder: Path, key: dict[str, Any], build: Callable[[], None]) -> None:
    """Run `build` unless `folder` holds a finished build of the same `key`."""
    marker = folder / "built.json"
    wanted = json.dumps(key, sort_keys=True, default=str)
    if marker.exists() and marker.read_text() == wanted:
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    build()
    marker.write_text(wanted)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True, slots=True)
class Data:
    big: History
    small: History
    anki_big: Path
    anki_small: Path
    decks: Path
    """`deck_cards` cards of fresh decks (for sync, export, validate)."""
    decks_apkg: Path
    """quizapp's export of `decks`, for Anki's importer."""


def _history(plan: Plan, items: int, reviews: int) -> tuple[History, Path]:
    from benchmarks.anki_side import build_collection, export_apkg

    folder = plan.work / f"history-{items}-{reviews}-{plan.seed}"
    key = {"items": items, "reviews": reviews, "seed": plan.seed, "today": plan.today}
    holder: dict[str, History] = {}

    def build() -> None:
        started = time.perf_counter()
        _say(f"building {items} items with {reviews} reviews in {folder} ...")
        history = build_history(
            folder / "quizapp", items=items, reviews=reviews, today=plan.today, seed=plan.seed
        )
        env_home = folder / "home"
        os.environ.update(child_env(env_home))  # the export reads the deck cache and config
        _say("  exporting it with progress for Anki ...")
        apkg = export_apkg(history, folder / "progress.apkg", with_progress=True)
        _say("  importing it into an Anki collection ...")
        build_collection(apkg, folder / "anki" / "collection.anki2")
        apkg.unlink()
        holder["h"] = history
        _say(f"  done in {time.perf_counter() - started:.0f} s")

    _cached(folder, key, build)
    base = folder / "quizapp"
    files = tuple(sorted((base / "decks").glob("*.yaml")))
    history = holder.get("h") or History(
        base / "quizapp.db", base / "decks", files, 0, items, reviews, plan.today
    )
    return history, folder / "anki" / "collection.anki2"


def prepare(plan: Plan) -> Data:
    from benchmarks.anki_side import export_apkg

    plan.work.mkdir(parents=True, exist_ok=True)
    big, anki_big = _history(plan, plan.big_items, plan.big_reviews)
    small, anki_small = _history(plan, plan.small_items, plan.small_reviews)
    folder = plan.work / f"decks-{plan.deck_cards}-{plan.seed}"

    def build() -> None:
        _say(f"writing {plan.deck_cards} cards of decks in {folder} ...")
        write_decks(folder / "decks", plan.deck_cards, plan.seed)
        os.environ.update(child_env(folder / "home"))
        stub = History(folder / "none.db", folder / "decks", (), plan.deck_cards, 0, 0, plan.today)
        export_apkg(stub, folder / "decks.apkg", with_progress=False)

    _cached(folder, {"cards": plan.deck_cards, "seed": plan.seed}, build)
    return Data(big, small, anki_big, anki_small, folder / "decks", folder / "decks.apkg")


# --- measurements --------------------------------------------------------------------------


class Bench:
    def __init__(self, plan: Plan, data: Data) -> None:
        self.plan = plan
        self.data = data
        self.scratch = plan.work / "scratch"
        self.figures: dict[str, Figure] = {}

    def fresh(self, name: str) -> Path:
        path = self.scratch / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def figure(self, key: str, name: str) -> Figure:
        return self.figures.setdefault(key, Figure(name))

    def first_card(self) -> None:
        history = self.data.big
        home = self.fresh("home-start")
        copy = home / "quizapp.db"
        shutil.copy2(history.db, copy)
        env = child_env(home, copy) | {"QUIZAPP_DECKS": str(history.decks)}
        params = {"db": str(copy), "decks": str(history.decks), "deck": STUDY_DECK}
        _say("first card: a warm-up start (daily backup, bundled decks, deck cache) ...")
        run_child("first_card_headless", params, env)
        headless = self.figure("first_card_headless", "First card on screen, headless")
        pty_figure = self.figure("first_card_pty", "First card on screen, in a pty")
        for _ in range(self.plan.repeats):
            result = run_child("first_card_headless", params, env)
            headless.samples.append(result["wall"] - result["spawned"])
            headless.rss_mb.append(result["rss_mb"])
            seconds, rss = first_screen_in_pty(
                [QUIZAPP, "study", STUDY_DECK], env | {"TERM": "xterm-256color"}, CARD_MARKERS
            )
            pty_figure.samples.append(seconds)
            pty_figure.rss_mb.append(rss)
        headless.extra["items"] = history.items
        headless.extra["reviews"] = history.reviews
        opened = self.figure("open_app_data", "Load decks, open, sync (warm), in-process")
        anki_open = self.figure("anki_open", "Anki: open the collection")
        for _ in range(self.plan.repeats):
            result = run_child("open_app_data", params, env)
            opened.samples += result["times"]
            opened.rss_mb.append(result["rss_mb"])
            result = run_child(
                "anki_open", {"collection": str(self.anki_copy("big")), "count": 1}, env
            )
            anki_open.samples.append(result["extra"]["open"])
            anki_open.rss_mb.append(result["rss_mb"])

    def anki_copy(self, size: str) -> Path:
        source = self.data.anki_big if size == "big" else self.data.anki_small
        folder = self.fresh(f"anki-{size}")
        for file in source.parent.iterdir():
            if file.is_file():
                shutil.copy2(file, folder / file.name)
        return folder / source.name

    def sync(self) -> None:
        cold = self.figure("sync_cold", f"Deck sync, cold ({self.plan.deck_cards} new cards)")
        warm = self.figure("sync_warm", f"Deck sync, warm ({self.plan.deck_cards} unchanged)")
        for _ in range(self.plan.repeats):
            home = self.fresh("home-sync")  # no deck cache, no database: truly cold
            env = child_env(home)
            params = {"db": str(home / "quizapp.db"), "decks": str(self.data.decks)}
            result = run_child("sync", params, env)
            cold.samples += result["times"]
            cold.rss_mb.append(result["rss_mb"])
            cold.extra = result["extra"]
            result = run_child("sync", params, env)
            warm.samples += result["times"]
            warm.rss_mb.append(result["rss_mb"])

    def answers(self) -> None:
        sizes = (("small", self.data.small), ("big", self.data.big))
        # Sizes and engines alternate, so a busy moment on the machine hits them all alike.
        for _, (size, history) in itertools.product(range(self.plan.repeats), sizes):
            ours = self.figure(f"answer_{size}", f"One answer at {history.items} cards")
            anki = self.figure(f"anki_answer_{size}", f"Anki: one answer at {history.items} cards")
            home = self.fresh("home-answer")
            copy = home / "quizapp.db"
            shutil.copy2(history.db, copy)
            params = {
                "db": str(copy),
                "decks": str(history.decks),
                "today": self.plan.today.isoformat(),
                "count": self.plan.answers,
            }
            result = run_child("answer", params, child_env(home))
            ours.samples += result["times"]
            ours.rss_mb.append(result["rss_mb"])
            ours.extra["queue"] = result["extra"]["queue"]
            collection = self.anki_copy(size)
            result = run_child(
                "anki_answer",
                {"collection": str(collection), "count": self.plan.answers},
                child_env(home),
            )
            anki.samples += result["times"]
            anki.rss_mb.append(result["rss_mb"])

    def summaries(self) -> None:
        history = self.data.big
        ours = self.figure("summaries", f"Home screen per-deck counts at {history.items} cards")
        anki = self.figure("anki_tree", f"Anki: deck due tree at {history.items} cards")
        home = self.fresh("home-summaries")
        copy = home / "quizapp.db"
        shutil.copy2(history.db, copy)
        collection = self.anki_copy("big")
        params = {"db": str(copy), "today": self.plan.today.isoformat(), "count": 10}
        for _ in range(self.plan.repeats):
            result = run_child("summaries", params, child_env(home))
            ours.samples += result["times"]
            ours.rss_mb.append(result["rss_mb"])
            result = run_child("anki_open", {"collection": str(collection), "count": 10}, {})
            anki.samples += result["times"]
            anki.rss_mb.append(result["rss_mb"])

    def export_and_validate(self) -> None:
        cards = self.plan.deck_cards
        decks = str(self.data.decks)
        home = self.fresh("home-export")
        env = child_env(home, home / "quizapp.db")
        out = home / "out.apkg"
        export_argv = quizapp_argv("--decks", decks, "export", "anki", "-o", str(out))
        validate_argv = quizapp_argv("validate", decks)
        for key, name, argv in (
            ("export_cold", f"quizapp export anki, {cards} cards, deck cache empty", export_argv),
            ("validate_cold", f"quizapp validate, {cards} cards, deck cache empty", validate_argv),
        ):
            figure = self.figure(key, name)
            for _ in range(max(1, self.plan.repeats // 2)):
                shutil.rmtree(home / "cache", ignore_errors=True)
                seconds, rss, _ = run_command(argv, env)
                figure.samples.append(seconds)
                figure.rss_mb.append(rss)
        exported = self.figure("export", f"quizapp export anki, {cards} cards")
        validated = self.figure("validate", f"quizapp validate, {cards} cards")
        imported = self.figure("anki_import", f"Anki: import our .apkg of {cards} cards")
        for _ in range(self.plan.repeats):
            seconds, rss, _ = run_command(export_argv, env)
            exported.samples.append(seconds)
            exported.rss_mb.append(rss)
            seconds, rss, _ = run_command(validate_argv, env)
            validated.samples.append(seconds)
            validated.rss_mb.append(rss)
            folder = self.fresh("anki-import")
            params = {
                "collection": str(folder / "collection.anki2"),
                "apkg": str(self.data.decks_apkg),
            }
            result = run_child("anki_import", params, {})
            imported.samples += result["times"]
            imported.rss_mb.append(result["rss_mb"])
            imported.extra["cards"] = result["extra"]["cards"]


# --- the report ----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    from importlib.metadata import version

    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "anki": version("anki"),
        "textual": version("textual"),
        "sqlalchemy": version("sqlalchemy"),
        "os": platform.platform(),
    }


def _commit() -> str:
    """The measured code's commit (with "+changes" when the tree differs from it)."""
    import subprocess

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD")
    # The report itself (rewritten by every run) is not code.
    paths = ("quizapp", "benchmarks", ":(exclude)benchmarks/RESULTS.md")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", *paths)
    return f"{head}+changes" if head and dirty else head


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data, 3 repeats (~1 min)")
    parser.add_argument("--repeats", type=int, default=0, help="processes per figure (5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--work",
        default=str(Path(os.environ.get("TMPDIR", "/tmp")) / "quizapp-bench"),
        help="folder for the data and scratch copies (reused between runs)",
    )
    parser.add_argument(
        "--results",
        help="where to write the Markdown report (default: benchmarks/RESULTS.md, "
        "or the work folder for --quick)",
    )
    parser.add_argument(
        "--only", nargs="*", default=[], help="first_card sync answers summaries export"
    )
    args = parser.parse_args(argv)
    plan = make_plan(args)
    started = time.perf_counter()
    data = prepare(plan)
    bench = Bench(plan, data)
    steps = {
        "first_card": bench.first_card,
        "sync": bench.sync,
        "answers": bench.answers,
        "summaries": bench.summaries,
        "export": bench.export_and_validate,
    }
    loads = [os.getloadavg()[0]]
    for name, step in steps.items():
        if args.only and name not in args.only:
            continue
        _say(f"measuring {name} ...")
        step()
        loads.append(os.getloadavg()[0])
    from benchmarks.report import NOTES, render

    command = "python -m benchmarks" + (" --quick" if plan.quick else "")
    if args.repeats:
        command += f" --repeats {args.repeats}"
    facts = {
        "plan": {k: str(v) for k, v in asdict(plan).items()},
        "machine": machine(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "commit": _commit(),
        "seconds": time.perf_counter() - started,
        "load": [round(load, 2) for load in loads],
        "figures": {key: figure.as_dict() for key, figure in bench.figures.items()},
    }
    saved = plan.work / ("results-quick.json" if plan.quick else "results.json")
    if args.only and saved.exists():  # a partial run updates the figures it measured
        previous = json.loads(saved.read_text())
        facts["figures"] = previous["figures"] | facts["figures"]
        facts["command"] += " (figures of: " + ", ".join(args.only) + ")"
    saved.write_text(json.dumps(facts, indent=2))
    default = plan.work / "RESULTS-quick.md" if plan.quick else ROOT / "benchmarks/RESULTS.md"
    target = Path(args.results) if args.results else default
    notes = NOTES.read_text() if NOTES.exists() and not plan.quick else ""
    target.write_text(render(facts, notes))
    _say(f"wrote {target} in {facts['seconds']:.0f} s")
    return 0
