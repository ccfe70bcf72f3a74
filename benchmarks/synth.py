"""Synthetic decks of realistic size and shape, for benchmarks that must not depend on content.

Cards of every kind, with sentence-like text drawn from a fixed vocabulary and a fixed seed,
written as valid version-1 deck files, split so that no file comes near the 10 MB limit.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "container image volume network swarm service stack secret node manager worker layer "
    "registry daemon bridge overlay port mount label replica cluster kernel namespace cgroup "
    "build cache tag digest manifest runtime process signal restart policy health check "
    "endpoint driver plugin context builder stage entrypoint command argument variable "
    "environment file socket proxy certificate token rotation quorum leader follower"
).split()
COMMANDS = (
    "docker container run -d --name {w} -p 8080:80 nginx:1.27",
    "docker network create -d overlay {w}",
    "docker volume inspect {w}",
    "docker image build -t team/{w}:1.0 .",
    "docker service scale {w}=3",
    "docker secret create {w} ./{w}.txt",
    "docker container logs -f {w}",
)
CARDS_PER_FILE = 5000


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:]


def _card(rng: random.Random, index: int) -> str:
    kind = ("basic", "command", "cloze", "choice")[index % 4]
    section = f"Topic {index // 250} > Part {index // 25 % 10}"
    head = f'  - id: card-{index:06d}\n    type: {kind}\n    section: "{section}"\n'
    explain = f'    explain: "{_sentence(rng, 14)}."\n'
    word = rng.choice(WORDS)
    if kind == "basic":
        body = f'    front: "{_sentence(rng, 12)}?"\n    back: "{_sentence(rng, 18)}."\n'
    elif kind == "command":
        answer = rng.choice(COMMANDS).format(w=f"{word}{index}")
        body = f'    prompt: "{_sentence(rng, 10)} ({word}{index})."\n    answer: "{answer}"\n'
    elif kind == "cloze":
        a, b = rng.sample(WORDS, 2)
        body = (
            f'    text: "{_sentence(rng, 8)} {{{{c1::{a}}}}} {_sentence(rng, 6).lower()} '
            f'{{{{c2::{b}::a hint}}}}."\n'
        )
    else:
        choices = rng.sample(WORDS, 4)
        body = (
            f'    question: "{_sentence(rng, 11)}?"\n'
            f"    choices: [{', '.join(choices)}]\n    answer: {choices[0]}\n"
        )
    return head + body + explain


def write_decks(folder: Path, cards: int, seed: int = 1) -> list[Path]:
    """Write `cards` cards as deck files in `folder`; return the files in order."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for number, start in enumerate(range(0, cards, CARDS_PER_FILE)):
        path = folder / f"synthetic-{number:03d}.yaml"
        parts = [
            f"deck: synthetic-{number:03d}\n",
            f'title: "Synthetic::Part {number:03d}"\n',
            "tags: [synthetic]\n",
            "cards:\n",
        ]
        parts += [_card(rng, i) for i in range(start, min(start + CARDS_PER_FILE, cards))]
        path.write_text("".join(parts), encoding="utf-8")
        files.append(path)
    return files


if __name__ == "__main__":
    import sys

    out = write_decks(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"wrote {len(out)} files, {sum(p.stat().st_size for p in out) / 1e6:.1f} MB")
