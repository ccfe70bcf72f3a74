"""The CLI models in effect: the bundled ones (git, kubectl, systemctl, journalctl) and an
author's own `*.cli.toml`, read from text the layer above hands in.

Docker's model stays where it was (`model.docker_model`); every other program's model is a
`*.cli.toml` file in the format of docs/cli-models.md. The bundled files are package data
(read with importlib.resources, as the Docker model is); an author's files are read by the
deck layer (`quizapp.deckfiles`) and checked here (`parse_model_text`), so this package opens no
file of the user's. Which models a grading call uses is a `ModelSet`, passed in by the caller
and kept for the call in a context variable (`using_models`), so the many small readers of a
line do not each need it as an argument.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from quizapp.deck.sources import MODEL_SUFFIX
from quizapp.grading.model import PARSERS, ProgramModel, build_model, package_text

BUNDLED = ("git", "kubectl", "systemctl", "journalctl")
"""The bundled models besides Docker's, in quizapp/grading/models_data/NAME.cli.toml."""
FLAG_SPEC = re.compile(
    r"(?:[A-Za-z0-9?#]\|)?(?:[A-Za-z0-9][A-Za-z0-9_.-]*)?(?:,[A-Za-z0-9][A-Za-z0-9_.-]*)*"
    r"(?::(?:enum\([^()=@]+\)|[A-Za-z][A-Za-z0-9-]*)[?~*+]*)?(?:=[^@]*)?(?:@[a-z-]+)?"
)
TYPES = frozenset(
    {
        "bool",
        "count",
        "string",
        "int",
        "uint",
        "float",
        "decimal",
        "size",
        "bytes",
        "duration",
        "path",
        "commit",
        "enum",
        "keyvalue",
        "list",
        "stringArray",
        "stringSlice",
        "strings",
        "map",
        "filter",
    }
)
"""The value types an author's model may name (the Docker model keeps its own pflag types)."""
PROGRAM_KEYS = frozenset(
    {
        "name",
        "version",
        "source",
        "parser",
        "flags",
        "programs",
        "abbreviations",
        "negation",
        "permute",
        "global_anywhere",
        "expands",
    }
)
COMMAND_KEYS = frozenset(
    {
        "source",
        "does",
        "args",
        "aliases",
        "flags",
        "include",
        "passthrough",
        "digits",
        "dash",
        "expands",
        "implies",
    }
)
TOP_KEYS = frozenset({"program", "commands", "command", "flagsets", "groups"})
_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


class ModelError(ValueError):
    """A model file that cannot be used: where (line, column) and why."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class ModelSet:
    """Programs' CLI models by every name they answer to (`git`; `docker-compose` for docker)."""

    models: tuple[ProgramModel, ...] = ()
    _by_name: Mapping[str, ProgramModel] = field(default_factory=dict, compare=False, hash=False)
    _hash: int = field(default=0, compare=False, hash=False)

    @classmethod
    def of(cls, models: tuple[ProgramModel, ...]) -> ModelSet:
        by_name: dict[str, ProgramModel] = {}
        for model in models:  # later models win: an author's git replaces the bundled one
            by_name[model.name] = model
            for other in model.programs:
                by_name[other] = model
        return cls(tuple(models), by_name, hash(tuple(id(m) for m in models)))

    def get(self, program: str) -> ProgramModel | None:
        return self._by_name.get(program)

    def with_models(self, extra: tuple[ProgramModel, ...]) -> ModelSet:
        """These models and `extra`, `extra` winning where both have a program."""
        return ModelSet.of((*self.models, *extra)) if extra else self

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ModelSet)
            and all(a is b for a, b in zip(self.models, other.models, strict=False))
            and len(self.models) == len(other.models)
        )


def _position(text: str, needle: str) -> tuple[int, int]:
    """Line and column of the first `needle` in `text` (1, 1 when it is not there)."""
    index = text.find(needle)
    if index < 0:
        return 1, 1
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _fail(text: str, needle: str, message: str) -> ModelError:
    line, column = _position(text, needle)
    return ModelError(message, line, column)


