"""Run a command line with the real docker CLI against the fake daemon; say what it did.

`Oracle.effect(line)` runs `line` with bash (the real shell: quotes, `$VAR`, `~`, pipes,
redirections) in a fixed work folder holding the files answers name (Dockerfile, backup.tar,
.env, ...). `docker` is the installed CLI pointed at `FakeDockerDaemon`; other programs of a
pipeline are stubs that record their arguments. Its effect is the multiset of API requests
(after the daemon's own normalisations, see `normalise`), the stubs' arguments, the exit
status and the output. Two lines are equivalent when their effects are equal.

Stdin is a pseudo-terminal (so `-it` gets past the CLI's TTY check) and stdout is not (so the
CLI sends no resize requests); every run has a short timeout.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.oracle.docker_daemon import FakeDockerDaemon, Request

TIMEOUT = 8.0
HOME = "/home/learner"
STUBS = (
    "grep",
    "head",
    "tail",
    "jq",
    "xargs",
    "wc",
    "sort",
    "cat",
    "less",
    "awk",
    "sed",
    "tee",
    "gzip",
    "gunzip",
    "ssh",
    "echo",
    "column",
    "cut",
    "uniq",
    "printf",
)
FILES = {
    "Dockerfile": "FROM alpine\n",
    "Dockerfile.dev": "FROM alpine\n",
    "app/Dockerfile": "FROM alpine\n",
    "f": "x",
    "file.txt": "x",
    "backup.tar": "x",
    "image.tar": "x",
    "images.tar": "x",
    "alpine.tar": "x",
    "myimage.tar": "x",
    "app.tar": "x",
    ".env": "A=1\n",
    "env.list": "A=1\n",
    "app.env": "B=2\n",
    "secret.txt": "s3cret\n",
    "db_password.txt": "s3cret\n",
    "stackfile.yml": "services: {}\n",
    "password.txt": "other\n",
    "config.json": "{}\n",
    "nginx.conf": "x\n",
    "compose.yaml": "services: {}\n",
    "docker-compose.yml": "services: {}\n",
    "stack.yml": "services:\n  web:\n    image: nginx\n",
    "a.yml": "services: {}\n",
    "b.yml": "services: {}\n",
    "a.env": "A=1\n",
    "b.env": "B=2\n",
    "a.txt": "x",
    "hosts": "x",
    # files a redirection may append to (`>>` is not `>` on an existing file)
    "hosts.txt": "old\n",
    "web.log": "old\n",
    "errors.log": "old\n",
    "containers.txt": "old\n",
    "data/x": "x",
}

# Where the daemon, not the CLI, gives two requests one meaning, with the page that says so.
NORMALISATIONS = {
    "image": "https://docs.docker.com/reference/cli/docker/image/tag/",
    "signal": "https://docs.docker.com/reference/cli/docker/container/kill/#signal",
    "env": "https://docs.docker.com/reference/cli/docker/container/run/#env",
    "unordered": "https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Container/operation/ContainerCreate",
    "scope": "https://docs.docker.com/reference/cli/docker/network/create/#scope",
    "bind-mode": "https://docs.docker.com/engine/storage/volumes/#options-for---volume",
}
_SIGNALS = {
    "1": "HUP",
    "2": "INT",
    "3": "QUIT",
    "6": "ABRT",
    "9": "KILL",
    "10": "USR1",
    "12": "USR2",
    "14": "ALRM",
    "15": "TERM",
    "17": "CHLD",
    "18": "CONT",
    "19": "STOP",
    "20": "TSTP",
}
_UNORDERED = frozenset(
    {
        "CapAdd",
        "CapDrop",
        "Binds",
        "Mounts",
        "SecurityOpt",
        "GroupAdd",
        "Devices",
        "Links",
        "VolumesFrom",
        "ExtraHosts",
        "Ulimits",
    }
)


def _image(ref: str) -> str:
    if not ref or "@" in ref:
        return ref
    name = ref.removeprefix("docker.io/").removeprefix("library/")
    return name if ":" in name.rsplit("/", 1)[-1] else name + ":latest"


def _signal(value: str) -> str:
    value = value.upper().removeprefix("SIG")
    return _SIGNALS.get(value, value)


def _env(items: list[str]) -> list[str]:
    """An environment as the container gets it: the last value of each variable."""
    env: dict[str, str] = {}
    for item in items:
        key = item.partition("=")[0]
        env.pop(key, None)
        env[key] = item
    return sorted(env.values())


def normalise(request: Request, used: set[str]) -> Request:
    """`request` as the daemon reads it; `used` collects the NORMALISATIONS that changed it."""
    path, query, body = request.path, list(request.query), request.body

    def note(rule: str, before: Any, after: Any) -> Any:
        if before != after:
            used.add(rule)
        return after

    if path.startswith(("/images/", "/distribution/")) and path.count("/") >= 2:
        head, _, rest = path[1:].partition("/")
        ref, slash, tail = (
            rest.rpartition("/")
            if rest.endswith(("/json", "/push", "/tag", "/history", "/get"))
            else (rest, "", "")
        )
        if (
            ref
            and head in ("images", "distribution")
            and ref not in ("create", "load", "search", "prune", "get", "json")
        ):
            path = note("image", path, f"/{head}/{_image(ref)}{slash}{tail}")
    if path == "/images/create":
        fields = dict(query)
        if "fromImage" in fields and fields.get("tag", "") == "" and "@" not in fields["fromImage"]:
            image = _image(fields["fromImage"])
            name, _, tag = image.rpartition(":")
            query = [(k, v) for k, v in query if k not in ("fromImage", "tag")]
            query += [("fromImage", name), ("tag", tag)]
            query = note("image", request.query, sorted(query))
    if path == "/images/get":
        query = note("image", query, [(k, _image(v) if k == "names" else v) for k, v in query])
    if path == "/build":
        query = note("image", query, [(k, _image(v) if k == "t" else v) for k, v in query])
    if path.endswith(("/kill", "/stop", "/restart")):
        query = note("signal", query, [(k, _signal(v) if k == "signal" else v) for k, v in query])
    if isinstance(body, dict):
        body = dict(body)
        if isinstance(body.get("Image"), str):
            body["Image"] = note("image", body["Image"], _image(body["Image"]))
        if isinstance(body.get("StopSignal"), str):
            body["StopSignal"] = note("signal", body["StopSignal"], _signal(body["StopSignal"]))
        if isinstance(body.get("Env"), list):
            body["Env"] = note("env", body["Env"], _env(body["Env"]))
        host = body.get("HostConfig")
        if isinstance(host, dict):
            host = dict(host)
            if isinstance(host.get("Binds"), list):  # rw is the default mode
                binds = [re.sub(r":rw$", "", b) for b in host["Binds"]]
                host["Binds"] = note("bind-mode", host["Binds"], binds)
            for key in _UNORDERED & set(host):
                if isinstance(host[key], list):
                    canon = sorted(host[key], key=lambda v: json.dumps(v, sort_keys=True))
                    host[key] = note("unordered", host[key], canon)
            body["HostConfig"] = host
        spec = body.get("TaskTemplate")
        if isinstance(spec, dict):
            spec = json.loads(json.dumps(spec))
            placement = spec.get("Placement") or {}
            container = spec.get("ContainerSpec") or {}
            for holder, key in (
                (placement, "Constraints"),
                (container, "Secrets"),
                (container, "Configs"),
                (container, "Mounts"),
            ):
                if isinstance(holder.get(key), list):
                    canon = sorted(holder[key], key=lambda v: json.dumps(v, sort_keys=True))
                    holder[key] = note("unordered", holder[key], canon)
            if isinstance(container.get("StopSignal"), str):
                container["StopSignal"] = note(
                    "signal", container["StopSignal"], _signal(container["StopSignal"])
                )
            if isinstance(container.get("Env"), list):
                container["Env"] = note("env", container["Env"], _env(container["Env"]))
            body["TaskTemplate"] = spec
        ipam = body.get("IPAM")
        if isinstance(ipam, dict) and isinstance(ipam.get("Config"), list):
            ipam = dict(ipam)  # the CLI builds it from a Go map: its order is random
            canon = sorted(ipam["Config"], key=lambda v: json.dumps(v, sort_keys=True))
            ipam["Config"] = note("unordered", ipam["Config"], canon)
            body["IPAM"] = ipam
        endpoint = body.get("EndpointSpec")
        if isinstance(endpoint, dict) and isinstance(endpoint.get("Ports"), list):
            endpoint = dict(endpoint)
            canon = sorted(endpoint["Ports"], key=lambda v: json.dumps(v, sort_keys=True))
            endpoint["Ports"] = note("unordered", endpoint["Ports"], canon)
            body["EndpointSpec"] = endpoint
        if (
            path == "/networks/create"
            and body.get("Driver") == "overlay"
            and body.get("Scope") in ("", "swarm", None)
        ):
            body["Scope"] = note("scope", body.get("Scope"), "swarm")
    return Request(request.method, path, tuple(sorted(query)), body)


@dataclass(frozen=True)
class Effect:
    requests: tuple[str, ...]
    raw_requests: tuple[str, ...]
    programs: tuple[tuple[str, ...], ...]
    files: tuple[tuple[str, int], ...]
    status: int
    output: str
    errors: str
    normalised_by: frozenset[str]

    @property
    def key(self) -> tuple[object, ...]:
        return (
            self.requests,
            self.programs,
            self.files,
            self.status,
            self.output,
            self.errors if self.status else "",
        )

    def same_as(self, other: Effect) -> bool:
        """Equal effects; two lines the CLI refuses are only the same when refused alike."""
        if self.status and not self.requests and not self.programs:
            return self.key == other.key and self.errors == other.errors
        return self.key == other.key


_ID_RE = re.compile(r"[0-9a-f]{64}")
# What the CLI says about how a line was written, not what it did: a tag it filled in, a
# deprecated flag name it accepted.
_CHATTER = re.compile(r"^(Using default tag: latest|Flag --\S+ has been deprecated.*)$")


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None and v != {}}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _canonical_output(output: str) -> str:
    """JSON output as its data (`docker inspect` and `docker volume inspect` print one
    volume with and without `"Labels": null`, a node with and without `"TLSInfo": {}`);
    other output as a multiset of lines (`docker rm a b` and `docker rm b a` say the same
    two lines), without the CLI's chatter."""
    try:
        data = _without_nulls(json.loads(output))
    except ValueError:
        data = None
    else:
        if isinstance(data, list):  # `docker inspect a b` and `docker inspect b a`
            data = sorted(data, key=lambda v: json.dumps(v, sort_keys=True))
        return json.dumps(data, sort_keys=True)
    if data is None:
        lines = (ln for ln in output.splitlines() if not _CHATTER.match(ln))
        return "\n".join(sorted(lines)).strip()
    return output


