"""The words drafting knows, read from the data file `vocabulary.toml`: programs, example
values, what commands and flags do.

Everything that makes a drafted prompt read like English lives in that file, so that teaching
the drafter a new program or flag is one table entry. Unknown commands still get a card;
their prompt just names the values literally and is marked for a human look. Which docker
commands are the same command (`docker container run` is `docker run`) is not written there:
the grader's CLI model knows it (`docker_spellings`).
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

from quizapp.grading.model import docker_model

DATA_FILE = "vocabulary.toml"


def _path(words: str) -> tuple[str, ...]:
    return tuple(words.split())


def _load() -> dict[str, Any]:
    text = resources.files("quizapp.draft").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


@functools.cache
def docker_spellings(path: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Every way of writing the docker command `path` the CLI model knows, `path` first:
    `("docker", "container", "run")` -> `(..., ("docker", "run"))`; through the model's
    programs too (`docker compose up` is `docker-compose up`). Just `(path,)` for others."""
    model = docker_model()
    programs = {"docker": (), **model.programs}
    if not path or path[0] not in programs:
        return (path,)
    canonical = model.routes.get((*programs[path[0]], *path[1:]))
    if canonical is None:
        return (path,)
    found = [path]
    for route, target in model.routes.items():
        if target != canonical:
            continue
        for program, prefix in programs.items():
            if route[: len(prefix)] == prefix:
                spelling = (program, *route[len(prefix) :])
                if spelling not in found and len(spelling) > 1:
                    found.append(spelling)
    return tuple(found)


_DATA = _load()

PROGRAMS: frozenset[str] = frozenset(_DATA["programs"].split())
"""Programs whose backticked commands become command cards (`sudo` in front is allowed)."""

PLACEHOLDERS: dict[str, tuple[str, str | None]] = {
    name: (value[0], value[1] if len(value) > 1 else None)
    for name, value in _DATA["placeholders"].items()
}
"""Placeholder name -> (example value, noun the prompt uses, or None: "named ...")."""

SECOND_EXAMPLES: dict[str, str] = dict(_DATA["second_examples"])
"""A second example for placeholders that stand for several values (`<name(s)>`)."""

ACTIONS: dict[tuple[str, ...], str] = {
    spelling: v for k, v in _DATA["actions"].items() for spelling in docker_spellings(_path(k))
}
"""(program, subcommand...) -> what running it does, as an imperative with its object; under
every spelling of a docker command the CLI model knows (`docker container run`, `docker run`)."""

OPERANDS: dict[tuple[str, ...], tuple[str, ...]] = {
    spelling: tuple(v)
    for k, v in _DATA["operands"].items()
    for spelling in docker_spellings(_path(k))
}
"""(program, subcommand...) -> how each operand reads, in order; `{v}` is the value."""

OPERAND_WORDS: dict[str, str] = dict(_DATA["operand_words"])
"""Operand values that read better as words."""

FLAGS: dict[tuple[str, ...], dict[str, tuple[bool, str]]] = {
    _path(k): {flag: (bool(v[0]), str(v[1])) for flag, v in table.items()}
    for k, table in _DATA["flags"].items()
}
"""Program or (program, subcommand...) -> flag -> (takes a value, how it reads)."""

FLAGS_LIKE: dict[tuple[str, ...], tuple[str, ...]] = {
    _path(k): _path(v) for k, v in _DATA["flags_like"].items()
}
"""Commands that take the flags of another command."""

GERUNDS: dict[str, str] = dict(_DATA["gerunds"])
"""Gerunds a notes label starts with, as imperatives ("Creating a swarm" -> "Create a swarm")."""

THIRD_PERSON: dict[str, str] = dict(_DATA["third_person"])
"""Verbs whose "-s" form the rules in `commands._imperative` would get wrong."""

NOT_A_TERM_START: frozenset[str] = frozenset(_DATA["not_a_term_start"].split())
"""Words that, at the start of a term, show a clause rather than a term being defined."""

DEFINITION_OPENERS: frozenset[str] = frozenset(_DATA["definition_openers"].split())
"""How a definition may start after "X is"/"X are" for it to be read as a definition."""

STOPWORDS: frozenset[str] = frozenset(_DATA["stopwords"].split())

RESOURCE_NOUNS: dict[str, str] = {
    noun: singular for singular, forms in _DATA["resource_nouns"].items() for noun in forms.split()
}
"""Words that name a kind of object; the word after one is that object's name (a value)."""

VERBS: frozenset[str] = frozenset(_DATA["verbs"].split())
"""Words a prompt may start with: a phrase of the notes that starts otherwise is a noun
phrase ("Logs since the last boot") and gets a verb ("Show the logs since the last boot")."""

DOCKER_PROGRAMS: frozenset[str] = frozenset({"docker", *docker_model().programs})
"""The programs the grader's Docker model reads (`docker`, `docker-compose`)."""


def flags_key(path: tuple[str, ...]) -> tuple[str, ...]:
    """The command whose flag tables (`FLAGS`, its own and its prefixes') describe the flags
    of `path`: its own, else those of another spelling of the same command (the CLI model's
    aliases; another program's, such as `docker-compose`), else those of the command it takes
    its flags from (`FLAGS_LIKE`)."""
    if path in FLAGS:
        return path
    spellings = docker_spellings(path)
    for spelling in spellings:
        if spelling in FLAGS:
            return spelling
    for spelling in spellings:  # `docker compose up`: the table of `docker-compose`
        if path[0] == "docker" != spelling[0] and spelling[:1] in FLAGS:
            return spelling
    for spelling in spellings:
        if spelling in FLAGS_LIKE:
            return flags_key(FLAGS_LIKE[spelling])
    return path
