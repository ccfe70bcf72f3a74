"""Grading is fast enough to run on every keystroke: well under a millisecond typically.

Wall-clock limits: marked `timing`, outside the default run (`pytest -m timing`).
"""

from __future__ import annotations

import time

import pytest

from quizapp.grading import grade_cloze, grade_command

TYPICAL = [
    ("docker container run -it --name test alpine sh", ["docker run -ti --name=test alpine sh"]),
    (
        "docker run -d -p 8080:80 docker/getting-started",
        ["docker run -d -p 80:80 docker/getting-started"],
    ),
    ("docker ps", ["docker container ls", "docker container ls -a"]),
    ("journalctl -u docker", ["journalctl -u docker.service"]),
]


@pytest.mark.timing
def test_grading_one_answer_takes_well_under_a_millisecond() -> None:
    for typed, answers in TYPICAL:
        grade_command(typed, answers)  # the model and the answers are read once
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        for typed, answers in TYPICAL:
            grade_command(typed, answers)
    per_answer = (time.perf_counter() - start) / (rounds * len(TYPICAL))
    assert per_answer < 0.001, f"{per_answer * 1e6:.0f} µs per answer"


@pytest.mark.timing
def test_long_input_does_not_take_long() -> None:
    words = ["docker", "run", "-p", "80:80", "-it", "alpine", "sh", "--name", "x", "foo"]
    typed = " ".join(words[i % len(words)] * (1 + i % 3) for i in range(3000))
    start = time.perf_counter()
    grade_command(typed, ["docker run -p 80:80 alpine", typed[: len(typed) // 2]])
    grade_cloze(typed, [typed[: len(typed) // 2]])
    assert time.perf_counter() - start < 2.0
