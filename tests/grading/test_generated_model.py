"""The model generated from `docker --help` still matches the installed CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.oracles import need_program

ROOT = Path(__file__).resolve().parents[2]


def test_the_generated_model_matches_the_installed_cli() -> None:
    docker = need_program("docker")
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "gen_docker_model.py"),
            "--check",
            "--docker",
            docker,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_generated_commands_are_in_the_model() -> None:
    from quizapp.grading.model import docker_model

    model = docker_model()
    for path in (
        ("context", "ls"),
        ("plugin", "ls"),
        ("container", "update"),
        ("builder", "prune"),
    ):
        assert path in model.commands
    assert ("context", "list") in model.routes
    assert model.global_flags.by_short["v"].long == "version"
