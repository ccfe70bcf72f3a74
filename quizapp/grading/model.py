"""The Docker CLI model: `docker_cli.toml` read once into commands, aliases and flag tables.

The data file says what Docker's reference says; this module only gives it types and the
look-ups the parser needs (an alias to its command, a flag by long or short name, a "did you
mean" suggestion for a misspelt flag or command).
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

REPEATABLE_TYPES = frozenset(
    {
        "list",
        "map",
        "stringArray",
        "stringSlice",
        "strings",
        "filter",
        "mount",
        "port",
        "secret",
        "config",
        "network",
        "ulimit",
        "pref",
        "external-ca",
        "ipNetSlice",
    }
)
BOOL = "bool"
DATA_FILE = "docker_cli.toml"
GENERATED_FILE = "docker_cli_generated.toml"
"""Written by scripts/gen_docker_model.py from the installed CLI's --help."""
COMPOSE_FILE = "docker_compose_generated.toml"
"""Written by scripts/gen_docker_model.py from Compose's own reference files."""
REFERENCE = "https://docs.docker.com/reference/cli/docker/"


COUNT = "count"
"""A flag that counts its uses (`-v -v`, `-vv`): no value, repeatable."""
REPEAT_MARKS = {"*": "multiset", "+": "ordered"}
"""Spec suffixes after the type: `*` repeats (order does not matter), `+` repeats in order."""
ENUM = re.compile(r"enum\(([^()]*)\)")


@dataclass(frozen=True, slots=True)
class Flag:
    """One flag of one command, as the reference lists it."""

    long: str
    short: str | None = None
    hidden_aliases: tuple[str, ...] = ()
    type: str = BOOL
    default: str | None = None
    kind: str | None = None
    repeat: str | None = None
    """"multiset", "ordered", "set" or "keyed" when the flag repeats; None: as its type says."""
    optional: bool = False
    """The value is optional and only ever attached (`--decorate[=short]`, `-M50%`)."""
    peek: bool = False
    """An optional value also read from the next word when that word is one (`journalctl
    -n 20`, `-b -1`): journalctl looks at the next argument itself."""
    choices: tuple[str, ...] = ()
    """An enum's accepted values (`enum(short|full|auto|no)`)."""

    @property
    def takes_value(self) -> bool:
        return self.type not in (BOOL, COUNT)

    @property
    def repeatable(self) -> bool:
        return self.repeat is not None or self.type in REPEATABLE_TYPES or self.type == COUNT

    @property
    def key(self) -> str:
        """What names the flag in the model: its long name, or `-x` for a short-only flag."""
        return self.long or "-" + (self.short or "")

    @property
    def dashed(self) -> str:
        """`--message`, or `-d` for a flag with no long name."""
        return f"--{self.long}" if self.long else f"-{self.short}"

    @property
    def label(self) -> str:
        """How explanations name it: `-d (--detach)` or `--name`."""
        if self.short and self.long:
            return f"-{self.short} (--{self.long})"
        return self.dashed


def parse_flag_spec(spec: str) -> Flag:
    """`"p|publish:list@port"` -> Flag(long="publish", short="p", type="list", kind="port").

    The whole grammar: `[s|][long][,alias...][:type[?][*|+]][=default][@kind]`; docs/cli-models.md.
    """
    rest, _, kind = spec.partition("@")
    rest, has_default, default = rest.partition("=")
    names, _, type_ = rest.partition(":")
    short, bar, longs = names.partition("|")
    if not bar:
        short, longs = "", names
    long, *hidden = longs.split(",")
    repeat = None
    optional = peek = False
    while type_ and type_[-1] in "?~*+":
        if type_[-1] in "?~":
            optional = True
            peek = peek or type_[-1] == "~"
        else:
            repeat = REPEAT_MARKS[type_[-1]]
        type_ = type_[:-1]
    choices: tuple[str, ...] = ()
    enum = ENUM.fullmatch(type_)
    if enum:
        choices, type_ = tuple(enum.group(1).split("|")), "enum"
    return Flag(
        long=long,
        short=short or None,
        hidden_aliases=tuple(hidden),
        type=type_ or BOOL,
        default=default if has_default else None,
        kind=kind or None,
        repeat=repeat,
        optional=optional,
        peek=peek,
        choices=choices,
    )


