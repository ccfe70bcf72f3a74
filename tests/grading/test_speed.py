"""Grading is fast enough to run on every keystroke: well under a millisecond typically."""

from __future__ import annotations

import time

from quizapp.grading import grade_command

TYPICAL = [
    ("docker container run -it --name test alpine sh", ["docker run -ti --name=test alpine sh"]),
    (
        "docker run -d -p 8080:80 docker/getting-started",
        ["docker run -d -p 80:80 docker/getting-started"],
    ),
    ("docker ps", ["docker container ls", "docker container ls -a"]),
    ("journalctl -u docker", ["journalctl -u docker.service"]),
]


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
