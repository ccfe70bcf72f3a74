"""The Docker CLI model: data that says what the reference says, read once."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from quizapp.grading.model import (
    Arg,
    Flag,
    build_model,
    docker_model,
    merge_generated,
    parse_args_spec,
    parse_flag_spec,
)

REFERENCE = "https://docs.docker.com/reference/cli/docker/"


def test_flag_spec_grammar() -> None:
    assert parse_flag_spec("p|publish:list@port") == Flag("publish", "p", (), "list", None, "port")
    assert parse_flag_spec("network,net:network") == Flag("network", None, ("net",), "network")
    assert parse_flag_spec("sig-proxy=true") == Flag("sig-proxy", None, (), "bool", "true")
    assert parse_flag_spec("d|driver:string=bridge").default == "bridge"
    assert parse_flag_spec("rm").takes_value is False
    assert parse_flag_spec("e|env:list").repeatable is True
    assert parse_flag_spec("name:string").repeatable is False
    assert parse_flag_spec("d|detach").label == "-d (--detach)"
    assert parse_flag_spec("name:string").label == "--name"


def test_args_spec_grammar() -> None:
    assert parse_args_spec("IMAGE [COMMAND] [ARG...]") == (
        Arg("IMAGE", False, False),
        Arg("COMMAND", True, False),
        Arg("ARG", True, True),
    )


def test_model_is_read_once_from_the_package() -> None:
    assert docker_model() is docker_model()
    package = resources.files("quizapp.grading")
    data = tomllib.loads(package.joinpath("docker_cli.toml").read_text("utf-8"))
    for name in ("docker_cli_generated.toml", "docker_compose_generated.toml"):
        data = merge_generated(data, tomllib.loads(package.joinpath(name).read_text("utf-8")))
    assert build_model(data).routes == docker_model().routes


def test_every_command_keeps_its_reference_page() -> None:
    model = docker_model()
    for path, command in model.commands.items():
        assert command.source.startswith(REFERENCE), path
        assert command.does, path
    for group in model.groups.values():
        assert group.source.startswith(REFERENCE), group.name


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("run", "container run"),
        ("ps", "container ls"),
        ("container list", "container ls"),
        ("container ps", "container ls"),
        ("rm", "container rm"),
        ("container remove", "container rm"),
        ("images", "image ls"),
        ("image list", "image ls"),
        ("rmi", "image rm"),
        ("image remove", "image rm"),
        ("build", "image build"),
        ("builder build", "image build"),
        ("buildx build", "image build"),
        ("buildx b", "image build"),
        ("push", "image push"),
        ("pull", "image pull"),
        ("tag", "image tag"),
        ("exec", "container exec"),
        ("logs", "container logs"),
        ("cp", "container cp"),
        ("start", "container start"),
        ("stop", "container stop"),
        ("restart", "container restart"),
        ("create", "container create"),
        ("volume list", "volume ls"),
        ("volume remove", "volume rm"),
        ("network list", "network ls"),
        ("network remove", "network rm"),
        ("service list", "service ls"),
        ("service remove", "service rm"),
        ("stack up", "stack deploy"),
        ("stack list", "stack ls"),
        ("stack remove", "stack rm"),
        ("stack down", "stack rm"),
        ("secret list", "secret ls"),
        ("secret remove", "secret rm"),
        ("node list", "node ls"),
        ("info", "system info"),
    ],
)
def test_aliases_from_the_reference(spelling: str, canonical: str) -> None:
    assert docker_model().routes[tuple(spelling.split())] == tuple(canonical.split())


REQUIRED = """
container run, container create, container start, container stop, container restart,
container rm, container ls, container exec, container logs, container inspect, container cp,
image build, image ls, image rm, image pull, image push, image tag, image inspect,
volume create, volume ls, volume inspect, volume rm, volume prune,
network create, network ls, network inspect, network rm, network prune,
swarm init, swarm join, swarm update, swarm leave,
service create, service ls, service ps, service scale, service update, service rm, service logs,
stack deploy, stack ls, stack ps, stack rm, secret create, secret ls, secret inspect, secret rm,
node ls, compose up, compose down, compose ps, compose logs, compose build, system prune,
login, logout
"""


@pytest.mark.parametrize("path", [p.strip() for p in REQUIRED.split(",")])
def test_required_commands_are_modelled(path: str) -> None:
    assert tuple(path.split()) in docker_model().commands


@pytest.mark.parametrize(
    ("command", "short", "long"),
    [
        ("container run", "t", "tty"),
        ("image build", "t", "tag"),
        ("container run", "d", "detach"),
        ("network create", "d", "driver"),
        ("volume create", "d", "driver"),
        ("container rm", "f", "force"),
        ("container logs", "f", "follow"),
        ("container ls", "f", "filter"),
        ("image build", "f", "file"),
        ("container run", "p", "publish"),
        ("container run", "v", "volume"),
        ("container run", "h", "hostname"),
        ("container ls", "n", "last"),
        ("container logs", "n", "tail"),
        ("container stop", "t", "timeout"),
        ("stack deploy", "c", "compose-file"),
        ("network create", "o", "opt"),
        ("compose down", "v", "volumes"),
    ],
)
def test_a_short_flag_means_what_it_means_for_its_command(
    command: str, short: str, long: str
) -> None:
    assert docker_model().commands[tuple(command.split())].flags.by_short[short].long == long


def test_global_flags() -> None:
    flags = docker_model().global_flags
    assert flags.by_short["H"].long == "host"
    assert flags.by_short["H"].repeatable
    assert flags.by_short["c"].long == "context"
    assert flags.by_short["D"].long == "debug"
    assert not flags.by_short["D"].takes_value


def test_run_create_exec_and_service_create_pass_the_rest_to_the_container() -> None:
    commands = docker_model().commands
    passing = {path for path, command in commands.items() if command.passthrough}
    assert {("container", "run"), ("container", "create"), ("container", "exec")} <= passing
    assert ("service", "create") in passing
    assert ("container", "rm") not in passing


def test_compose_v1_program_is_compose() -> None:
    assert docker_model().programs == {"docker-compose": ("compose",)}


def test_a_data_file_naming_one_alias_twice_is_refused() -> None:
    data = {
        "docker": {"source": REFERENCE, "flags": []},
        "groups": {},
        "commands": {
            "a": {"source": REFERENCE, "does": "x", "aliases": ["b"]},
            "b": {"source": REFERENCE, "does": "y"},
        },
    }
    with pytest.raises(ValueError, match="b names two commands"):
        build_model(data)