@dataclass(frozen=True, slots=True)
class FlagTable:
    """The flags one position of a command line accepts, by every name they answer to."""

    flags: tuple[Flag, ...] = ()
    by_long: Mapping[str, Flag] = field(default_factory=dict)
    by_short: Mapping[str, Flag] = field(default_factory=dict)

    @classmethod
    def of(cls, flags: Iterable[Flag]) -> FlagTable:
        unique: dict[str, Flag] = {}
        for flag in flags:
            unique[flag.key] = flag
        by_long: dict[str, Flag] = {}
        by_short: dict[str, Flag] = {}
        for flag in unique.values():
            if flag.long:
                by_long[flag.long] = flag
            for alias in flag.hidden_aliases:
                by_long[alias] = flag
            if flag.short:
                by_short[flag.short] = flag
        return cls(tuple(unique.values()), by_long, by_short)

    def suggest(self, name: str) -> Flag | None:
        """The flag a misspelt long name most likely meant (`detatch` -> `detach`)."""
        close = difflib.get_close_matches(name, list(self.by_long), n=1, cutoff=0.75)
        return self.by_long[close[0]] if close else None


@dataclass(frozen=True, slots=True)
class Arg:
    name: str
    optional: bool
    variadic: bool
    default: str | None = None
    """What the program uses when the argument is left out (`[COMMIT=HEAD]`)."""


def parse_args_spec(usage: str) -> tuple[Arg, ...]:
    """`"IMAGE [COMMAND] [ARG...]"` -> IMAGE, optional COMMAND, optional variadic ARG;
    `"[COMMIT=HEAD]"`: an optional COMMIT that is HEAD when left out."""
    args: list[Arg] = []
    for word in usage.split():
        optional = word.startswith("[")
        name, has_default, default = word.strip("[]").partition("=")
        variadic = name.endswith("...")
        args.append(
            Arg(name.removesuffix("..."), optional, variadic, default if has_default else None)
        )
    return tuple(args)


@dataclass(frozen=True, slots=True)
class Command:
    path: tuple[str, ...]
    source: str
    args: tuple[Arg, ...]
    passthrough: bool
    does: str
    flags: FlagTable
    aliases: tuple[tuple[str, ...], ...] = ()
    stdout: str | None = None
    """The flag that writes to a file what the command would write to stdout (`output`)."""
    stdin: str | None = None
    """The flag that reads from a file what the command would read from stdin (`input`)."""
    program: str = "docker"
    digits: str | None = None
    """The flag `-NUM` stands for (`git log -5` is `git log --max-count 5`)."""
    dash_command: bool = False
    """What follows `--` is a command of its own (`kubectl exec POD -- sh`), not arguments."""
    expands: Mapping[str, str] = field(default_factory=dict)
    """A flag that is other flags (`-D` -> `--delete --force`), by the flag's key."""
    implies: Mapping[str, str] = field(default_factory=dict)
    """A flag that brings another along (`git tag -m` -> `--annotate`), by the flag's key."""

    @property
    def name(self) -> str:
        return " ".join((self.program, *self.path))

    @property
    def args_are_a_set(self) -> bool:
        """`CONTAINER [CONTAINER...]`: the order of the arguments does not matter."""
        return (
            len(self.args) >= 1
            and self.args[-1].variadic
            and len({a.name for a in self.args}) == 1
            and not self.passthrough
        )

    def arg_name(self, index: int) -> str:
        """The usage name of the positional argument at `index` (the last repeats)."""
        if not self.args:
            return "argument"
        return self.args[min(index, len(self.args) - 1)].name

    def is_image_arg(self, index: int) -> bool:
        name = self.arg_name(index)
        return name == "IMAGE" or name.endswith("_IMAGE")


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    noun: str
    source: str
    flags: FlagTable


