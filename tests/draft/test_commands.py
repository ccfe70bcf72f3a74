"""Command cards: example values for placeholders, and prompts that name them."""

from __future__ import annotations

import pytest

from quizapp.draft.commands import (
    command_prompt,
    fill,
    notes_phrase,
    phrase_from,
    program_of,
    verb_phrase,
)
from quizapp.draft.inline import CODE_SPAN


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("docker volume create <name>", "docker volume create web"),
        ("docker stop <id>", "docker stop 3f2a9c1b"),
        ("docker volume rm <name(s)>", "docker volume rm web db"),
        (
            "docker secret create <secretName> <fileName>",
            "docker secret create db_password password.txt",
        ),
        ("ping <serviceName>", "ping web"),
        ('git commit -m "<message>"', 'git commit -m "Fix the login form"'),
        ("git commit -m <message>", "git commit -m 'Fix the login form'"),
        ("kubectl apply -f <configFile>", "kubectl apply -f my-config-file"),
        ("docker config create <configName>", "docker config create my-config"),
        ("kubectl rollout undo deployment/<deployment>", "kubectl rollout undo deployment/web"),
        ("docker run -p <hostPort>:<containerPort> nginx", "docker run -p 8080:80 nginx"),
        ("docker logs --tail <n> <container>", "docker logs --tail 10 web"),
        ("docker exec -it <container> <cmd>", "docker exec -it web sh"),
        ("docker run -v <host-dir>:/data <image>", "docker run -v /srv/app:/data nginx:1.27"),
        (
            "docker swarm join --token <token> <manager-ip>:2377",
            "docker swarm join --token SWMTKN-1-example 10.0.0.5:2377",
        ),
    ],
)
def test_placeholders_get_example_values(command: str, answer: str) -> None:
    assert fill(command).answer == answer


def test_program_of_needs_a_known_program_and_an_argument() -> None:
    assert program_of("docker ps") == "docker"
    assert program_of("sudo systemctl restart kubelet") == "systemctl"
    assert program_of("docker") is None
    assert program_of("exit") is None
    assert program_of("FROM alpine") is None
    assert program_of("RUN npm install") is None


def _prompt(bullet: str, context: str | None = None) -> str:
    m = CODE_SPAN.search(bullet)
    assert m is not None
    phrase = notes_phrase(bullet, (m.start(), m.end()))
    return command_prompt(fill(m.group(2)), phrase, context, "Heading").text


@pytest.mark.parametrize(
    ("bullet", "prompt"),
    [
        ("Create with `docker volume create <name>`", "Create a volume named `web`."),
        ("`docker volume inspect <name>`", "Show details of the volume named `web`."),
        ("`docker volume rm <name(s)>`", "Remove the volumes named `web` and `db`."),
        ("`docker ps` to obtain the container id", "Obtain the container id."),
        ("`docker stop <id>`", "Stop the container with id `3f2a9c1b`."),
        (
            "Create a secret with command `docker secret create <secretName> <fileName>`",
            "Create a secret named `db_password` from the file `password.txt`.",
        ),
        (
            "Command `docker network inspect <name>` to display information about specific network",
            "Display information about specific network named `web`.",
        ),
        (
            "Can read these logs with command `journalctl -u docker.service`",
            "Read these logs of the unit `docker.service`.",
        ),
        (
            "When creating a new swarm: `docker swarm init --autolock`",
            "Create a new swarm with autolock turned on.",
        ),
        (
            "`docker run -d -p 80:80 docker/getting-started`",
            "Run a container from the image `docker/getting-started` in the background, "
            "publishing port `80:80`.",
        ),
        (
            "`docker image build -t maintain/name:version .`",
            "Build an image from the current directory tagged `maintain/name:version`.",
        ),
        (
            "Scope - all services can reach each other (e.g. with `ping <serviceName>`), "
            "but not services outside",
            "Ping the service named `web`.",
        ),
        ("`git add <file>` stages one file", "Stage the file `notes.txt`."),
        ("`sudo systemctl restart kubelet`", "Restart the unit `kubelet` as root."),
        (
            "Open a shell: `kubectl exec -it <pod> -- sh`",
            "Open a shell (the pod `web-0`) interactively with a terminal, running `sh`.",
        ),
        # Never the command's own words or flags: the author is asked to say it (a check).
        ("`npm ci --omit=dev`", "Run the `npm` command for Heading."),
        (
            "Use `docker ps -a` to list all containers.",
            "List all containers including the stopped ones.",
        ),
        (
            "Run `docker logs -f <container>` to follow the logs.",
            "Follow the logs (the container `web`).",
        ),
        (
            "`docker compose up -d` starts the stack in the background.",
            "Start the stack in the background.",
        ),
        ("Type `docker volume ls` to see every volume", "See every volume."),
        ("List branches with `git branch -a`", "List branches including the remote ones."),
        (
            "Commit everything with `git commit -a -m <message>`",
            "Commit everything including every tracked file, "
            "with the message `Fix the login form`.",
        ),
    ],
)
def test_prompts_say_what_to_do_and_name_every_value(bullet: str, prompt: str) -> None:
    assert _prompt(bullet) == prompt


def test_a_label_is_the_fallback_context_of_an_unknown_command() -> None:
    assert _prompt("`npm ci`", context="Install exactly") == "Install exactly."


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Building an image:", "Build an image"),
        ("Running in background mode:", "Run in background mode"),
        ("Finally, can build the image with", "Build the image"),
        ("Create with", None),
        ("shelves the changes for later", "Shelve the changes for later"),
        ("pushes it", "Push it"),
        ("to list all containers.", "List all containers"),
        ("a b c d e f g h i j k l", None),
    ],
)
def test_phrase_from(text: str, phrase: str | None) -> None:
    found = phrase_from(text)
    assert (verb_phrase(found, None) if found else found) == phrase
