"""The differential corpus: pairs of command lines (or a cloze and what was typed) with labels.

`docker_corpus.yaml` lists each pair with its class (the issue's eight: prefix, values,
defaults, equivalent, gaps, lists, shell, cloze), whether the two have the same effect, and
who says so: `oracle` (the real CLI against the fake daemon sends the same requests, or not)
or `docs: URL` (the CLI is not installed here, as for Compose and buildx, or the daemon
normalises what the CLI sends: the page that says so).

`python -m tests.oracle.docker_corpus [TEXT]` labels the pairs again with the oracle (all, or
those whose lines contain TEXT; pairs with a docs label keep it) and rewrites the file.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from quizapp.deck.cloze import CLOZE_RE, answer_text

CORPUS = Path(__file__).with_name("docker_corpus.yaml")
CLASSES = ("prefix", "values", "defaults", "equivalent", "gaps", "lists", "shell", "cloze")
NOT_INSTALLED = re.compile(r"\bdocker(-compose|\s+(compose|buildx))\b")


@dataclass(frozen=True)
class Pair:
    cls: str
    answer: str
    typed: str
    same: bool
    by: str
    prefix: str | None = None

    @property
    def lines(self) -> tuple[str, str]:
        """The two command lines to run: the answer and the typed one, completed."""
        if self.cls == "cloze":
            completed = CLOZE_RE.sub(lambda _m: self.typed, self.answer, count=1)
            return _backticked(answer_text(self.answer)), _backticked(completed)
        typed = self.typed
        first = typed.split()[0] if typed.split() else ""
        if self.prefix and first not in ("docker", "docker-compose", "sudo"):
            typed = f"{self.prefix} {typed}"
        return self.answer, typed

    @property
    def by_oracle(self) -> bool:
        return self.by == "oracle"


def _backticked(text: str) -> str:
    match = re.search(r"`([^`]*)`", text)
    return match.group(1) if match else text


def load() -> list[Pair]:
    entries = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return [
        Pair(e["class"], e["answer"], e["typed"], e["same"], e["by"], e.get("prefix"))
        for e in entries
    ]


def dump(pairs: list[Pair]) -> None:
    entries = []
    for p in pairs:
        entry: dict[str, object] = {"class": p.cls}
        if p.prefix:
            entry["prefix"] = p.prefix
        entry.update(answer=p.answer, typed=p.typed, same=p.same, by=p.by)
        entries.append(entry)
    text = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=200)
    CORPUS.write_text(
        "# Labelled by tests/oracle/docker_corpus.py (see there): same = same effect.\n" + text,
        encoding="utf-8",
    )


def label(pairs: list[Pair], only: str = "") -> list[Pair]:
    from tests.oracle.docker_oracle import NORMALISATIONS, docker_oracle

    docker = shutil.which("docker")
    if docker is None:
        raise SystemExit("docker is not installed: the oracle cannot label the corpus")
    out: list[Pair] = []
    with docker_oracle(docker) as oracle:
        for pair in pairs:
            keep = not pair.by_oracle and pair.by.startswith("docs:")
            if keep or (only and only not in pair.answer + "\n" + pair.typed):
                out.append(pair)
                continue
            a, b = pair.lines
            if NOT_INSTALLED.search(a + " " + b):
                raise SystemExit(f"{a!r} / {b!r}: not installed here, label it by the docs")
            same, rules = oracle.compare(a, b)
            by = "oracle"
            if rules:
                by = "docs: " + " ".join(NORMALISATIONS[r] for r in sorted(rules))
            out.append(Pair(pair.cls, pair.answer, pair.typed, same, by, pair.prefix))
    return out


if __name__ == "__main__":
    # an argument: relabel only the pairs whose lines contain it
    dump(label(load(), sys.argv[1] if len(sys.argv) > 1 else ""))
    sys.stdout.write(f"{CORPUS}: labelled\n")