PARSERS: dict[str, dict[str, bool]] = {
    "gnu": {"abbreviations": True, "negation": False, "permute": True, "long": True},
    "git": {"abbreviations": True, "negation": True, "permute": True, "long": True},
    "pflag": {"abbreviations": False, "negation": False, "permute": True, "long": True},
    "argparse": {"abbreviations": True, "negation": False, "permute": True, "long": True},
    "posix": {"abbreviations": False, "negation": False, "permute": False, "long": False},
}
"""Each parser's conventions (docs/cli-models.md): all of them read combined short flags
(`-am`), a short flag's value attached (`-n5`) and `--opt=value`. `abbreviations`: a unique
prefix of a long option is that option (getopt_long, git, argparse); `negation`: `--no-X`
turns a boolean `--X` off (git's parse-options); `permute`: options may follow operands
(GNU, pflag); `long`: `--name` options exist at all."""


@dataclass(frozen=True, slots=True)
class Conventions:
    """How a program's parser reads its command line (see PARSERS)."""

    parser: str = "pflag"
    abbreviations: bool = False
    negation: bool = False
    permute: bool = True
    long: bool = True
    global_anywhere: bool = False
    """Global options may come after the command too (cobra's persistent flags, systemctl)."""

    @classmethod
    def of(cls, parser: str, **overrides: bool) -> Conventions:
        if parser not in PARSERS:
            raise ValueError(f"unknown parser {parser!r} (one of {', '.join(PARSERS)})")
        return cls(parser, **{**PARSERS[parser], **overrides})


@dataclass(frozen=True, slots=True)
class ProgramModel:
    source: str
    global_flags: FlagTable
    groups: Mapping[str, Group]
    commands: Mapping[tuple[str, ...], Command]
    routes: Mapping[tuple[str, ...], tuple[str, ...]]
    """Every way to write a command (its path and each alias) -> its canonical path."""
    prefixes: Mapping[tuple[str, ...], frozenset[str]]
    """Each partial path (() for the top) -> the words that may follow it."""
    programs: Mapping[str, tuple[str, ...]]
    """Other program names that are a docker command: `docker-compose` -> ("compose",)."""
    name: str = "docker"
    conventions: Conventions = Conventions()
    version: str = ""
    """Which version of the program the model describes."""
    expands: Mapping[str, str] = field(default_factory=dict)
    """A global flag that is other flags (`--failed` -> `--state=failed`), by its key."""

    def group_of(self, path: tuple[str, ...]) -> Group | None:
        return self.groups.get(path[0]) if path else None

    def aliases(self) -> dict[str, str]:
        """Every other way to write a command -> its canonical path (`ps` -> `container ls`)."""
        return {
            " ".join(route): " ".join(path) for route, path in self.routes.items() if route != path
        }


DockerModel = ProgramModel
"""The Docker CLI's model is one ProgramModel among others (the name older code uses)."""


def _flags(specs: Iterable[str]) -> list[Flag]:
    return [parse_flag_spec(spec) for spec in specs]


def _flag_long(spec: str) -> str:
    return parse_flag_spec(spec).long


def _names(specs: Iterable[str]) -> set[str]:
    """Every name the flags answer to (`--no-TTY`, `--no-tty`, `-T`), case-folded."""
    names: set[str] = set()
    for spec in specs:
        flag = parse_flag_spec(spec)
        names |= {n.casefold() for n in (flag.long, *flag.hidden_aliases)}
        if flag.short:
            names.add("-" + flag.short)
    return names


def _with_default(spec: str, defaults: Mapping[str, str]) -> str:
    """A hand-written flag spec with the default --help states, when it names none."""
    flag = parse_flag_spec(spec)
    default = defaults.get(flag.long)
    if flag.default is not None or default is None or not flag.takes_value:
        return spec
    head, at, kind = spec.partition("@")
    return f"{head}={default}{at}{kind}"


