"""Exact results for the issue's examples: verdict, grade, closest answer, words and diff."""

from __future__ import annotations

import pytest

from quizapp.grading import DiffToken, GradeResult, Verdict, grade_command


def test_right_answer_in_another_spelling() -> None:
    result = grade_command("docker ps -a", ["docker container ls --all"])
    assert result == GradeResult(
        verdict=Verdict.RIGHT,
        proposed_grade=4,
        closest="docker container ls --all",
        explanations=("docker ps is docker container ls",),
        diff=(
            DiffToken("same", "docker ps", "docker container ls"),
            DiffToken("same", "-a", "--all"),
        ),
    )


@pytest.mark.parametrize(
    ("typed", "answer", "note"),
    [
        ("docker run -m 512M alpine", "docker run -m 512m alpine", "512M is the same size as 512m"),
        (
            "docker kill -s SIGKILL web",
            "docker kill -s KILL web",
            "SIGKILL is the same signal as KILL",
        ),
        (
            "docker run --health-interval 60m x",
            "docker run --health-interval 1h x",
            "60m is the same duration as 1h",
        ),
        ("docker save alpine > f", "docker save -o f alpine", "> f does what -o f does"),
        (
            "docker inspect --type network backend",
            "docker network inspect backend",
            "docker inspect --type network is docker network inspect",
        ),
        ("docker kill -s KILL web", "docker kill web", "-s KILL is the default (--signal KILL)"),
    ],
)
def test_right_by_an_equivalence_says_which(typed: str, answer: str, note: str) -> None:
    result = grade_command(typed, [answer])
    assert result.verdict is Verdict.RIGHT
    assert note in result.explanations


@pytest.mark.parametrize(
    ("typed", "answer", "says_typo"),
    [
        ("docker run -d ngnix", "docker run -d nginx", True),
        ("docker stop web2", "docker stop web", False),
        ("docker run -p 8081:80 nginx", "docker run -p 8080:80 nginx", False),
    ],
)
def test_a_typo_is_only_a_misspelt_word(typed: str, answer: str, says_typo: bool) -> None:
    result = grade_command(typed, [answer])
    assert result.verdict is Verdict.CLOSE
    assert any("(a typo)" in line for line in result.explanations) is says_typo


def test_missing_flag_is_close_and_named_with_both_names() -> None:
    result = grade_command("docker run -p 80:80 nginx", ["docker run -d -p 80:80 nginx"])
    assert result == GradeResult(
        verdict=Verdict.CLOSE,
        proposed_grade=2,
        closest="docker run -d -p 80:80 nginx",
        explanations=("missing -d (--detach)",),
        diff=(
            DiffToken("same", "docker run", "docker run"),
            DiffToken("missing", None, "-d"),
            DiffToken("same", "-p 80:80", "-p 80:80"),
            DiffToken("same", "nginx", "nginx"),
        ),
    )


def test_misspelt_flag_gets_a_suggestion() -> None:
    result = grade_command("docker run --detatch nginx", ["docker run -d nginx"])
    assert result.verdict is Verdict.CLOSE
    assert result.explanations == ("unknown flag --detatch: did you mean --detach?",)
    assert result.diff[1] == DiffToken("changed", "--detatch", "-d")


def test_reversed_port_mapping() -> None:
    result = grade_command("docker run -p 80:8080 web", ["docker run -p 8080:80 web"])
    assert result.verdict is Verdict.CLOSE
    assert result.explanations == (
        "port mapping 80:8080 is reversed: write 8080:80 (host port first)",
    )
    assert result.diff[1] == DiffToken("changed", "-p 80:8080", "-p 8080:80")


def test_flags_after_the_image_go_to_the_container() -> None:
    result = grade_command(
        "docker container run alpine sh -it --name test",
        ["docker container run -it --name test alpine sh"],
    )
    assert result.verdict is Verdict.WRONG
    assert result.proposed_grade == 1
    assert result.explanations == (
        "sh -it --name test after the image is passed to the container, put flags before the image",
    )
    assert result.diff == (
        DiffToken("same", "docker container run", "docker container run"),
        DiffToken("changed", "-i", "-i"),
        DiffToken("changed", "--name test", "--name test"),
        DiffToken("changed", "-t", "-t"),
        DiffToken("same", "alpine", "alpine"),
        DiffToken("same", "sh", "sh"),
    )


def test_sh_typed_after_the_image_with_the_flags() -> None:
    result = grade_command("docker run alpine sh -it", ["docker run -it alpine sh"])
    assert result.explanations == (
        "sh -it after the image is passed to the container, put flags before the image",
    )


def test_image_command_where_a_container_is_asked_for() -> None:
    result = grade_command("docker image rm test", ["docker container rm test"])
    assert result.verdict is Verdict.WRONG
    assert result.explanations == ("docker image rm removes images; this asks for a container",)
    assert result.diff == (
        DiffToken("same", "docker", "docker"),
        DiffToken("changed", "image", "container"),
        DiffToken("same", "rm", "rm"),
        DiffToken("same", "test", "test"),
    )


