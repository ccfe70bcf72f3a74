"""The draft of the Docker notes: a command card for every command, valid, stable, in order."""

from __future__ import annotations

import re

from quizapp.deck.loader import ID_PATTERN
from quizapp.deck.model import BasicCard, ClozeCard, CommandCard, Deck
from quizapp.draft.cards import DraftCard
from quizapp.draft.pipeline import draft_text
from quizapp.grading import Verdict, grade_command

from .helpers import DATA

Drafted = tuple[str, list[DraftCard], Deck]

NOTES = (DATA / "docker-notes.md").read_text(encoding="utf-8")
COMMANDS = re.findall(r"`((?:docker|docker-compose|journalctl) [^`]*)`", NOTES)


def _answer_pattern(command: str) -> re.Pattern[str]:
    """The command with each `<placeholder>` standing for one or more concrete words."""
    parts = re.split(r"<[^>]+>", command)
    return re.compile(r"\S+(?: \S+)?".join(re.escape(p) for p in parts))


def test_every_backticked_docker_command_has_a_command_card(docker: Drafted) -> None:
    _, _, deck = docker
    answers = [c.answer for c in deck.cards if isinstance(c, CommandCard)]
    assert len(COMMANDS) == 24
    for command in COMMANDS:
        assert any(_answer_pattern(command).fullmatch(a) for a in answers), command
    assert len(answers) == len(COMMANDS) + 1  # and `ping <serviceName>`
    assert not any("<" in a or ">" in a for a in answers)


def test_every_answer_is_graded_right_against_itself(docker: Drafted) -> None:
    _, _, deck = docker
    for card in deck.cards:
        if isinstance(card, CommandCard):
            assert grade_command(card.answer, card.answers).verdict is Verdict.RIGHT


def test_prompts_name_the_example_values(docker: Drafted) -> None:
    _, _, deck = docker
    prompts = {c.answer: c.prompt for c in deck.cards if isinstance(c, CommandCard)}
    assert prompts["docker volume create web"] == "Create a volume named `web`."
    assert prompts["docker volume rm web db"] == "Remove the volumes named `web` and `db`."
    assert prompts["docker stop 3f2a9c1b"] == "Stop the container with id `3f2a9c1b`."
    assert prompts["docker secret create db_password password.txt"] == (
        "Create a secret named `db_password` from the file `password.txt`."
    )
    assert prompts["docker ps"] == "Obtain the container id."
    assert prompts["docker-compose up"] == "Bring the apps up."
    assert (
        prompts["journalctl -u docker.service"] == "Read these logs of the unit `docker.service`."
    )
    for answer, prompt in prompts.items():
        for value in ("web", "db", "3f2a9c1b", "db_password", "password.txt"):
            if value in answer.split():
                assert f"`{value}`" in prompt, (answer, prompt)


def test_definitions_and_bold_terms(docker: Drafted) -> None:
    _, _, deck = docker
    basics = {c.front: c.back for c in deck.cards if isinstance(c, BasicCard)}
    clozes = [c.text for c in deck.cards if isinstance(c, ClozeCard)]
    assert basics["What is `cgroups` short for?"] == "control groups"
    assert basics["What is an image?"] == (
        "A bunch of independent layers that are loosely connected by a manifest file"
    )
    assert basics["What is Bridge network?"] == "Oldest and most common, turned on by default"
    assert basics["What is another name for Overlay network?"] == "multi-host networks"
    assert basics["What is MACVLAN?"] == (
        "Every container gets its own IP and MAC address on the existing network"
    )
    assert "This distributed consensus management is handled by {{c1::Raft}}" in clozes
    assert (
        "{{c1::Volume storage}} needs to be specifically created, and lives outside of the "
        "container" in clozes
    )


def test_other_facts_are_whole_sentence_clozes_marked_for_review(docker: Drafted) -> None:
    text, cards, _ = docker
    fact = next(c for c in cards if c.fields.get("text") == "Keep images {{c1::small}}")
    assert fact.checks == ["blank drawn automatically: make sure it asks what matters in the note"]
    copy = next(c for c in cards if c.fields.get("back") == "`COPY . /src`\n`WORKDIR /src`")
    assert copy.fields["front"] == (
        "Which lines does the note “Next, want to copy our source code to the container OS "
        "image” give?"
    )
    assert "  # check: front drawn automatically; make it a question\n  - id: " in text


def test_sections_and_tags_follow_the_headings(docker: Drafted) -> None:
    _, _, deck = docker
    by_answer = {c.answer: c for c in deck.cards if isinstance(c, CommandCard)}
    inspect = by_answer["docker network inspect web"]
    assert inspect.section == "Container Networking > Network types"
    assert inspect.tags == ("container-networking", "network-types")
    assert by_answer["docker ps"].section == "Basic Docker Commands"
    assert by_answer["docker-compose up"].section == "Stacks and Services > Microservices"
    assert by_answer["docker-compose up"].tags == ("stacks-and-services", "microservices")
    assert by_answer["docker ps"].tags == ("basic-docker-commands",)
    first = deck.cards[0]
    assert first.section == "Docker" and first.tags == ()
    assert all(card.section for card in deck.cards)


def test_ids_are_unique_valid_and_stable(docker: Drafted) -> None:
    text, _, deck = docker
    ids = [card.id for card in deck.cards]
    assert len(ids) == len(set(ids))
    assert all(ID_PATTERN.fullmatch(i) for i in ids)
    assert "volumes-persistent-docker-volume-create-web" in ids
    again, _ = draft_text(NOTES, "docker-notes", None, "docker-notes.md")
    assert again == text


def test_cards_keep_the_order_of_the_notes(docker: Drafted) -> None:
    _, cards, deck = docker
    lines = [card.line for card in cards]
    assert lines == sorted(lines)
    assert [c.id for c in cards] == [c.id for c in deck.cards]
    answers = [c.answer for c in deck.cards if isinstance(c, CommandCard)]
    assert answers.index("docker stop 3f2a9c1b") < answers.index("docker rm 3f2a9c1b")
    assert answers[-2:] == ["docker-compose up", "docker-compose down"]


def test_command_cards_are_marked_for_a_human_look(docker: Drafted) -> None:
    text, cards, _ = docker
    for card in cards:
        if card.kind == "command":
            block = rf"  # check: prompt drawn automatically\n(?:  # .*\n)*  - id: {card.id}\n"
            assert re.search(block, text), card.id
    assert text.count("# check: prompt drawn automatically") == 25
    assert (
        "  # check: the grader models docker only: it compares this `journalctl` command "
        "word by word\n  - id: logging-journalctl-u-docker-service\n" in text
    )


def test_header(docker: Drafted) -> None:
    text, _, deck = docker
    assert (deck.id, deck.title, deck.source) == ("docker-notes", "Docker", "docker-notes.md")
    assert '\ndeck: docker-notes\ntitle: "Docker"\nsource: "docker-notes.md"\ncards:\n' in text