NUMERIC_TYPES = frozenset({"int", "int64", "uint16", "uint64", "bytes", "decimal", "float"})


def _zero_default(spec: str) -> str:
    """A container's numeric setting given as 0 is the unset one (the CLI sends 0 for both)."""
    flag = parse_flag_spec(spec)
    if flag.type not in NUMERIC_TYPES or flag.default is not None:
        return spec
    head, at, kind = spec.partition("@")
    return f"{head}=0{at}{kind}"


def merge_generated(data: Mapping[str, Any], generated: Mapping[str, Any]) -> dict[str, Any]:
    """The hand-written model with what the CLI's own --help says added: commands it lacks,
    aliases and flags of the commands it has (a hand-written flag wins over a generated one:
    it says how values compare, or names a hidden alias)."""
    merged: dict[str, Any] = {key: value for key, value in data.items()}
    commands = {key: dict(spec) for key, spec in data["commands"].items()}
    flagsets = {
        name: [_zero_default(f) for f in specs] if name == "container" else list(specs)
        for name, specs in data.get("flagsets", {}).items()
    }
    for key, gen in generated.get("commands", {}).items():
        spec = commands.get(key)
        if spec is None:
            does = gen["does"]
            commands[key] = {
                "source": REFERENCE + key.replace(" ", "/") + "/",
                "does": does[:1].lower() + does[1:],
                "args": gen.get("args", ""),
                "aliases": list(gen.get("aliases", ())),
                "flags": list(gen.get("flags", ())),
            }
            continue
        defaults = {
            flag.long: flag.default
            for flag in (parse_flag_spec(f) for f in gen.get("flags", ()))
            if flag.default is not None
        }
        included = [f for name in spec.pop("include", ()) for f in flagsets[name]]
        own = {_flag_long(f) for f in spec.get("flags", ())}
        spec["flags"] = [
            _with_default(f, defaults)
            for f in (*(f for f in included if _flag_long(f) not in own), *spec.get("flags", ()))
        ]
        known = _names(spec["flags"])
        spec["flags"] = [
            *spec.get("flags", ()),
            *(f for f in gen.get("flags", ()) if not _names([f]) & known),
        ]
        aliases = list(spec.get("aliases", ()))
        spec["aliases"] = aliases + [a for a in gen.get("aliases", ()) if a not in aliases]
    # an alias the hand-written model gives one command is not also another's
    routes: dict[str, str] = {}
    for key in commands:
        routes.setdefault(key, key)
    for key, spec in commands.items():
        spec["aliases"] = [
            a
            for a in spec.get("aliases", ())
            if routes.setdefault(a, key) == key and a not in commands
        ]
    merged["commands"] = commands
    merged["flagsets"] = flagsets
    docker = dict(data["docker"])
    docker_flags = generated.get("docker", {}).get("flags", ())
    known = {_flag_long(f) for f in docker["flags"]}
    docker["flags"] = [
        *docker["flags"],
        *(f for f in docker_flags if _flag_long(f) not in known),
    ]
    merged["docker"] = docker
    group_flags = generated.get("group", {}).get("flags")
    if group_flags:  # Compose's own flags (docker compose -f x.yml up)
        groups = {name: dict(spec) for name, spec in data["groups"].items()}
        compose = groups["compose"]
        known = {_flag_long(f) for f in compose.get("flags", ())}
        compose["flags"] = [
            *compose.get("flags", ()),
            *(f for f in group_flags if _flag_long(f) not in known),
        ]
        merged["groups"] = groups
    return merged