class Oracle:
    """The docker CLI and a fake daemon, set up once, used for many lines."""

    def __init__(self, docker: str, root: Path, daemon: FakeDockerDaemon) -> None:
        self.docker, self.root, self.daemon = docker, root, daemon
        self.work = root / "work"
        self.log = root / "programs"  # one file per stub process: pipelines run at once
        bin_dir = root / "bin"
        bin_dir.mkdir()
        (bin_dir / "docker").symlink_to(docker)
        sudo = bin_dir / "sudo"
        sudo.write_text('#!/bin/sh\nexec "$@"\n')
        sudo.chmod(0o755)
        for name in STUBS:
            stub = bin_dir / name
            stub.write_text(
                "#!/bin/sh\n"
                f"printf '%s\\037' \"{name}\" \"$@\" >> '{self.log}/'$$\n"
                f"[ -t 0 ] || /bin/cat >> '{self.log}/'$$\n"
            )
            stub.chmod(0o755)
        self.env = {
            "PATH": str(bin_dir),
            "HOME": HOME,
            "USER": "learner",
            "LANG": "C.UTF-8",
            "DOCKER_HOST": f"unix://{daemon.socket}",
            "DOCKER_CONFIG": str(root / "config"),
            "DOCKER_CLI_HINTS": "false",
            "DOCKER_BUILDKIT": "0",
            "TERM": "dumb",
        }

    def _fresh_work(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        for name, text in FILES.items():
            path = self.work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    def effect(self, line: str) -> Effect:
        self._fresh_work()
        shutil.rmtree(self.log, ignore_errors=True)
        self.log.mkdir()
        self.daemon.clear()
        master, slave = pty.openpty()
        os.write(master, b"n\n")  # "Are you sure you want to continue? [y/N]": no
        config = self.root / "config"
        shutil.rmtree(config, ignore_errors=True)  # contexts and logins do not carry over
        config.mkdir()
        process = subprocess.Popen(
            ["/bin/bash", "--noprofile", "--norc", "-c", line],
            cwd=self.work,
            env={**self.env, "PWD": str(self.work)},
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            out, err = process.communicate(timeout=TIMEOUT)
            status = process.returncode
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, _ = process.communicate()
            status, err = -1, b"timeout"
        finally:
            os.close(slave)
            os.close(master)
        used: set[str] = set()
        raw = tuple(sorted({r.key() for r in self.daemon.requests if r.path != "/version"}))
        requests = tuple(
            sorted(
                {
                    normalise(r, used).key()
                    for r in self.daemon.requests
                    if r.path not in ("/version",)
                }
            )
        )
        programs = tuple(
            sorted(  # a pipeline's programs run at once: their order is noise
                tuple(entry.read_text(errors="replace").split("\x1f"))
                for entry in self.log.iterdir()
            )
        )
        output = _ID_RE.sub("<id>", out.decode(errors="replace"))
        # lines as a multiset: `docker rm a b` and `docker rm b a` say the same two lines
        output = _canonical_output(output)
        files = tuple(
            sorted(
                (str(p.relative_to(self.work)), p.stat().st_size)
                for p in self.work.rglob("*")
                if p.is_file()
                and FILES.get(str(p.relative_to(self.work))) != p.read_text(errors="replace")
            )
        )
        files += tuple(  # what the CLI keeps in its config folder: contexts, logins
            (str(p.relative_to(self.root)), hash(p.read_bytes()))
            for p in sorted(config.rglob("*"))
            if p.is_file()
        )
        errors = err.decode(errors="replace").strip()
        return Effect(requests, raw, programs, files, status, output, errors, frozenset(used))

    def compare(self, a: str, b: str) -> tuple[bool, frozenset[str]]:
        """Whether `a` and `b` have the same effect, and the daemon normalisations that it
        took (empty when the CLI already sent the same requests).

        Two lines that differ are run once more: the CLI races its own goroutines (an
        attach stream against the exec inspect), so one run may end differently, while a
        real difference shows every time."""
        ea, eb = self.effect(a), self.effect(b)
        if not ea.same_as(eb):
            ea, eb = self.effect(a), self.effect(b)
        if not ea.same_as(eb):
            return False, frozenset()
        if ea.raw_requests == eb.raw_requests:
            return True, frozenset()
        return True, ea.normalised_by | eb.normalised_by


@contextmanager
def docker_oracle(docker: str) -> Iterator[Oracle]:
    """A fake daemon on a socket in a private folder, and an Oracle using it."""
    with tempfile.TemporaryDirectory(prefix="quizapp-docker-oracle-") as folder:
        root = Path(folder)
        with FakeDockerDaemon(root / "docker.sock") as daemon:
            yield Oracle(docker, root, daemon)
