"""The drafter's vocabulary is consistent with itself and with the grader's Docker model."""

from __future__ import annotations

import pytest

from quizapp.draft import vocabulary as vocab
from quizapp.grading import unknown_docker_command


def test_every_described_command_runs_a_known_program() -> None:
    programs = {path[0] for path in (*vocab.ACTIONS, *vocab.OPERANDS, *vocab.FLAGS)}
    assert programs <= vocab.PROGRAMS


@pytest.mark.parametrize("path", [p for p in vocab.ACTIONS if p[0] in vocab.DOCKER_PROGRAMS])
def test_every_docker_command_described_is_one_the_grader_knows(path: tuple[str, ...]) -> None:
    assert unknown_docker_command(" ".join(path)) is None


def test_flag_wordings_use_their_value_exactly_when_they_take_one() -> None:
    for table in vocab.FLAGS.values():
        for flag, (takes_value, words) in table.items():
            assert flag.startswith("-")
            assert ("{v}" in words) is takes_value, flag


def test_aliases_point_at_described_commands() -> None:
    for alias, target in vocab.FLAGS_LIKE.items():
        assert vocab.flags_key(target) in vocab.FLAGS, alias
    for path, roles in vocab.OPERANDS.items():
        assert path in vocab.ACTIONS and all("{v}" in r for r in roles), path


def test_placeholder_examples_are_single_shell_words_or_quoted_messages() -> None:
    for key, (value, _) in vocab.PLACEHOLDERS.items():
        assert value.strip() == value and value, key
        assert " " not in value or key in ("message", "msg"), key


@pytest.mark.parametrize(
    ("path", "table"),
    [
        (("docker", "container", "run"), ("docker", "run")),  # the model's alias of `run`
        (("docker", "image", "build"), ("docker", "build")),
        (("docker", "container", "logs"), ("docker", "logs")),
        (("docker", "container", "exec"), ("docker", "exec")),
        (("docker", "create"), ("docker", "run")),  # flags_like in the data file
        (("docker", "container", "create"), ("docker", "run")),  # its alias, then flags_like
        (("docker", "compose", "up"), ("docker-compose", "up")),  # the model's programs
        (("docker", "run"), ("docker", "run")),
        (("docker-compose", "up"), ("docker-compose", "up")),
        (("git", "commit"), ("git", "commit")),
    ],
)
def test_docker_aliases_come_from_the_cli_model(
    path: tuple[str, ...], table: tuple[str, ...]
) -> None:
    assert vocab.flags_key(path) == table


def test_the_vocabulary_is_a_data_file() -> None:
    from importlib import resources

    text = resources.files("quizapp.draft").joinpath("vocabulary.toml").read_text("utf-8")
    assert '[flags."docker run"]' in text
    assert '"docker container run" =' not in text  # an alias: the CLI model's, not written
    assert {"docker", "docker-compose"} == vocab.DOCKER_PROGRAMS
