"""Commands the Docker docs call equivalent, rewritten to one canonical form before comparing.

`docker inspect --type container X` is `docker container inspect X`; `node promote N` is
`node update --role manager N`; `service scale web=5` is `service update --replicas 5 web`;
`-v name:/path` (a named volume) is `--mount type=volume,source=name,target=/path`;
`--network name=n,alias=a` is `--network n --network-alias a`; `volume create --name v` is
`volume create v`; buildx `--load` is `--output type=docker` and `--push` is
`--output type=registry`. Defaults the CLI or daemon fills in are dropped (`-f Dockerfile`
for the context's own Dockerfile, `--scope swarm` on an overlay network, `--sig-proxy` on a
detached container), and a `-v` value given twice counts once. Each rewrite says in words
what it did, for the explanation.
"""

from __future__ import annotations

import dataclasses
import re

from quizapp.grading.model import Command, DockerModel, Flag, docker_model
from quizapp.grading.parse import FlagUse, Invocation
from quizapp.grading.values import normalize_file

_INSPECT_TYPES = (
    "container",
    "image",
    "network",
    "volume",
    "node",
    "service",
    "secret",
    "config",
    "plugin",
    "task",
)
_DOCKER_HUB = (
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "https://index.docker.io/v1/",
)
_VOLUME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _use(command: Command, long: str, value: str | None, text: str) -> FlagUse | None:
    flag: Flag | None = command.flags.by_long.get(long)
    if flag is None:
        return None
    return FlagUse("command", flag, "--" + long, value if flag.takes_value else "true", text)


def _switch(line: Invocation, model: DockerModel, path: tuple[str, ...]) -> Invocation | None:
    command = model.commands.get(path)
    if command is None:
        return None
    uses = []
    for use in line.uses:
        if use.scope == "command" and use.flag is not None:
            flag = command.flags.by_long.get(use.flag.long)
            if flag is None:
                return None
            use = dataclasses.replace(use, flag=flag)
        uses.append(use)
    return dataclasses.replace(line, command=command, uses=tuple(uses), head=("docker", *path))


def canonical(line: Invocation) -> tuple[Invocation, str | None]:
    """`line` in canonical form, and what was rewritten in words (None when nothing was)."""
    if line.command is None:
        return line, None
    if not line.docker:
        line, expanded = _expanded(line)
        line = _implied(line)
        line, named = _kubectl_type_name(line)
        notes = [n for n in (expanded, named) if n]
        return line, "; ".join(notes) if notes else None
    line, command_note = _another_command(line)
    line, flag_notes = _flags(line)
    notes = [note for note in (command_note, flag_notes) if note]
    return line, "; ".join(notes) if notes else None


def _another_command(line: Invocation) -> tuple[Invocation, str | None]:
    """The docs' equivalent commands: inspect --type, node promote/demote, service scale."""
    command = line.command
    assert command is not None
    model = docker_model()
    path = command.path
    if path == ("inspect",):
        types = [u for u in line.uses if u.flag is not None and u.flag.long == "type"]
        if not types:  # docker inspect looks for a container first
            switched = _switch(line, model, ("container", "inspect"))
            if switched is not None:
                return (
                    switched,
                    "docker inspect finds the container first: docker container inspect",
                )
        if types and types[-1].value in _INSPECT_TYPES:
            kind = types[-1].value
            rest = dataclasses.replace(line, uses=tuple(u for u in line.uses if u not in types))
            switched = _switch(rest, model, (kind, "inspect"))
            if switched is not None:
                return switched, f"docker inspect --type {kind} is docker {kind} inspect"
    if path in (("node", "promote"), ("node", "demote")) and len(line.args) == 1:
        role = "manager" if path[1] == "promote" else "worker"
        switched = _switch(line, model, ("node", "update"))
        update = model.commands.get(("node", "update"))
        if switched is not None and update is not None:
            use = _use(update, "role", role, f"--role {role}")
            if use is not None:
                return (
                    dataclasses.replace(switched, uses=(*switched.uses, use)),
                    f"docker node {path[1]} is docker node update --role {role}",
                )
    if path == ("service", "scale") and len(line.args) == 1 and "=" in line.args[0]:
        name, _, replicas = line.args[0].partition("=")
        update = model.commands.get(("service", "update"))
        switched = _switch(line, model, ("service", "update"))
        if switched is not None and update is not None:
            use = _use(update, "replicas", replicas, f"--replicas {replicas}")
            if use is not None:
                return (
                    dataclasses.replace(switched, uses=(*switched.uses, use), args=(name,)),
                    f"docker service scale {line.args[0]} is docker service update "
                    f"--replicas {replicas} {name}",
                )
    return line, None


