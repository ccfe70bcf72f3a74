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


def _script() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen_docker_model.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HELP = """
Usage:  docker container ls [OPTIONS]

List containers

Aliases:
  docker container ls, docker container list, docker container ps, docker ps

Options:
  -a, --all             Show all containers (default shows just running)
  -f, --filter filter   Filter output based on conditions provided
  -n, --last int        Show n last created containers (includes all
                        states) (default -1)
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
      --restart string  Restart policy (default "no")
"""


def test_the_generator_reads_flags_defaults_and_aliases_from_help_text() -> None:
    gen = _script()
    assert gen._flags(HELP) == [  # type: ignore[attr-defined]
        "a|all",
        "f|filter:filter",
        "n|last:int=-1",
        "format:string",
        "restart:string=no",
    ]
    aliases = gen._aliases(HELP, ["container", "ls"])  # type: ignore[attr-defined]
    assert aliases == ["container list", "container ps", "ps"]
    assert gen._usage(HELP, ["container", "ls"]) == ""  # type: ignore[attr-defined]


def test_the_generator_reads_compose_reference_options() -> None:
    gen = _script()
    flag = gen._compose_flag  # type: ignore[attr-defined]
    hidden = {"option": "interactive", "shorthand": "i", "value_type": "bool"}
    assert flag({**hidden, "default_value": "true", "hidden": True}) == "i|interactive=true"
    assert flag({"option": "env", "shorthand": "e", "value_type": "stringArray",
                 "default_value": "[]"}) == "e|env:stringArray"  # fmt: skip
    assert flag({"option": "index", "value_type": "int", "default_value": "0"}) == "index:int=0"