def _check_flags(text: str, specs: Any, where: str) -> None:
    if not isinstance(specs, list) or not all(isinstance(s, str) for s in specs):
        raise _fail(text, "flags", f"{where}: flags must be a list of flag specs (strings)")
    for spec in specs:
        quoted = f'"{spec}"'
        if not FLAG_SPEC.fullmatch(spec) or spec.startswith(("|", ":")) or not spec.strip():
            raise _fail(text, quoted, f"{where}: {spec!r} is not a flag spec (docs/cli-models.md)")
        type_ = spec.partition("@")[0].partition("=")[0].partition(":")[2].rstrip("?~*+")
        if type_ and not type_.startswith("enum(") and type_ not in TYPES:
            types = ", ".join(sorted(TYPES))
            raise _fail(text, quoted, f"{where}: unknown value type {type_!r} (one of {types})")
        names = spec.partition(":")[0].partition("=")[0].partition("@")[0]
        if not names.replace("|", ""):
            raise _fail(text, quoted, f"{where}: {spec!r} names no flag")


def _check(text: str, data: dict[str, Any]) -> None:
    for key in data:
        if key not in TOP_KEYS:
            raise _fail(
                text, key, f"unknown table [{key}] (expected {', '.join(sorted(TOP_KEYS))})"
            )
    head = data.get("program")
    if not isinstance(head, dict):
        raise ModelError("a model needs a [program] table with the program's name")
    for key in head:
        if key not in PROGRAM_KEYS:
            raise _fail(text, key, f"[program]: unknown key {key!r}")
    if not isinstance(head.get("name"), str) or not head["name"].strip():
        raise _fail(text, "[program]", "[program]: name (the program's name) is required")
    parser = head.get("parser", "gnu")
    if parser not in PARSERS:
        raise _fail(
            text, "parser", f"[program]: unknown parser {parser!r} (one of {', '.join(PARSERS)})"
        )
    _check_flags(text, head.get("flags", []), "[program]")
    commands = dict(data.get("commands", {}))
    if "command" in data:
        commands[""] = data["command"]
    if not commands:
        raise _fail(text, "[program]", "a model needs [commands.NAME] tables or one [command]")
    sets = data.get("flagsets", {})
    for name, specs in sets.items():
        _check_flags(text, specs, f"[flagsets] {name}")
    for key, spec in commands.items():
        where = f"[commands.{key}]" if key else "[command]"
        anchor = f'"{key}"' if f'"{key}"' in text else (key or "[command]")
        if not isinstance(spec, dict):
            raise _fail(text, anchor, f"{where} must be a table")
        for k in spec:
            if k not in COMMAND_KEYS:
                raise _fail(text, k, f"{where}: unknown key {k!r}")
        _check_flags(text, spec.get("flags", []), where)
        for name in spec.get("include", []):
            if name not in sets:
                raise _fail(text, name, f"{where}: include names no flag set {name!r}")
        if spec.get("dash", "command") != "command":
            raise _fail(text, "dash", f'{where}: dash may only be "command"')


def parse_model_text(text: str) -> ProgramModel:
    """A model file's text as a ProgramModel; raises ModelError (with a line and column)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        at = _AT.search(message)
        line, column = (int(at.group(1)), int(at.group(2))) if at else (1, 1)
        raise ModelError(_AT.sub("", message).strip(), line, column) from None
    _check(text, data)
    try:
        return build_model(data)
    except (ValueError, KeyError, TypeError) as error:
        raise ModelError(f"the model breaks its own rules: {error}") from None


@functools.cache
def bundled_models() -> ModelSet:
    """The bundled models, read once from the package data."""
    models = tuple(
        parse_model_text(package_text(f"models_data/{name}{MODEL_SUFFIX}")) for name in BUNDLED
    )
    return ModelSet.of(models)


_CURRENT: contextvars.ContextVar[ModelSet | None] = contextvars.ContextVar(
    "quizapp_cli_models", default=None
)


def current_models() -> ModelSet:
    """The models of the grading call under way (the bundled ones outside any)."""
    return _CURRENT.get() or bundled_models()


@contextlib.contextmanager
def using_models(models: ModelSet | None) -> Iterator[ModelSet]:
    """Grade with `models` (None: the bundled ones) until the block ends."""
    chosen = models or bundled_models()
    token = _CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        _CURRENT.reset(token)