def _flags(line: Invocation) -> tuple[Invocation, str | None]:
    """Flags written another way the docs call the same (`-v name:/path` and `--mount`,
    `--network name=n,alias=a`, buildx `--load`), and defaults the CLI or the daemon fills in
    (`-f Dockerfile`, `--scope swarm` on an overlay network)."""
    command = line.command
    assert command is not None
    path = command.path
    notes: list[str] = []
    uses: list[FlagUse] = []
    volumes_seen: set[str] = set()
    args = line.args
    drivers = [u.value for u in line.uses if u.flag is not None and u.flag.long == "driver"]
    context = normalize_file(args[0]) if args and command.arg_name(0) == "PATH" else "."
    for use in line.uses:
        flag = use.flag
        long = flag.long if flag is not None else None
        value = use.value or ""
        if long == "volume" and value in volumes_seen:  # the CLI keeps -v values as a set
            continue
        if long == "volume":
            volumes_seen.add(value)
        if long == "volume" and use.scope == "command" and "mount" in command.flags.by_long:
            parts = value.split(":")
            if (
                2 <= len(parts) <= 3
                and _VOLUME_NAME.fullmatch(parts[0])
                and parts[1].startswith("/")
            ):
                modes = parts[2].split(",") if len(parts) == 3 else []
                if set(modes) <= {"ro", "rw", "z", "Z"} and not {"z", "Z"} & set(modes):
                    spec = f"type=volume,source={parts[0]},target={parts[1]}"
                    if "ro" in modes:
                        spec += ",readonly"
                    new = _use(command, "mount", spec, use.text)
                    if new is not None:
                        notes.append(f"-v {value} is --mount {spec}")
                        uses.append(new)
                        continue
        if long in ("network", "net") and value.startswith("name=") and use.scope == "command":
            pairs = dict(p.partition("=")[::2] for p in value.split(","))
            extra = {"alias": "network-alias", "ip": "ip", "ip6": "ip6"}
            if set(pairs) <= {"name", *extra}:
                new_uses = [dataclasses.replace(use, value=pairs["name"])]
                for key, target in extra.items():
                    if key in pairs:
                        new = _use(command, target, pairs[key], use.text)
                        if new is None:
                            break
                        new_uses.append(new)
                else:
                    notes.append(f"--network {value} names the network and its options in one")
                    uses += new_uses
                    continue
        if flag is not None and flag.kind == "dockerfile" and use.value is not None:
            default = "Dockerfile" if context == "." else f"{context}/Dockerfile"
            if normalize_file(use.value) == default:
                notes.append(f"{use.text} names the default Dockerfile")
                continue
        if long == "scope" and drivers and drivers[-1] == "overlay" and value == "swarm":
            notes.append("--scope swarm is the default for an overlay network")
            continue
        if long == "sig-proxy" and any(
            u.flag is not None and u.flag.long == "detach" and u.value == "true" for u in line.uses
        ):
            notes.append("--sig-proxy does nothing for a detached container")
            continue
        if long == "name" and path == ("volume", "create") and not args:
            args = (value,)
            notes.append(f"--name {value} is the volume name argument")
            continue
        if long in ("load", "push") and value != "false":
            target = "docker" if long == "load" else "registry"
            new = _use(command, "output", f"type={target}", use.text)
            if new is not None:
                notes.append(f"--{long} is --output type={target}")
                uses.append(new)
                continue
        uses.append(use)
    if path == ("login",) and args and args[0] in _DOCKER_HUB:  # logout keys by the name
        notes.append(f"{args[0]} is the default registry")
        args = args[1:]
    if path == ("container", "cp") and len(args) == 2 and args[1] in (".", "./"):
        source = args[0].partition(":")[2] if ":" in args[0] else args[0]
        name = source.rstrip("/").rsplit("/", 1)[-1]
        if name and name not in (".", ".."):
            args = (args[0], name)
            notes.append(f"copying to {line.args[1]} keeps the name {name}")
    if not notes:
        return line, None
    return dataclasses.replace(line, uses=tuple(uses), args=args), "; ".join(notes)


def _kubectl_type_name(line: Invocation) -> tuple[Invocation, str | None]:
    """`kubectl get pod/web` is `kubectl get pod web`: kubectl reads TYPE/NAME as both."""
    command = line.command
    if command is None or command.program != "kubectl" or not line.args:
        return line, None
    if command.arg_name(0) != "TYPE" or "/" not in line.args[0] or len(line.args) > 1:
        return line, None
    kind, _, name = line.args[0].partition("/")
    if not kind or not name or "," in kind:
        return line, None
    note = f"{line.args[0]} is {kind} {name}"
    return dataclasses.replace(line, args=(kind, name)), note


def _expanded(line: Invocation) -> tuple[Invocation, str | None]:
    """A flag the model says is other flags (`git branch -D` is `--delete --force`,
    `systemctl --failed` is `--state=failed`), written as those flags."""
    from quizapp.grading.parse import read_words

    command, model = line.command, line.model
    if command is None or model is None or not (command.expands or model.expands):
        return line, None
    uses: list[FlagUse] = []
    notes: list[str] = []
    for use in line.uses:
        flag = use.flag
        table = command.expands if use.scope == "command" else model.expands
        expansion = table.get(flag.key) if flag is not None else None
        if expansion is None or flag is None:
            uses.append(use)
            continue
        head = (model.name, *command.path) if command.path else (model.name,)
        extra = read_words((*head, *expansion.split()))
        if extra.command is None or any(u.flag is None for u in extra.uses):
            uses.append(use)
            continue
        uses += [dataclasses.replace(u, text=use.text) for u in extra.uses]
        notes.append(f"{use.text} is {expansion}")
    if not notes:
        return line, None
    return dataclasses.replace(line, uses=tuple(uses)), "; ".join(notes)


def _implied(line: Invocation) -> Invocation:
    """A flag that brings another along (`git tag -m msg` is annotated: `-a`): the other
    flag added where it is not given."""
    from quizapp.grading.parse import read_words

    command, model = line.command, line.model
    if command is None or model is None or not command.implies:
        return line
    have = {u.flag.key for u in line.uses if u.flag is not None}
    uses = list(line.uses)
    for use in line.uses:
        implied = command.implies.get(use.flag.key) if use.flag is not None else None
        if implied is None:
            continue
        extra = read_words((model.name, *command.path, implied))
        for new in extra.uses:
            if new.flag is not None and new.flag.key not in have:
                have.add(new.flag.key)
                uses.append(dataclasses.replace(new, text=use.text))
    return dataclasses.replace(line, uses=tuple(uses))