def build_model(data: Mapping[str, Any]) -> ProgramModel:
    """Type the parsed TOML; raises ValueError on a data file that breaks its own rules.

    The Docker model names its program table `[docker]`; every other model `[program]`
    (docs/cli-models.md), where a command may also be a group (`git stash`, `git stash list`).
    """
    legacy = "docker" in data and "program" not in data
    head = data["docker"] if legacy else data["program"]
    name = "docker" if legacy else head["name"]
    flagsets = {name: _flags(specs) for name, specs in data.get("flagsets", {}).items()}
    groups = {
        name: Group(name, spec["noun"], spec["source"], FlagTable.of(_flags(spec.get("flags", ()))))
        for name, spec in data.get("groups", {}).items()
    }
    specs = dict(data.get("commands", {}))
    if "command" in data:
        specs[""] = data["command"]
    commands: dict[tuple[str, ...], Command] = {}
    routes: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key, spec in specs.items():
        path = tuple(key.split())
        flags: list[Flag] = []
        for setname in spec.get("include", ()):
            flags += flagsets[setname]
        flags += _flags(spec.get("flags", ()))
        aliases = tuple(tuple(alias.split()) for alias in spec.get("aliases", ()))
        table = FlagTable.of(flags)
        commands[path] = Command(
            path=path,
            source=spec.get("source", head.get("source", "")),
            args=parse_args_spec(spec.get("args", "")),
            passthrough=bool(spec.get("passthrough", False)),
            does=spec.get("does", "runs " + " ".join((name, *path))),
            flags=table,
            aliases=aliases,
            stdout=spec.get("stdout"),
            stdin=spec.get("stdin"),
            program=name,
            digits=spec.get("digits"),
            dash_command=spec.get("dash") == "command",
            expands=_expands(spec.get("expands", {}), table),
            implies=_expands(spec.get("implies", {}), table),
        )
        for route in (path, *aliases):
            if route in routes:
                raise ValueError(f"{' '.join(route)} names two commands")
            routes[route] = path
    prefixes: dict[tuple[str, ...], set[str]] = {}
    for route in routes:
        for n in range(len(route)):
            prefixes.setdefault(route[:n], set()).add(route[n])
    if legacy:
        for route in routes:
            if route in prefixes:
                raise ValueError(f"{' '.join(route)} is both a command and a group")
    parser = head.get("parser", "pflag")
    overrides = {k: bool(head[k]) for k in ("abbreviations", "negation", "permute") if k in head}
    conventions = Conventions.of(
        parser, global_anywhere=bool(head.get("global_anywhere", False)), **overrides
    )
    return ProgramModel(
        source=head.get("source", ""),
        global_flags=FlagTable.of(_flags(head.get("flags", ()))),
        groups=groups,
        commands=commands,
        routes=routes,
        prefixes={k: frozenset(v) for k, v in prefixes.items()},
        programs={k: tuple(v.split()) for k, v in head.get("programs", {}).items()},
        name=name,
        conventions=conventions,
        version=str(head.get("version", "")),
        expands=_expands(head.get("expands", {}), FlagTable.of(_flags(head.get("flags", ())))),
    )


def _expands(table: Mapping[str, str], flags: FlagTable) -> dict[str, str]:
    """`{"-D" = "--delete --force"}` keyed as the flags are (`Flag.key`: the long name, or
    `-D` for a flag with no long name)."""
    keyed: dict[str, str] = {}
    for name, value in table.items():
        flag = flags.by_short.get(name[1:]) if len(name) == 2 else flags.by_long.get(name[2:])
        keyed[flag.key if flag is not None else name.lstrip("-")] = value
    return keyed


def package_text(name: str) -> str:
    """A data file shipped in the grading package (`name` relative to it): the same bytes on
    every run, like a module. The one file read in grading."""
    return resources.files("quizapp.grading").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def docker_model() -> DockerModel:
    """The model, read from the package data on first use and kept for the process."""
    data = tomllib.loads(package_text(DATA_FILE))
    for name in (GENERATED_FILE, COMPOSE_FILE):
        data = merge_generated(data, tomllib.loads(package_text(name)))
    return build_model(data)
