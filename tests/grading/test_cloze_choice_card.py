"""Cloze and choice answers, the card dispatcher, and the deck loader's unknown-command check."""

from __future__ import annotations

import pytest

from quizapp.deck.model import BasicCard, ChoiceCard, ClozeCard, CommandCard
from quizapp.grading import (
    DiffToken,
    Verdict,
    grade_card,
    grade_choice,
    grade_cloze,
    unknown_docker_command,
)


@pytest.mark.parametrize(
    ("typed", "verdict"),
    [
        ("Overlay", Verdict.RIGHT),
        ("  overlay  ", Verdict.RIGHT),
        ("OVERLAY", Verdict.RIGHT),
        ("overlya", Verdict.CLOSE),
        ("overla", Verdict.CLOSE),
        ("bridge", Verdict.WRONG),
        ("", Verdict.EMPTY),
        ("   ", Verdict.EMPTY),
    ],
)
def test_cloze_trims_and_folds_case(typed: str, verdict: Verdict) -> None:
    assert grade_cloze(typed, ["overlay"]).verdict is verdict


def test_cloze_exact_case() -> None:
    assert grade_cloze("Raft", ["Raft"], exact_case=True).verdict is Verdict.RIGHT
    result = grade_cloze("raft", ["Raft"], exact_case=True)
    assert result.verdict is Verdict.CLOSE
    assert result.explanations == ("mind the capitals: Raft",)


def test_cloze_several_occurrences_in_order() -> None:
    expected = ["docker swarm init", "--autolock"]
    assert grade_cloze("docker swarm init, --autolock", expected).verdict is Verdict.RIGHT
    assert grade_cloze("docker swarm init --autolock", expected).verdict is Verdict.RIGHT
    assert grade_cloze("docker swarm init,--autolock", expected).verdict is Verdict.RIGHT
    wrong = grade_cloze("--autolock, docker swarm init", expected)
    assert wrong.verdict is Verdict.WRONG
    assert wrong.closest == "docker swarm init, --autolock"
    assert wrong.explanations == ("the answers are docker swarm init, --autolock, in this order",)


def test_cloze_result_fields() -> None:
    result = grade_cloze("overlya", ["overlay"])
    assert result.proposed_grade == 2
    assert result.closest == "overlay"
    assert result.explanations == ("almost: overlay (a misspelling)",)
    assert result.diff == (DiffToken("changed", "overlya", "overlay"),)
    wrong = grade_cloze("bridge", ["overlay"])
    assert wrong.proposed_grade == 1
    assert wrong.explanations == ("the answer is overlay",)


def test_cloze_command_in_another_spelling() -> None:
    assert grade_cloze("docker ps", ["docker container ls"]).verdict is Verdict.RIGHT


def test_choice_is_identity() -> None:
    assert grade_choice("Raft", "Raft").verdict is Verdict.RIGHT
    assert grade_choice("Raft", "Raft").proposed_grade == 4
    assert grade_choice("raft", "Raft").verdict is Verdict.WRONG
    assert grade_choice("Paxos", "Raft").explanations == ("the answer is Raft",)
    assert grade_choice("", "Raft").verdict is Verdict.EMPTY


CLOZE = ClozeCard(
    id="overlay",
    text="Create with {{c1::docker network create}} and encrypt with "
    "{{c2::-o encrypted::an option}}.",
)


def test_grade_card_dispatches_on_kind() -> None:
    command = CommandCard(id="ps", prompt="List", answer="docker ps", accept=("docker ps -a",))
    assert grade_card(command, "docker container ls -a").closest == "docker ps -a"
    prefixed = CommandCard(id="n", prompt="p", answer="docker network ls", prefix="docker network")
    assert grade_card(prefixed, "list").verdict is Verdict.RIGHT
    assert grade_card(CLOZE, "-o encrypted", 2).verdict is Verdict.RIGHT
    assert grade_card(CLOZE, "docker network create", 1).verdict is Verdict.RIGHT
    choice = ChoiceCard(id="c", question="q", choices=("Raft", "Paxos"), answer="Raft")
    assert grade_card(choice, "Paxos").verdict is Verdict.WRONG


def test_grade_card_cloze_number_rules() -> None:
    single = ClozeCard(id="one", text="The {{c1::bridge}} network")
    assert grade_card(single, "bridge").verdict is Verdict.RIGHT
    with pytest.raises(ValueError, match="several deletions"):
        grade_card(CLOZE, "x")
    with pytest.raises(ValueError, match="no deletion c3"):
        grade_card(CLOZE, "x", 3)


def test_basic_cards_are_self_graded() -> None:
    with pytest.raises(ValueError, match="basic card"):
        grade_card(BasicCard(id="b", front="f", back="b"), "b")


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("docker ps", None),
        ("docker container run -it alpine sh", None),
        ("docker-compose up", None),
        ("journalctl -u docker.service", None),
        ("apk add --update nodejs npm", None),
        ("docker", None),
        ("docker 'ps", None),
        ("docker foo", "docker foo: unknown docker command"),
        ("docker frobnicate x", "docker frobnicate: unknown docker command"),
        ("docker volume frob x", "docker volume frob: unknown docker command"),
        ("docker-compose frob", "docker compose frob: unknown docker command"),
        (
            "docker contianer ls",
            "docker contianer ls: unknown docker command (did you mean container for contianer?)",
        ),
    ],
)
def test_unknown_docker_command(command: str, message: str | None) -> None:
    assert unknown_docker_command(command) == message


def test_cloze_ignores_code_backticks() -> None:
    assert grade_cloze("docker ps", ["`docker ps`"]).verdict is Verdict.RIGHT
    assert grade_cloze("`-o encrypted`", ["-o encrypted"]).verdict is Verdict.RIGHT
