"""The issue's examples, class by class: each right answer is right, each wrong one is not."""

from __future__ import annotations

import pytest

from quizapp.deck.model import ClozeCard, CommandCard
from quizapp.grading import Verdict, grade_card, grade_command

SAME = [
    # 1. prefix cards: the whole command typed on a card with a prefix
    ("docker image build", "docker image build -t tag .", "docker build -t tag ."),
    ("docker network", "docker network inspect backend", "docker inspect --type network backend"),
    # 2. values by type
    (None, "docker run -m 512m alpine", "docker run -m 512M alpine"),
    (None, "docker run -m 512m alpine", "docker run -m 536870912 alpine"),
    (None, "docker run -m 512m alpine", "docker run -m 0.5g alpine"),
    (None, "docker run --cpus 1 alpine", "docker run --cpus 1.0 alpine"),
    (None, "docker run --health-interval 1h x", "docker run --health-interval 60m x"),
    (None, "docker run --health-interval 10s x", "docker run --health-interval 10000ms x"),
    (None, "docker kill -s KILL web", "docker kill -s SIGKILL web"),
    (None, "docker kill -s KILL web", "docker kill -s 9 web"),
    (None, "docker run --cap-add SYS_ADMIN x", "docker run --cap-add CAP_SYS_ADMIN x"),
    (None, "docker run --ulimit nofile=1024 x", "docker run --ulimit nofile=1024:1024 x"),
    (None, "docker run --add-host h:10.0.0.1 x", "docker run --add-host h=10.0.0.1 x"),
    (
        None,
        "docker run --mount source=v,target=/d,readonly x",
        "docker run --mount ro,dst=/d,src=v x",
    ),
    (None, "docker run --env-file ./f x", "docker run --env-file f x"),
    (None, "docker ps --format '{{.Names}}'", "docker ps --format '{{ .Names }}'"),
    (None, "docker run -p 8000-8001:80-81 x", "docker run -p 8000:80 -p 8001:81 x"),
    # 3. defaults
    (None, "docker run -v data:/data x", "docker run -v data:/data:rw x"),
    (None, "docker build -t web .", "docker build -f Dockerfile -t web ."),
    (
        None,
        "docker network create -d overlay n",
        "docker network create -d overlay --scope swarm n",
    ),
    # 4. commands the docs call equivalent
    (None, "docker container inspect web", "docker inspect --type container web"),
    (None, "docker node promote n1", "docker node update --role manager n1"),
    (None, "docker node demote n1", "docker node update --role worker n1"),
    (None, "docker service scale web=5", "docker service update --replicas 5 web"),
    (None, "docker buildx build --load -t w .", "docker buildx build --output type=docker -t w ."),
    (
        None,
        "docker buildx build --push -t w .",
        "docker buildx build --output type=registry -t w .",
    ),
    (None, "docker run -v data:/data x", "docker run --mount source=data,target=/data x"),
    # 5. gaps in the model
    (None, "docker context ls", "docker context list"),
    (None, "docker plugin ls", "docker plugin list"),
    (None, "docker builder prune -a", "docker builder prune --all"),
    (None, "docker container update -m 1g web", "docker update --memory 1g web"),
    (None, "docker buildx create --name b --use", "docker buildx create --use --name=b"),
    (None, "docker compose exec web sh", "docker compose exec -it web sh"),
    (None, "docker volume create data", "docker volume create --name data"),
    (None, "docker --version", "docker -v"),
    (None, "docker run --network n --network-alias a x", "docker run --network name=n,alias=a x"),
    # 6. lists and order
    (None, "docker run -e A=1 -e A=2 x", "docker run -e A=2 x"),
    (None, "docker build --build-arg V=1 --build-arg V=2 .", "docker build --build-arg V=2 ."),
    (None, "docker run -l a=1 -l a=2 x", "docker run -l a=2 x"),
    (
        None,
        "docker buildx build --platform a,b .",
        "docker buildx build --platform a --platform b .",
    ),
    (None, "docker build --cache-from a,b .", "docker build --cache-from a --cache-from b ."),
    (None, "docker run -v d:/d -v d:/d x", "docker run -v d:/d x"),
    # 7. the shell
    (None, "docker run x sh -c 'echo $HOME'", 'docker run x sh -c "echo \\$HOME"'),
    (None, "docker ps", "docker ps # list them"),
    (None, "docker run -v ~/d:/d x", "docker run -v $HOME/d:/d x"),
    (None, "docker save -o f alpine", "docker save alpine > f"),
    (None, "docker load -i f", "docker load < f"),
    (None, "docker rm $(docker ps -aq)", "docker rm $(docker ps -a -q)"),
    (None, "docker info | grep -i x", "docker system info | grep -i x"),
]

DIFFERENT = [
    (None, "docker run -m 512m alpine", "docker run -m 512 alpine"),
    (None, "docker kill -s KILL web", "docker kill -s TERM web"),
    (None, "docker run -v data:/data x", "docker run -v data:/data:ro x"),
    (
        None,
        "docker network create -d overlay n",
        "docker network create -d overlay --scope local n",
    ),
    (None, "docker node promote n1", "docker node update --role worker n1"),
    (None, "docker service scale web=5", "docker service update --replicas 3 web"),
    (None, "docker run --dns 1.1.1.1 --dns 8.8.8.8 x", "docker run --dns 8.8.8.8 --dns 1.1.1.1 x"),
    (None, "docker compose -f a.yml -f b.yml up", "docker compose -f b.yml -f a.yml up"),
    (None, "docker stack deploy -c a.yml -c b.yml s", "docker stack deploy -c b.yml -c a.yml s"),
    (None, "docker run -e A=1 -e A=2 x", "docker run -e A=1 x"),
    (None, "docker run x sh -c 'echo $HOME'", 'docker run x sh -c "echo $HOME"'),
    (None, "docker info | grep -i x", "docker info | grep x"),
    (None, "docker info | grep -i x", "docker info -i | grep x"),
]


@pytest.mark.parametrize(("prefix", "answer", "typed"), SAME)
def test_the_same_command_is_right(prefix: str | None, answer: str, typed: str) -> None:
    result = grade_command(typed, [answer], prefix)
    assert result.verdict is Verdict.RIGHT, result.explanations
    assert grade_command(answer, [typed]).verdict is Verdict.RIGHT


@pytest.mark.parametrize(("prefix", "answer", "typed"), DIFFERENT)
def test_another_command_is_not_right(prefix: str | None, answer: str, typed: str) -> None:
    assert grade_command(typed, [answer], prefix).verdict is not Verdict.RIGHT


def test_a_prefix_card_takes_the_rest_or_the_whole_command() -> None:
    card = CommandCard(
        id="b", prompt="build", answer="docker image build -t tag .", prefix="docker image build"
    )
    for typed in ("-t tag .", "docker build -t tag .", "docker image build --tag=tag ."):
        assert grade_card(card, typed).verdict is Verdict.RIGHT, typed


@pytest.mark.parametrize(
    ("typed", "verdict"),
    [
        ("-o encrypted", Verdict.RIGHT),
        ("--opt encrypted", Verdict.RIGHT),
        ("--opt=encrypted", Verdict.RIGHT),
        ("-o plain", Verdict.CLOSE),
        ("--attachable", Verdict.WRONG),
    ],
)
def test_a_deletion_inside_a_command_is_graded_as_the_command(typed: str, verdict: Verdict) -> None:
    card = ClozeCard(
        id="c", text="`docker network create -d overlay {{c1::-o encrypted}} secure-net`"
    )
    assert grade_card(card, typed, 1).verdict is verdict
