"""The named table: typed commands against accepted answers, with the verdict each must get.

Each row says what the Docker CLI would do with both lines; `says` is a phrase the
explanation must contain (None: no check beyond the verdict).
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from quizapp.grading import Verdict, grade_command

R, C, W = Verdict.RIGHT, Verdict.CLOSE, Verdict.WRONG


class Row(NamedTuple):
    id: str
    typed: str
    answer: str
    verdict: Verdict
    says: str | None = None


ROWS = [
    # --- aliases: every spelling of one command
    Row("ps-is-container-ls", "docker ps", "docker container ls", R),
    Row("container-list-is-ps", "docker container list", "docker ps", R),
    Row("container-ps-is-ps", "docker container ps", "docker ps", R),
    Row("container-ls-is-list", "docker container ls", "docker container list", R),
    Row("rm-is-container-rm", "docker rm test", "docker container rm test", R),
    Row("container-remove-is-rm", "docker container remove test", "docker rm test", R),
    Row("images-is-image-ls", "docker images", "docker image ls", R),
    Row("image-list-is-images", "docker image list", "docker images", R),
    Row("rmi-is-image-rm", "docker rmi alpine", "docker image rm alpine", R),
    Row("image-remove-is-rmi", "docker image remove alpine", "docker rmi alpine", R),
    Row("build-is-image-build", "docker build -t app .", "docker image build -t app .", R),
    Row("buildx-build-is-build", "docker buildx build -t app .", "docker build -t app .", R),
    Row("builder-build-is-build", "docker builder build -t app .", "docker build -t app .", R),
    Row("push-is-image-push", "docker push me/app:1", "docker image push me/app:1", R),
    Row("pull-is-image-pull", "docker pull alpine", "docker image pull alpine", R),
    Row("tag-is-image-tag", "docker tag app me/app:1", "docker image tag app me/app:1", R),
    Row("run-is-container-run", "docker run alpine", "docker container run alpine", R),
    Row("create-is-container-create", "docker create alpine", "docker container create alpine", R),
    Row("start-is-container-start", "docker start web", "docker container start web", R),
    Row("stop-is-container-stop", "docker stop web", "docker container stop web", R),
    Row("restart-alias", "docker restart web", "docker container restart web", R),
    Row("exec-alias", "docker exec -it web sh", "docker container exec -it web sh", R),
    Row("logs-alias", "docker logs web", "docker container logs web", R),
    Row("cp-alias", "docker cp web:/a.txt .", "docker container cp web:/a.txt .", R),
    Row("volume-list-is-ls", "docker volume list", "docker volume ls", R),
    Row("volume-remove-is-rm", "docker volume remove data", "docker volume rm data", R),
    Row("network-list-is-ls", "docker network list", "docker network ls", R),
    Row("network-remove-is-rm", "docker network remove backend", "docker network rm backend", R),
    Row("service-list-is-ls", "docker service list", "docker service ls", R),
    Row("service-remove-is-rm", "docker service remove web", "docker service rm web", R),
    Row(
        "stack-up-is-deploy", "docker stack up -c s.yml app", "docker stack deploy -c s.yml app", R
    ),
    Row("stack-down-is-rm", "docker stack down app", "docker stack rm app", R),
    Row("stack-remove-is-rm", "docker stack remove app", "docker stack rm app", R),
    Row("stack-list-is-ls", "docker stack list", "docker stack ls", R),
    Row("secret-list-is-ls", "docker secret list", "docker secret ls", R),
    Row("secret-remove-is-rm", "docker secret remove pw", "docker secret rm pw", R),
    Row("node-list-is-ls", "docker node list", "docker node ls", R),
    Row("info-is-system-info", "docker info", "docker system info", R),
    Row("compose-v1-up", "docker-compose up", "docker compose up", R),
    Row("compose-v1-down", "docker compose down", "docker-compose down", R),
    Row("compose-v1-with-flags", "docker-compose up -d", "docker compose up --detach", R),
    # --- flag spelling
    Row("it-is-ti", "docker run -ti alpine sh", "docker run -it alpine sh", R),
    Row("it-is-i-t", "docker run -i -t alpine sh", "docker run -it alpine sh", R),
    Row("it-is-long", "docker run --interactive --tty alpine sh", "docker run -it alpine sh", R),
    Row("dit-cluster", "docker run -d -i -t alpine", "docker run -dit alpine", R),
    Row("name-equals", "docker run --name=test alpine", "docker run --name test alpine", R),
    Row("attached-port", "docker run -p80:80 nginx", "docker run -p 80:80 nginx", R),
    Row("short-equals-port", "docker run -p=80:80 nginx", "docker run -p 80:80 nginx", R),
    Row("publish-long", "docker run --publish 80:80 nginx", "docker run -p 80:80 nginx", R),
    Row("publish-equals", "docker run --publish=80:80 nginx", "docker run -p 80:80 nginx", R),
    Row("dp-cluster-value", "docker run -dp 80:80 nginx", "docker run -d -p 80:80 nginx", R),
    Row("detach-true", "docker run --detach=true nginx", "docker run -d nginx", R),
    Row("detach-false-is-absent", "docker run --detach=false nginx", "docker run nginx", R),
    Row("d-equals-true", "docker run -d=true nginx", "docker run -d nginx", R),
    Row("bool-1", "docker ps --all=1", "docker ps -a", R),
    Row(
        "autolock-true", "docker swarm update --autolock=true", "docker swarm update --autolock", R
    ),
    Row(
        "autolock-false",
        "docker swarm update --autolock=false",
        "docker swarm update --autolock",
        C,
    ),
    Row("force-long", "docker container rm --force test", "docker container rm -f test", R),
    Row("all-long", "docker ps --all", "docker ps -a", R),
    Row("quiet-long", "docker ps --quiet --all", "docker ps -aq", R),
    Row("qa-cluster", "docker ps -qa", "docker ps -aq", R),
    Row("env-long", "docker run --env A=1 alpine", "docker run -e A=1 alpine", R),
    Row(
        "volume-long", "docker run --volume data:/data alpine", "docker run -v data:/data alpine", R
    ),
    Row("workdir-long", "docker run --workdir /app alpine", "docker run -w /app alpine", R),
    Row(
        "net-hidden-alias",
        "docker run --net backend alpine",
        "docker run --network backend alpine",
        R,
    ),
    Row(
        "compose-file-long",
        "docker stack deploy --compose-file s.yml app",
        "docker stack deploy -c s.yml app",
        R,
    ),
    Row("tag-long", "docker build --tag app .", "docker build -t app .", R),
    Row("file-long", "docker build --file Dockerfile.dev .", "docker build -f Dockerfile.dev .", R),
    Row("follow-long", "docker logs --follow web", "docker logs -f web", R),
    Row("tail-short", "docker logs -n 10 web", "docker logs --tail 10 web", R),
    Row(
        "driver-long",
        "docker network create --driver overlay net",
        "docker network create -d overlay net",
        R,
    ),
    Row(
        "opt-long",
        "docker network create --opt encrypted net",
        "docker network create -o encrypted net",
        R,
    ),
    # --- order
    Row("flag-order", "docker run -p 80:80 -d nginx", "docker run -d -p 80:80 nginx", R),
    Row("flag-after-positional", "docker container rm test -f", "docker rm -f test", R),
    Row("flag-after-positional-2", "docker rm -f test", "docker container rm test -f", R),
    Row(
        "two-ports-any-order",
        "docker run -p 443:443 -p 80:80 nginx",
        "docker run -p 80:80 -p 443:443 nginx",
        R,
    ),
    Row(
        "two-envs-any-order",
        "docker run -e B=2 -e A=1 alpine",
        "docker run -e A=1 -e B=2 alpine",
        R,
    ),
    Row("rm-args-any-order", "docker rm b a", "docker rm a b", R),
    Row("volume-rm-args-any-order", "docker volume rm v2 v1", "docker volume rm v1 v2", R),
    Row(
        "network-flags-order",
        "docker network create -d overlay -o encrypted NAME",
        "docker network create -o encrypted -d overlay NAME",
        R,
    ),
    Row(
        "stack-flag-after-name",
        "docker stack deploy app -c s.yml",
        "docker stack deploy -c s.yml app",
        R,
    ),
    Row("logs-flag-after", "docker logs web -f", "docker logs -f web", R),
    Row(
        "inspect-format-after",
        "docker network inspect backend --format json",
        "docker network inspect --format json backend",
        R,
    ),
    Row("cp-args-order-matters", "docker cp . web:/a.txt", "docker cp web:/a.txt .", W),
    Row("tag-args-order-matters", "docker tag me/app:1 app", "docker tag app me/app:1", W),
    Row(
        "container-command-keeps-order",
        "docker run alpine echo b a",
        "docker run alpine echo a b",
        W,
    ),
    Row(
        "container-command-flag-is-its-own",
        "docker run alpine ls -la",
        "docker run alpine ls -la",
        R,
    ),
    Row("exec-command-kept", "docker exec web ls -l /", "docker exec web ls -l /", R),
    Row(
        "flags-after-image-go-to-container",
        "docker container run alpine sh -it --name test",
        "docker container run -it --name test alpine sh",
        W,
        "put flags before the image",
    ),
    Row(
        "flag-after-image-one",
        "docker run alpine -d",
        "docker run -d alpine",
        W,
        "-d after the image is passed to the container",
    ),
    Row(
        "exec-flag-after-container",
        "docker exec web sh -it",
        "docker exec -it web sh",
        W,
        "put flags before the container",
    ),
    Row("double-dash", "docker run -- alpine sh", "docker run alpine sh", R),
    # --- a flag letter means what it means for its command
    Row("t-is-tty-for-run", "docker run --tty alpine", "docker run -t alpine", R),
    Row("t-is-tag-for-build", "docker build --tag app .", "docker build -t app .", R),
    Row("t-tag-is-not-tty", "docker build --tty app .", "docker build -t app .", W),
    Row(
        "d-is-driver-for-network",
        "docker network create --driver overlay n",
        "docker network create -d overlay n",
        R,
    ),
    Row("d-is-detach-for-run", "docker run --detach nginx", "docker run -d nginx", R),
    Row("f-is-force-for-rm", "docker rm --force web", "docker rm -f web", R),
    Row("f-is-follow-for-logs", "docker logs --follow web", "docker logs -f web", R),
    Row("f-is-filter-for-ps", "docker ps --filter status=exited", "docker ps -f status=exited", R),
    Row("f-is-file-for-build", "docker build --file x .", "docker build -f x .", R),
    # --- values and defaults the CLI applies
    Row("image-latest-implied", "docker run alpine", "docker run alpine:latest", R),
    Row("image-library-prefix", "docker pull docker.io/library/alpine", "docker pull alpine", R),
    Row("image-tag-differs", "docker pull alpine:3.19", "docker pull alpine", C),
    Row("port-tcp-implied", "docker run -p 80:80/tcp nginx", "docker run -p 80:80 nginx", R),
    Row(
        "mount-key-aliases",
        "docker run --mount src=v,dst=/vol alpine",
        "docker run --mount source=v,target=/vol alpine",
        R,
    ),
    Row(
        "mount-key-order",
        "docker run --mount target=/vol,source=v alpine",
        "docker run --mount source=v,target=/vol alpine",
        R,
    ),
    Row(
        "mount-type-volume-implied",
        "docker run --mount type=volume,source=v,target=/vol alpine",
        "docker run --mount source=v,target=/vol alpine",
        R,
    ),
    Row(
        "mount-readonly",
        "docker run --mount source=v,target=/vol,ro alpine",
        "docker run --mount source=v,target=/vol,readonly alpine",
        R,
    ),
    Row(
        "mount-target-differs",
        "docker run --mount source=v,target=/data alpine",
        "docker run --mount source=v,target=/vol alpine",
        C,
    ),
    Row(
        "network-driver-bridge-default",
        "docker network create -d bridge n",
        "docker network create n",
        R,
    ),
    Row(
        "volume-driver-local-default",
        "docker volume create -d local v",
        "docker volume create v",
        R,
    ),
    Row("logs-tail-all-default", "docker logs --tail all web", "docker logs web", R),
    Row("restart-no-default", "docker run --restart no nginx", "docker run nginx", R),
    Row(
        "restart-always",
        "docker run --restart always nginx",
        "docker run nginx",
        C,
        "extra --restart always",
    ),
    Row(
        "service-port-long-syntax",
        "docker service create -p 8080:80 nginx",
        "docker service create --publish published=8080,target=80 nginx",
        R,
    ),
    Row(
        "service-port-long-udp",
        "docker service create -p 53:53/udp dns",
        "docker service create -p published=53,target=53,protocol=udp dns",
        R,
    ),
    Row("build-context-dot-slash", "docker build -t app ./", "docker build -t app .", R),
    Row("cp-trailing-slash-matters", "docker cp web:/a ./out/", "docker cp web:/a ./out", C),
    Row(
        "stack-detach-default-true",
        "docker stack deploy -d -c s.yml app",
        "docker stack deploy -c s.yml app",
        R,
    ),
    Row("placeholder-id", "docker stop 3f2a1b", "docker stop <id>", R),
    Row("placeholder-name", "docker volume inspect data", "docker volume inspect <name>", R),
    Row("placeholder-missing", "docker stop", "docker stop <id>", C, "missing <id>"),
    # --- prompt, sudo, whitespace and quotes
    Row("dollar-prompt", "$ docker ps", "docker ps", R),
    Row("extra-spaces", "  docker    ps   -a ", "docker ps -a", R),
    Row("sudo", "sudo docker ps", "docker ps", R),
    Row("quoted-value", 'docker run -e "A=1" alpine', "docker run -e A=1 alpine", R),
    Row("quoted-format", "docker ps --format '{{.Names}}'", 'docker ps --format "{{.Names}}"', R),
    Row("quoted-words-differ", "docker run alpine 'echo hi'", "docker run alpine echo hi", W),
    # --- the notes' commands, right
    Row(
        "notes-build",
        "docker image build -t maintain/name:version .",
        "docker image build -t maintain/name:version .",
        R,
    ),
    Row(
        "notes-run-getting-started",
        "docker run -dp 80:80 docker/getting-started",
        "docker run -d -p 80:80 docker/getting-started",
        R,
    ),
    Row(
        "notes-run-it",
        "docker run -it --name=test alpine sh",
        "docker container run -it --name test alpine sh",
        R,
    ),
    Row(
        "notes-push",
        "docker push maintainer/name:version",
        "docker image push maintainer/name:version",
        R,
    ),
    Row("notes-swarm-init", "docker swarm init --autolock=true", "docker swarm init --autolock", R),
    Row(
        "notes-overlay",
        "docker network create --driver=overlay --opt=encrypted NAME",
        "docker network create -o encrypted -d overlay NAME",
        R,
    ),
    Row(
        "notes-voltest",
        "docker run -itd --name voltest --mount source=voltest,target=/vol alpine",
        "docker container run -dit --name voltest --mount source=voltest,target=/vol alpine:latest",
        R,
    ),
    Row("notes-secret", "docker secret create pw ./pw.txt", "docker secret create pw ./pw.txt", R),
    Row(
        "notes-service-secret",
        "docker service create --name web --secret pw nginx",
        "docker service create --secret pw --name web nginx",
        R,
    ),
    Row("notes-journalctl", "journalctl -u docker.service", "journalctl -u docker.service", R),
    Row("notes-apk", "apk add --update nodejs npm", "apk add --update nodejs npm", R),
    Row("notes-compose-up", "docker-compose up", "docker-compose up", R),
    # --- close: exactly one small difference
    Row(
        "missing-detach",
        "docker run -p 80:80 nginx",
        "docker run -d -p 80:80 nginx",
        C,
        "missing -d (--detach)",
    ),
    Row("extra-rm", "docker run --rm nginx", "docker run nginx", C, "extra --rm"),
    Row(
        "detach-typo",
        "docker run --detatch nginx",
        "docker run -d nginx",
        C,
        "unknown flag --detatch: did you mean --detach?",
    ),
    Row(
        "name-value-typo",
        "docker run --name tset alpine",
        "docker run --name test alpine",
        C,
        "--name should be test, not tset",
    ),
    Row(
        "port-reversed",
        "docker run -p 8080:80 nginx",
        "docker run -p 80:8080 nginx",
        C,
        "port mapping 8080:80 is reversed",
    ),
    Row(
        "port-wrong",
        "docker run -p 8080:80 nginx",
        "docker run -p 80:80 nginx",
        C,
        "--publish should be 80:80, not 8080:80",
    ),
    Row(
        "image-typo",
        "docker run alpin",
        "docker run alpine",
        C,
        "the image should be alpine, not alpin (a typo)",
    ),
    Row("missing-image", "docker run -d", "docker run -d nginx", C, "missing nginx (the image)"),
    Row(
        "command-word-typo",
        "docker contianer ls",
        "docker container ls",
        C,
        "did you mean container?",
    ),
    Row("missing-all", "docker ps", "docker ps -a", C, "missing -a (--all)"),
    Row("missing-force", "docker rm test", "docker rm -f test", C, "missing -f (--force)"),
    Row("missing-path", "docker build -t app", "docker build -t app .", C, "missing . (the path)"),
    Row("wrong-tag", "docker build -t app:2 .", "docker build -t app:1 .", C),
    Row("missing-compose-file", "docker stack deploy app", "docker stack deploy -c s.yml app", C),
    Row(
        "wrong-stack-name", "docker stack deploy -c s.yml ap", "docker stack deploy -c s.yml app", C
    ),
    Row("missing-volume-name", "docker volume inspect", "docker volume inspect data", C),
    Row("extra-global-flag", "docker --debug ps", "docker ps", C, "extra -D (--debug)"),
    Row("wrong-context", "docker -c prod ps", "docker --context dev ps", C),
    Row("journalctl-value", "journalctl -u docker", "journalctl -u docker.service", R),
    Row(
        "journalctl-missing",
        "journalctl docker.service",
        "journalctl -u docker.service",
        C,
        "missing -u (--unit) before docker.service",
    ),
    Row("apk-missing-word", "apk add nodejs npm", "apk add --update nodejs npm", C),
    Row("docker-typo", "dokcer ps", "docker container ls", C, "did you mean docker?"),
    Row("docker-typo-and-more", "dokcer ps", "docker ps -a", W),
    Row("compose-v1-typo", "docker-compsoe up", "docker compose up", C),
    Row("apk-typo-program", "apt add --update nodejs npm", "apk add --update nodejs npm", C),
    Row(
        "flag-unknown-to-model-in-both",
        "docker run --nmae x alpine",
        "docker run --nmae x alpine",
        R,
    ),
    Row("unknown-flag-no-suggestion", "docker ps --zzz", "docker ps", C, "unknown flag --zzz"),
    Row("compose-missing-detach", "docker compose up", "docker compose up -d", C),
    Row(
        "compose-file-group-flag", "docker compose -f a.yml up", "docker compose --file a.yml up", R
    ),
    Row("compose-project-wrong", "docker compose -p x up", "docker compose -p y up", C),
    # --- wrong
    Row(
        "empty-answer-other-command",
        "docker image rm test",
        "docker container rm test",
        W,
        "docker image rm removes images; this asks for a container",
    ),
    Row("rmi-for-rm", "docker rmi test", "docker rm test", W, "this asks for a container"),
    Row("stop-for-rm", "docker stop test", "docker rm test", W, "but this asks for docker rm"),
    Row(
        "swarm-init-for-update",
        "docker swarm init --autolock",
        "docker swarm update --autolock=true",
        W,
    ),
    Row("two-missing", "docker run nginx", "docker run -d -p 80:80 nginx", W),
    Row("unknown-command", "docker foo", "docker ps", W, "docker foo: unknown docker command"),
    Row("other-program", "systemctl status docker", "journalctl -u docker.service", W),
    Row("docker-for-other", "docker logs docker", "journalctl -u docker.service", W),
    Row("unclosed-quote", "docker run 'alpine", "docker run alpine", W, "cannot be read"),
    Row(
        "volume-for-network",
        "docker volume create n",
        "docker network create n",
        W,
        "docker volume create creates a volume; this asks for a network",
    ),
    Row("many-differences", "docker run -it ubuntu bash", "docker run -d -p 80:80 nginx", W),
    Row(
        "secret-args-swapped",
        "docker secret create ./pw.txt pw",
        "docker secret create pw ./pw.txt",
        W,
    ),
    # --- the common CLI beyond the decks
    Row("top-is-container-top", "docker top web -ef", "docker container top web -ef", R),
    Row("stats-all", "docker stats -a --no-stream", "docker container stats --all --no-stream", R),
    Row("pause-is-container-pause", "docker pause web", "docker container pause web", R),
    Row("commit-latest", "docker commit web app", "docker container commit web app:latest", R),
    Row("save-output", "docker save -o a.tar alpine", "docker image save --output=a.tar alpine", R),
    Row("load-input", "docker load --input a.tar", "docker image load -i a.tar", R),
    Row("events-is-system-events", "docker events", "docker system events", R),
    Row("rename-args-keep-order", "docker rename db web", "docker rename web db", W),
    Row("compose-v1-run", "docker-compose run --rm web sh", "docker compose run --rm web sh", R),
    Row("compose-rm-force", "docker compose rm --force", "docker compose rm -f", R),
    Row(
        "compose-run-flag-after-service",
        "docker compose run web --rm sh",
        "docker compose run --rm web sh",
        W,
        "--rm sh after the service is passed to the command, put flags before the service",
    ),
    Row("top-is-not-stop", "docker top web", "docker stop web", W),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_table(row: Row) -> None:
    result = grade_command(row.typed, [row.answer])
    assert result.verdict is row.verdict, result.explanations
    assert result.closest == row.answer
    if row.says is not None:
        assert any(row.says in line for line in result.explanations), result.explanations
    if row.verdict is R:  # right: at most a note naming the equivalence, never a mistake
        assert all(" is " in line for line in result.explanations), result.explanations


def test_table_is_big_and_named_uniquely() -> None:
    assert len(ROWS) >= 150
    assert len({row.id for row in ROWS}) == len(ROWS)
