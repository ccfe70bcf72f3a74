"""`python -m benchmarks.import_anki`: `quizapp import anki --with-progress` at scale, beside
Anki importing the same package.

The package is made by Anki itself: a collection of 50,000 notes (Basic, Basic and reversed,
Cloze) in 20 decks, whose cards get review schedules and 1,000,000 revlog rows (written into
the collection with SQL, spread over two years), exported with Anki's exporter as a current
.apkg with scheduling. It is built once into the work folder and reused.

Figures: wall time and peak RSS of the whole `quizapp import anki` command in a fresh process
(fresh database and folder each run), and of Anki's `import_anki_package` into a new
collection (with scheduling) in a fresh process. Prints a Markdown section for RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.harness import PYTHON, ROOT, Figure, child_env

DAY_MS = 86_400_000


def build_package(work: Path, notes: int, revlog: int, seed: int = 1) -> Path:
    """The .apkg (cached in `work`): `notes` notes, `revlog` answers, scheduled cards."""
    apkg = work / f"anki-{notes}-{revlog}.apkg"
    if apkg.exists():
        return apkg
    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

    work.mkdir(parents=True, exist_ok=True)
    path = work / f"anki-{notes}.anki2"
    for leftover in work.glob(path.name + "*"):
        leftover.unlink()
    rng = random.Random(seed)
    col = Collection(str(path))
    kinds = [col.models.by_name(n) for n in ("Basic", "Basic (and reversed card)", "Cloze")]
    decks = [col.decks.id(f"Bench::Topic {i:02d}") for i in range(20)]
    requests = []
    for n in range(notes):
        model = kinds[0] if n % 10 < 7 else kinds[1] if n % 10 < 9 else kinds[2]
        note = col.new_note(model)
        if model is kinds[2]:
            note["Text"] = f"Note {n}: {{{{c1::alpha {n}}}}} and {{{{c2::beta}}}} <b>bold</b>"
        else:
            note["Front"] = f"Question {n} about <code>docker run -p {n}:80</code>?"
            note["Back"] = f"Answer {n}<br>with a second line &amp; an entity"
        requests.append(AddNoteRequest(note=note, deck_id=decks[n % len(decks)]))
    col.add_notes(requests)
    col.close(downgrade=False)
    db = sqlite3.connect(path)
    card_ids = [row[0] for row in db.execute("SELECT id FROM cards ORDER BY id")]
    (crt,) = db.execute("SELECT crt FROM col").fetchone()
    today = (int(time.time()) - crt) // 86_400
    studied = card_ids[: len(card_ids) * 4 // 5]
    db.executemany(
        "UPDATE cards SET type = 2, queue = 2, due = ?, ivl = ?, factor = ?, reps = ?,"
        " lapses = ? WHERE id = ?",
        (
            (
                today + rng.randint(-5, 60),
                rng.randint(1, 200),
                rng.choice((1300, 2100, 2500, 2650)),
                rng.randint(3, 40),
                rng.randint(0, 4),
                cid,
            )
            for cid in studied
        ),
    )
    start_ms = (int(time.time()) - 730 * 86_400) * 1000
    step = (730 * DAY_MS) // revlog

    def rows():
        for i in range(revlog):
            yield (
                start_ms + i * step,
                studied[rng.randrange(len(studied))],
                -1,
                rng.choice((1, 3, 3, 3, 2, 4)),
                rng.randint(1, 200),
                rng.randint(1, 100),
                2500,
                rng.randint(1000, 20000),
                1,
            )

    db.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    db.commit()
    db.close()
    col = Collection(str(path))
    options = ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False
    )
    col.export_anki_package(out_path=str(apkg), options=options, limit=None)
    col.close(downgrade=False)
    return apkg


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run to completion: (wall seconds, CPU seconds user+sys, peak RSS MB, output)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert process.stdout is not None
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{output[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def measure(work: Path, apkg: Path, repeats: int) -> tuple[Figure, Figure]:
    ours = Figure("quizapp import anki --with-progress")
    anki = Figure("Anki: import the same .apkg (with scheduling)")
    ours.extra["cpu"], anki.extra["cpu"] = [], []
    for run in range(repeats):
        home = work / f"home-{run}"
        shutil.rmtree(home, ignore_errors=True)
        env = child_env(home)
        home.mkdir(parents=True)
        db, out = home / "q.db", home / "decks"
        argv = [PYTHON, "-m", "quizapp", "--db", str(db), "import", "anki", str(apkg)]
        wall, cpu, rss, text = _run([*argv, "-o", str(out), "--with-progress"], env)
        if "reviews" not in text:
            raise RuntimeError(text)
        ours.samples.append(wall)
        ours.rss_mb.append(rss)
        ours.extra["cpu"].append(cpu)
        ours.extra["report"] = text.splitlines()[0]
        collection = home / "anki" / "c.anki2"
        collection.parent.mkdir(parents=True, exist_ok=True)
        params = {"collection": str(collection), "apkg": str(apkg), "scheduling": True}
        child = [PYTHON, "-m", "benchmarks.child", "anki_import", json.dumps(params)]
        wall, cpu, rss, text = _run(child, env)
        result = json.loads(text.strip().splitlines()[-1])
        anki.samples.extend(result["times"])
        anki.rss_mb.append(result["rss_mb"])
        anki.extra["cpu"].append(cpu)
        shutil.rmtree(home, ignore_errors=True)
    return ours, anki


def section(ours: Figure, anki: Figure, notes: int, revlog: int, loads: str) -> str:
    def row(f: Figure) -> str:
        cpu = statistics.median(f.extra["cpu"])
        return (
            f"| {f.name} | {f.median:.2f} s | {f.p90:.2f} s | {cpu:.1f} s | {len(f.samples)} "
            f"| {f.peak_rss_mb:.0f} MB |"
        )

    ratio = ours.median / anki.median if anki.median else float("nan")
    met_time = "yes" if ours.median <= 30 else "no"
    met_rss = "yes" if ours.peak_rss_mb <= 300 else "no"
    return "\n".join(
        [
            f"## Import from Anki ({notes} notes, {revlog} revlog rows)",
            "",
            "`python -m benchmarks.import_anki`: a package written by Anki's own exporter "
            "(current .apkg format, with scheduling; 60,000 cards in 20 decks). quizapp: the "
            "whole `quizapp import anki -o DIR --with-progress` command in a fresh process, "
            "fresh database and folder each run (wall time; CPU = user + sys of the process; "
            "peak RSS). Anki: `import_anki_package` with scheduling into a new collection, in "
            "a fresh process (wall time of the import itself; CPU of the whole process).",
            "",
            "| what | median | p90 | CPU | samples | peak RSS |",
            "|---|---:|---:|---:|---:|---:|",
            row(ours),
            row(anki),
            "",
            f"quizapp / Anki: {ratio:.2f} × (wall). Targets: ≤ 30 s ({ours.median:.1f} s: "
            f"{met_time}), ≤ 300 MB peak ({ours.peak_rss_mb:.0f} MB: {met_rss}).",
            f"1-minute load average before and after: {loads} (2 CPUs shared with other work: "
            "wall times grow with it, CPU times much less).",
            f"quizapp said: `{ours.extra.get('report', '')}`",
            "",
        ]
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_anki")
    parser.add_argument("--work", default="/tmp/quizapp-bench-import")
    parser.add_argument("--notes", type=int, default=50_000)
    parser.add_argument("--revlog", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(args.work).resolve()
    started = time.perf_counter()
    apkg = build_package(work, args.notes, args.revlog)
    print(f"package {apkg} ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    before = os.getloadavg()[0]
    ours, anki = measure(work, apkg, args.repeats)
    loads = f"{before:.2f}, {os.getloadavg()[0]:.2f}"
    sys.stdout.write(section(ours, anki, args.notes, args.revlog, loads))


if __name__ == "__main__":
    main(sys.argv[1:])