def test_the_command_words_are_diffed_word_by_word() -> None:
    typo = grade_command("docker volume craete data", ["docker volume create data"])
    assert typo.diff == (
        DiffToken("same", "docker volume", "docker volume"),
        DiffToken("changed", "craete", "create"),
        DiffToken("same", "data", "data"),
    )
    short = grade_command("docker rm web", ["docker image rm web"])
    assert short.diff[:3] == (
        DiffToken("same", "docker", "docker"),
        DiffToken("missing", None, "image"),
        DiffToken("same", "rm", "rm"),
    )
    longer = grade_command("docker image rm web", ["docker rm web"])
    assert longer.diff[:3] == (
        DiffToken("same", "docker", "docker"),
        DiffToken("extra", "image", None),
        DiffToken("same", "rm", "rm"),
    )


def test_other_verb_names_both_commands() -> None:
    result = grade_command("docker stop web", ["docker rm web"])
    assert result.explanations == (
        "docker stop stops running containers, but this asks for docker rm, "
        "which removes containers",
    )


def test_wrong_value_names_flag_and_both_values() -> None:
    result = grade_command("docker run --name tset alpine", ["docker run --name test alpine"])
    assert result.explanations == ("--name should be test, not tset (a typo)",)
    assert result.diff[1] == DiffToken("changed", "--name tset", "--name test")


def test_extra_flag_with_value() -> None:
    result = grade_command("docker run -e A=1 alpine", ["docker run alpine"])
    assert result.verdict is Verdict.CLOSE
    assert result.explanations == ("extra -e (--env) A=1",)
    assert result.diff[1] == DiffToken("extra", "-e A=1", None)


def test_two_differences_are_wrong() -> None:
    result = grade_command("docker run nginx", ["docker run -d -p 80:80 nginx"])
    assert result.verdict is Verdict.WRONG
    assert result.explanations == ("missing -d (--detach)", "missing -p (--publish) 80:80")


def test_closest_of_several_answers_is_reported() -> None:
    answers = ["docker network inspect backend", "docker network inspect backend --format json"]
    result = grade_command("docker network inspect backend --format=json", answers)
    assert result.verdict is Verdict.RIGHT
    assert result.closest == answers[1]
    close = grade_command("docker network inspect backend -f jsn", answers)
    assert close.verdict is Verdict.CLOSE
    assert close.closest == answers[1]
    assert close.explanations == ("--format should be json, not jsn (a typo)",)


def test_programs_without_a_model_compare_by_posix_conventions() -> None:
    result = grade_command("frobnicate -u docker", ["frobnicate -u docker.service"])
    assert result.verdict is Verdict.CLOSE
    assert result.explanations[0] == "expected docker.service, not docker"
    assert "POSIX utility conventions" in result.explanations[-1]
    # options before operands: `-u` after the operand is not the same line
    assert grade_command(
        "frobnicate docker.service -u", ["frobnicate -u docker.service"]
    ).verdict in (Verdict.CLOSE, Verdict.WRONG)
    assert grade_command("frobnicate -ab x", ["frobnicate -b -a x"]).verdict is Verdict.RIGHT


def test_journalctl_reads_its_unit_as_a_service() -> None:
    result = grade_command("journalctl -u docker", ["journalctl -u docker.service"])
    assert result.verdict is Verdict.RIGHT
    assert grade_command(
        "journalctl docker.service -u", ["journalctl -u docker.service"]
    ).verdict in (Verdict.CLOSE, Verdict.WRONG)


def test_unparseable_input_is_wrong_with_a_reason() -> None:
    result = grade_command('docker run "alpine', ["docker run alpine"])
    assert result == GradeResult(
        verdict=Verdict.WRONG,
        proposed_grade=1,
        closest="docker run alpine",
        explanations=("the command cannot be read: no closing quotation",),
        diff=(DiffToken("changed", 'docker run "alpine', "docker run alpine"),),
    )


@pytest.mark.parametrize("typed", ["", "   ", "$", "$  ", "\n\t"])
def test_empty_input_is_empty_with_grade_0(typed: str) -> None:
    result = grade_command(typed, ["docker ps"])
    assert result.verdict is Verdict.EMPTY
    assert result.proposed_grade == 0
    assert result.closest == "docker ps"


def test_prefix_is_put_before_the_typed_rest() -> None:
    answers = ["docker network inspect backend"]
    assert (
        grade_command("inspect backend", answers, prefix="docker network").verdict is Verdict.RIGHT
    )
    assert (
        grade_command("ls", ["docker network ls"], prefix="docker network").verdict is Verdict.RIGHT
    )
    retyped = grade_command("docker network inspect backend", answers, prefix="docker network")
    assert retyped.verdict is Verdict.RIGHT
    wrong = grade_command("inspect frontend", answers, prefix="docker network")
    assert wrong.verdict is Verdict.CLOSE
    assert wrong.explanations == ("the network should be backend, not frontend",)
    assert grade_command("", answers, prefix="docker network").verdict is Verdict.EMPTY


def test_no_answers_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        grade_command("docker ps", [])


def test_unreadable_accepted_answers_are_skipped() -> None:
    result = grade_command("docker ps", ["docker 'ps", "docker ps"])
    assert result.verdict is Verdict.RIGHT
    assert result.closest == "docker ps"
