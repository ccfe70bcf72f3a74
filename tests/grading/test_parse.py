"""Reading a command line the way the Docker CLI does."""

from __future__ import annotations

import pytest

from quizapp.grading.parse import UnreadableCommand, read_command, shell_words


def _flags(line: str) -> list[tuple[str, str | None, str]]:
    return [
        (use.flag.long if use.flag else use.name, use.value, use.text)
        for use in read_command(line).uses
    ]


def test_shell_words_drop_prompt_and_sudo() -> None:
    assert shell_words("$ docker ps") == ("docker", "ps")
    assert shell_words("sudo docker ps") == ("docker", "ps")
    assert shell_words("$docker") == ("${docker}",)  # a variable the shell expands
    assert shell_words("docker run -e 'A=1 2' x") == ("docker", "run", "-e", "A=1 2", "x")


@pytest.mark.parametrize("line", ["docker 'ps", 'docker "ps', "docker ps \\"])
def test_broken_shell_syntax_is_unreadable(line: str) -> None:
    with pytest.raises(UnreadableCommand):
        shell_words(line)


def test_short_flag_clusters_and_attached_values() -> None:
    assert _flags("docker run -dit alpine") == [
        ("detach", "true", "-d"),
        ("interactive", "true", "-i"),
        ("tty", "true", "-t"),
    ]
    assert _flags("docker run -p80:80 x") == [("publish", "80:80", "-p80:80")]
    assert _flags("docker run -p=80:80 x") == [("publish", "80:80", "-p=80:80")]
    assert _flags("docker run -dp 80:80 x") == [
        ("detach", "true", "-d"),
        ("publish", "80:80", "-p 80:80"),
    ]
    assert _flags("docker run -d=false x") == [("detach", "false", "-d=false")]


def test_long_flags() -> None:
    assert _flags("docker run --name=test x") == [("name", "test", "--name=test")]
    assert _flags("docker run --name test x") == [("name", "test", "--name test")]
    assert _flags("docker run --detach=false x") == [("detach", "false", "--detach=false")]


def test_unknown_flag_takes_a_value_only_when_its_likely_meaning_does() -> None:
    line = read_command("docker run --nmae test alpine")
    assert [(u.flag, u.name, u.value) for u in line.uses] == [(None, "--nmae", "test")]
    assert line.uses[0].suggestion is not None and line.uses[0].suggestion.long == "name"
    assert line.args == ("alpine",)
    line = read_command("docker run --zzz alpine")
    assert line.uses[0].value is None and line.args == ("alpine",)


def test_run_passes_everything_after_the_image_to_the_container() -> None:
    line = read_command("docker run -it alpine sh -c 'echo hi' --name x")
    assert line.command is not None and line.command.path == ("container", "run")
    assert line.args == ("alpine",)
    assert line.passthrough == ("sh", "-c", "echo hi", "--name", "x")
    assert [u.flag.long for u in line.uses if u.flag] == ["interactive", "tty"]


def test_flags_may_follow_arguments_elsewhere() -> None:
    line = read_command("docker container rm test -f")
    assert line.args == ("test",)
    assert [u.flag.long for u in line.uses if u.flag] == ["force"]


def test_double_dash_ends_flags() -> None:
    line = read_command("docker rm -- -f")
    assert line.args == ("-f",)
    assert line.uses == ()


def test_global_and_compose_flags_have_their_scope() -> None:
    line = read_command("docker -H tcp://x:2375 ps")
    assert [(u.scope, u.flag.long if u.flag else None) for u in line.uses] == [("global", "host")]
    line = read_command("docker compose -f a.yml -p app up -d")
    assert [(u.scope, u.flag.long if u.flag else None) for u in line.uses] == [
        ("group", "file"),
        ("group", "project-name"),
        ("command", "detach"),
    ]
    assert line.head == ("docker", "compose", "up")


def test_command_path_resolution() -> None:
    assert read_command("docker ps").head == ("docker", "ps")
    line = read_command("docker contianer ls")
    assert line.command is not None and line.command.path == ("container", "ls")
    assert line.command_typos == (("contianer", "container"),)
    assert read_command("docker foo bar").unknown == ("foo",)
    assert read_command("docker volume").unknown == ("volume",)
    assert read_command("docker-compose up").command.path == ("compose", "up")  # type: ignore[union-attr]


def test_problems_are_collected_not_raised() -> None:
    assert read_command("docker run --name").problems == ("--name needs a value",)
    assert read_command("docker ps --all=maybe").problems == (
        "--all takes true or false, not maybe",
    )


def test_programs_without_a_model_are_plain_words() -> None:
    line = read_command("frobnicate -u docker.service")
    assert not line.docker and line.command is None and line.model is None
    assert line.words == ("frobnicate", "-u", "docker.service")


def test_journalctl_is_read_with_its_model() -> None:
    line = read_command("journalctl -fu docker.service")
    assert not line.docker and line.command is not None and line.model is not None
    assert [(u.flag.long if u.flag else None, u.value) for u in line.uses] == [
        ("follow", "true"),
        ("unit", "docker.service"),
    ]


def test_double_dash_before_the_command_ends_group_flags() -> None:
    line = read_command("docker compose -f a.yml -- up")
    assert line.command is not None and line.command.path == ("compose", "up")
    assert read_command("docker-compose --").unknown == ("compose",)
    assert read_command("docker -- ps").command is not None
