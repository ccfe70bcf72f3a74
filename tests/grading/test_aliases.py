"""Every alias of the Docker model, graded through the real model: each spelling of a command
is the same command as its canonical path, and never the same as another command.

The table lists the model's aliases exactly, so an alias added to or dropped from
`docker_cli.toml` (or its generated part) fails here until the table says so.
"""

from __future__ import annotations

import pytest

from quizapp.grading import Verdict, grade_command
from quizapp.grading.model import docker_model

ALIASES: list[tuple[str, str, str]] = [
    # (spelling, canonical path, arguments)
    ("attach", "container attach", "web"),
    ("commit", "container commit", "web me/app:2"),
    ("cp", "container cp", "web:/a.txt ."),
    ("create", "container create", "alpine"),
    ("diff", "container diff", "web"),
    ("exec", "container exec", "-it web sh"),
    ("export", "container export", "-o web.tar web"),
    ("kill", "container kill", "web"),
    ("logs", "container logs", "-f web"),
    ("ps", "container ls", "-a"),
    ("container list", "container ls", "-a"),
    ("container ps", "container ls", "-a"),
    ("pause", "container pause", "web"),
    ("port", "container port", "web 80/tcp"),
    ("rename", "container rename", "web api"),
    ("restart", "container restart", "web"),
    ("rm", "container rm", "-f web"),
    ("container remove", "container rm", "-f web"),
    ("run", "container run", "-d alpine"),
    ("start", "container start", "web"),
    ("stats", "container stats", "--no-stream"),
    ("stop", "container stop", "web"),
    ("top", "container top", "web"),
    ("unpause", "container unpause", "web"),
    ("update", "container update", "--memory 512m web"),
    ("wait", "container wait", "web"),
    ("build", "image build", "-t app ."),
    ("builder build", "image build", "-t app ."),
    ("buildx build", "image build", "-t app ."),
    ("buildx b", "image build", "-t app ."),
    ("history", "image history", "alpine"),
    ("import", "image import", "rootfs.tar me/base:1"),
    ("load", "image load", "-i app.tar"),
    ("images", "image ls", "-a"),
    ("image list", "image ls", "-a"),
    ("pull", "image pull", "alpine"),
    ("push", "image push", "me/app:1"),
    ("rmi", "image rm", "alpine"),
    ("image remove", "image rm", "alpine"),
    ("save", "image save", "-o app.tar me/app:1"),
    ("tag", "image tag", "app me/app:1"),
    ("checkpoint list", "checkpoint ls", "web"),
    ("checkpoint remove", "checkpoint rm", "web cp1"),
    ("config list", "config ls", "-q"),
    ("config remove", "config rm", "site"),
    ("context list", "context ls", "-q"),
    ("context remove", "context rm", "remote"),
    ("network list", "network ls", "-q"),
    ("network remove", "network rm", "backend"),
    ("node list", "node ls", "-q"),
    ("node remove", "node rm", "worker1"),
    ("plugin list", "plugin ls", "-q"),
    ("plugin remove", "plugin rm", "vieux/sshfs"),
    ("secret list", "secret ls", "-q"),
    ("secret remove", "secret rm", "db_pass"),
    ("service list", "service ls", "-q"),
    ("service remove", "service rm", "web"),
    ("stack up", "stack deploy", "-c s.yml app"),
    ("stack list", "stack ls", ""),
    ("stack remove", "stack rm", "app"),
    ("stack down", "stack rm", "app"),
    ("events", "system events", "--since 1h"),
    ("info", "system info", ""),
    ("volume list", "volume ls", "-q"),
    ("volume remove", "volume rm", "data"),
]

IDS = [spelling.replace(" ", "-") for spelling, _, _ in ALIASES]


def _line(path: str, args: str) -> str:
    return f"docker {path} {args}".strip()


def test_the_table_is_every_alias_of_the_model() -> None:
    model = docker_model()
    aliases = {
        " ".join(spelling): " ".join(path)
        for spelling, path in model.routes.items()
        if spelling != path
    }
    assert aliases == {spelling: canonical for spelling, canonical, _ in ALIASES}


@pytest.mark.parametrize(("spelling", "canonical", "args"), ALIASES, ids=IDS)
def test_an_alias_is_its_command(spelling: str, canonical: str, args: str) -> None:
    alias_line, canonical_line = _line(spelling, args), _line(canonical, args)
    assert grade_command(alias_line, [canonical_line]).verdict is Verdict.RIGHT
    assert grade_command(canonical_line, [alias_line]).verdict is Verdict.RIGHT


@pytest.mark.parametrize(("spelling", "canonical", "args"), ALIASES, ids=IDS)
def test_an_alias_is_not_another_command(spelling: str, canonical: str, args: str) -> None:
    group = canonical.split()[0]
    other = "container inspect" if canonical != "container inspect" else "image inspect"
    if group not in {"container", "image"}:
        other = f"{group} inspect" if not canonical.endswith("inspect") else f"{group} ls"
    if canonical in {"stack deploy", "stack rm", "stack ls"}:
        other = "stack ps"
    if canonical in {"system events", "system info"}:
        other = "system df"
    assert grade_command(_line(spelling, args), [_line(other, args)]).verdict is not Verdict.RIGHT
