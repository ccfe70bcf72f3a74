"""Read a typed command line the way the Docker CLI (cobra + pflag) reads it.

Shell words come from the project's one splitter (`quizapp.deck.shellwords`), with `$VAR`,
`~` and `$(...)` in their expanded form; a pipeline's later commands, `&&` lists and
redirections the command does not turn into flags (`docker save > f` is `docker save -o f`)
are kept as the line's `tail`, compared word for word. A docker command line is then split
into global flags, the command path (aliases and `docker-compose` resolved, misspelt words
noted), the command's flags (`-it`, `--name=x`, `-p80:80`, `--detach=false`), its positional
arguments and, for run/create/exec, the container's own command, which keeps everything after
the image.
Anything else is a plain list of words.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field

from quizapp.deck.shellwords import CONTROL, Token, shell_tokens
from quizapp.grading.model import Command, Flag, FlagTable, ProgramModel, docker_model
from quizapp.grading.models import current_models
from quizapp.grading.values import negated_pair, parse_bool

DOCKER = "docker"


class UnreadableCommand(ValueError):
    """The text is not a shell command (an unclosed quote, a trailing backslash)."""


@dataclass(frozen=True, slots=True)
class FlagUse:
    """One flag as given on the command line."""

    scope: str
    """"global" (docker -H), "group" (docker compose -f) or "command"."""
    flag: Flag | None
    """None for a flag the command does not have."""
    name: str
    """As written: `--detach`, `-d`, `--detatch`."""
    value: str | None
    """The value given, `"true"` for a bare boolean, None when a value was missing."""
    text: str
    """The typed text this use came from: `-d`, `--name test`, `-p80:80`."""
    suggestion: Flag | None = None
    moved: bool = False
    """Typed after the image and moved before it to see what the learner meant."""


@dataclass(frozen=True, slots=True)
class Invocation:
    """A command line, read."""

    words: tuple[str, ...]
    docker: bool
    head: tuple[str, ...] = ()
    """The words naming the program and command, as typed: `docker ps`."""
    command: Command | None = None
    command_typos: tuple[tuple[str, str], ...] = ()
    """(typed word, the command word it was read as) for misspelt command words."""
    unknown: tuple[str, ...] | None = None
    """The words of a docker command the model does not know."""
    uses: tuple[FlagUse, ...] = ()
    args: tuple[str, ...] = ()
    passthrough: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default_factory=tuple)
    tail: tuple[str, ...] = ()
    """What follows the command on the line: `| grep -i x`, `2>&1`, `&& docker ps`."""
    model: ProgramModel | None = None
    """The program's CLI model (None: a program quizapp has no model of)."""
    notes: tuple[str, ...] = ()
    """How the line was read where it is not plain: `-am` is `-a -m`, `--amen` is `--amend`."""

    @property
    def structured(self) -> bool:
        """Read flag by flag (a known docker command), not word by word."""
        return self.command is not None


def _tokens(text: str) -> tuple[Token, ...]:
    text = text.strip()
    if text.startswith("$") and (len(text) == 1 or text[1].isspace()):
        text = text[1:].lstrip()
    try:
        tokens = shell_tokens(text)
    except ValueError as error:
        raise UnreadableCommand(str(error).lower()) from None
    if len(tokens) > 1 and tokens[0].text == "sudo" and not tokens[0].op:
        tokens = tokens[1:]
    return tokens


def shell_words(text: str) -> tuple[str, ...]:
    """The words of `text`'s first command (expanded), without a `$ ` prompt or `sudo`."""
    words: list[str] = []
    for token in _tokens(text):
        if token.op and token.text in CONTROL:
            break
        words.append(token.expanded)
    return tuple(words)


def stage_words(text: str) -> list[tuple[str, ...]]:
    """The words of each simple command of `text` (`a | b && c` -> three), redirections left
    out. Raises UnreadableCommand for broken shell syntax."""
    stages: list[list[str]] = [[]]
    skip = False
    for token in _tokens(text):
        if token.op and token.text in CONTROL:
            stages.append([])
        elif token.op:
            skip = not token.text.endswith(("&", "-")) and not token.text[-1].isdigit()
        elif skip:
            skip = False
        else:
            stages[-1].append(token.expanded)
    return [tuple(words) for words in stages if words]


def read_line(text: str) -> Invocation:
    """Read `text` as a shell line: its first command read by `read_words`, redirections the
    command has a flag for turned into that flag, the rest kept as `tail`.

    Raises UnreadableCommand for broken shell syntax."""
    tokens = _tokens(text)
    words: list[str] = []
    redirects: list[tuple[str, str | None]] = []
    tail: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.op and token.text in CONTROL:
            tail = [t.expanded for t in tokens[i:]]
            break
        if token.op:
            target = None
            has_target = not token.text.endswith(("&", "-")) and not token.text[-1].isdigit()
            if has_target and i + 1 < len(tokens) and not tokens[i + 1].op:
                target = tokens[i + 1].expanded
                i += 1
            if token.text == "&>":  # `&> f` is `> f 2>&1`
                redirects += [(">", target), ("2>&1", None)]
            else:
                redirects.append((token.text, target))
        else:
            words.append(token.expanded)
        i += 1
    assignments: list[str] = []
    while words and _ASSIGNMENT.match(words[0]) and len(words) > 1:
        assignments.append(words.pop(0))
    line = read_words(tuple(words))
    uses = list(line.uses)
    args = list(line.args)
    kept: list[str] = []
    for op, target in redirects:
        flag = _redirect_flag(line.command, op) if target is not None else None
        if flag is not None and target is not None:
            uses.append(FlagUse("command", flag, "--" + flag.long, target, f"{op} {target}"))
        elif op in ("<", "0<") and target is not None and "-" in args and _reads_dash(line):
            args[args.index("-")] = target  # `secret create s - < f` is `secret create s f`
        else:
            kept += [op] if target is None else [op, target]
    environment: list[str] = []
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        global_flag = docker_model().global_flags.by_long.get(_ENV_FLAGS.get(name, ""))
        if line.docker and global_flag is not None:
            use = FlagUse("global", global_flag, "--" + global_flag.long, value, assignment)
            uses.insert(0, use)
        else:
            environment.append(assignment)
    if not redirects and not tail and not assignments:
        return line
    return dataclasses.replace(
        line, uses=tuple(uses), args=tuple(args), tail=(*sorted(environment), *kept, *tail)
    )


_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_ENV_FLAGS = {"DOCKER_HOST": "host", "DOCKER_CONTEXT": "context", "DOCKER_CONFIG": "config"}
"""Variables the docker CLI reads as these global flags (`DOCKER_HOST=h docker` = `-H h`)."""


def _reads_dash(line: Invocation) -> bool:
    """The command takes `-` for a file argument: it then reads its standard input."""
    command = line.command
    return command is not None and any("-" in arg.name.split("|") for arg in command.args)


def _redirect_flag(command: Command | None, op: str) -> Flag | None:
    """`docker save > f` is `docker save -o f`; `docker load < f` is `docker load -i f`."""
    if command is None:
        return None
    name = command.stdout if op in (">", "1>") else command.stdin if op in ("<", "0<") else None
    return command.flags.by_long.get(name) if name else None


def read_command(text: str) -> Invocation:
    """Read `text` as a command line; raises UnreadableCommand for broken shell syntax."""
    return read_line(text)


def model_for(program: str) -> ProgramModel | None:
    """The CLI model of `program` (a name or another name of it, `docker-compose`), or None."""
    docker = docker_model()
    if program == DOCKER or program in docker.programs:
        return docker
    return current_models().get(program)


def read_words(words: tuple[str, ...]) -> Invocation:
    model = model_for(words[0]) if words else None
    if model is None:
        return Invocation(words=words, docker=False, head=words[:1])
    return _Reader(model, words).read()


def split_flag_words(
    command: Command, words: tuple[str, ...]
) -> tuple[list[str], list[str], int] | None:
    """Sort `words` into `command`'s flags (with their values) and the other words.

    Returns (flag words, other words, number of flag uses), or None when a word is a flag
    `command` does not have. Used to see what a learner meant by flags typed after the image.
    """
    reader = _Reader(docker_model(), ("", *words))
    flag_words: list[str] = []
    others: list[str] = []
    while reader.i < len(reader.words):
        word = reader.words[reader.i]
        if word.startswith("-") and word not in ("-", "--"):
            start = reader.i
            reader._flag(command.flags, "command")
            flag_words += reader.words[start : reader.i]
        else:
            others.append(word)
            reader.i += 1
    if any(use.flag is None for use in reader.uses):
        return None
    return flag_words, others, len(reader.uses)


class _Reader:
    def __init__(self, model: ProgramModel, words: tuple[str, ...]) -> None:
        self.model = model
        self.conventions = model.conventions
        self.words = words
        self.i = 1
        self.uses: list[FlagUse] = []
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.also: FlagTable | None = None
        """Global flags read after the command too (cobra's persistent flags, systemctl)."""
        self.command: Command | None = None

    def read(self) -> Invocation:
        model, words = self.model, self.words
        node: tuple[str, ...] = model.programs.get(words[0], ())
        head = [words[0]]
        typos: list[tuple[str, str]] = []
        if not node and (model.global_flags.flags or () not in model.routes):
            self._flags_while_dashed(model.global_flags, "global")
        while self.i < len(words):
            word = words[self.i]
            if node in model.routes and word not in model.prefixes.get(node, frozenset()):
                break
            group = model.groups.get(node[0]) if len(node) == 1 else None
            if word.startswith("-") and word != "-":
                if group is not None and group.flags.flags:
                    self._flags_while_dashed(group.flags, "group")
                    continue
                break
            following = model.prefixes.get(node, frozenset())
            if word not in following:
                close = difflib.get_close_matches(word, sorted(following), n=1, cutoff=0.75)
                if not close or negated_pair(word, close[0]):  # lock is no slip of unlock
                    return self._unknown((*node, word), head)
                typos.append((word, close[0]))
                word = close[0]
            node = (*node, word)
            head.append(words[self.i])
            self.i += 1
        if node not in model.routes:
            return self._unknown(node, head)
        command = model.commands[model.routes[node]]
        self.command = command
        if self.conventions.global_anywhere:
            self.also = model.global_flags
        args, passthrough = self._command_line(command)
        return Invocation(
            words=words,
            docker=model.name == DOCKER,
            head=tuple(head),
            command=command,
            command_typos=tuple(typos),
            uses=tuple(self.uses),
            args=tuple(args),
            passthrough=tuple(passthrough),
            problems=tuple(self.problems),
            model=model,
            notes=tuple(self.notes),
        )

    def _unknown(self, node: tuple[str, ...], head: list[str]) -> Invocation:
        return Invocation(
            words=self.words,
            docker=self.model.name == DOCKER,
            head=tuple(head),
            unknown=node,
            uses=tuple(self.uses),
            model=self.model,
        )

    def _flags_while_dashed(self, table: FlagTable, scope: str) -> None:
        """Read flags up to the next word; a `--` here only ends them (it is consumed)."""
        while self.i < len(self.words):
            word = self.words[self.i]
            if word == "--":
                self.i += 1
                return
            if not word.startswith("-") or word == "-":
                return
            self._flag(table, scope)

    def _command_line(self, command: Command) -> tuple[list[str], list[str]]:
        words = self.words
        args: list[str] = []
        while self.i < len(words):
            word = words[self.i]
            if word == "--":
                if command.dash_command:
                    rest = list(words[self.i + 1 :])
                    self.i = len(words)
                    return args, rest
                args += words[self.i + 1 :]
                self.i = len(words)
                break
            if self._digits(word, command):
                continue
            if word.startswith("-") and word != "-":
                self._flag(command.flags, "command")
                continue
            args.append(word)
            self.i += 1
            if command.passthrough or not self.conventions.permute:
                args += words[self.i :]
                self.i = len(words)
                break
        if command.passthrough and args:
            return args[:1], args[1:]
        return args, []

    def _digits(self, word: str, command: Command) -> bool:
        """`-5` for `-n 5` (`git log -5`, `head -5`): read as the flag the model names."""
        if command.digits is None or word[:1] != "-" or not word[1:].isdigit():
            return False
        flag = command.flags.by_long.get(command.digits)
        if flag is None:
            return False
        self.i += 1
        self.uses.append(FlagUse("command", flag, word, word[1:], word))
        self.notes.append(f"{word} is {flag.dashed} {word[1:]}")
        return True

    def _flag(self, table: FlagTable, scope: str) -> None:
        word = self.words[self.i]
        self.i += 1
        if word.startswith("--"):
            self._long_flag(word, table, scope)
        else:
            self._short_flags(word, table, scope)

    def _take_value(self, name: str, flag: Flag | None = None) -> tuple[str | None, str]:
        if self.i < len(self.words):
            value = self.words[self.i]
            self.i += 1
            return value, " " + value
        if flag is not None and flag.type == "commit" and self.conventions.parser == "git":
            return "HEAD", ""  # git's last-argument default (`git branch --merged`)
        self.problems.append(f"{name} needs a value")
        return None, ""

    def _find_long(self, name: str, table: FlagTable, scope: str) -> tuple[Flag | None, str, bool]:
        """The flag `--name` is, with its scope and whether `--no-` negates it: exact names
        first, then the global flags read anywhere, then `--no-X`, then a unique prefix."""
        tables = [(table, scope)]
        if self.also is not None and self.also is not table:
            tables.append((self.also, "global"))
        for each, where in tables:
            if name in each.by_long:
                return each.by_long[name], where, False
        conventions = self.conventions
        if conventions.negation:
            for each, where in tables:
                base = name.removeprefix("no-")
                flag = each.by_long.get(base) if base != name else each.by_long.get("no-" + name)
                if flag is not None and not flag.takes_value:
                    return flag, where, True
        if conventions.abbreviations and len(name) >= 2:
            found: dict[str, tuple[Flag, str, bool]] = {}
            for each, where in tables:
                for long, flag in each.by_long.items():
                    if long.startswith(name):
                        found.setdefault(flag.key, (flag, where, False))
                    negatable = conventions.negation and not flag.takes_value
                    if negatable and name.startswith("no-") and ("no-" + long).startswith(name):
                        found.setdefault(flag.key, (flag, where, True))
            if len(found) == 1:
                flag, where, negated = next(iter(found.values()))
                full = ("no-" if negated else "") + flag.long
                self.notes.append(f"--{name} is --{full} (a long option may be shortened)")
                return flag, where, negated
            if len(found) > 1:
                options = ", ".join(sorted("--" + f.long for f, _, _ in found.values()))
                self.problems.append(f"--{name} is ambiguous: {options}")
        return None, scope, False

    def _long_flag(self, word: str, table: FlagTable, scope: str) -> None:
        name, eq, attached = word[2:].partition("=")
        if not self.conventions.long:
            self.uses.append(FlagUse(scope, None, word, attached if eq else None, word))
            return
        flag, scope, negated = self._find_long(name, table, scope)
        if negated and flag is not None:
            self.uses.append(FlagUse(scope, flag, "--" + name, "false", word))
            return
        if flag is None:
            suggestion = table.suggest(name)
            value: str | None = attached if eq else None
            text = word
            if not eq and suggestion is not None and suggestion.takes_value:
                value, extra = self._take_value(word)
                text += extra
            self.uses.append(FlagUse(scope, None, "--" + name, value, text, suggestion))
            return
        if flag.takes_value:
            if eq:
                value, text = attached, word
            elif flag.optional and not self._peeks(flag):
                value, text = "", word
            else:
                value, extra = self._take_value(word, flag)
                text = word + extra
        else:
            value, text = (attached if eq else "true"), word
            if eq and self.conventions.parser != "pflag":  # getopt: `--all=x` is an error
                self.problems.append(f"--{name} takes no value")
            elif parse_bool(value) is None:
                self.problems.append(f"--{name} takes true or false, not {value}")
        self.uses.append(FlagUse(scope, flag, "--" + name, value, text))

    def _short_flags(self, word: str, table: FlagTable, scope: str) -> None:
        body = word[1:]
        single = len(body) == 1
        j = 0
        while j < len(body):
            letter = body[j]
            flag = table.by_short.get(letter)
            where = scope
            if flag is None and self.also is not None:
                flag, where = self.also.by_short.get(letter), "global"
            rest = body[j + 1 :]
            if flag is None:
                text = word if single else "-" + letter
                self.uses.append(FlagUse(scope, None, "-" + letter, None, text))
                j += 1
                continue
            if flag.takes_value:
                pflag = self.conventions.parser == "pflag"  # pflag reads `-o=wide` as `-o wide`
                attached = rest.removeprefix("=") if pflag else rest
                if attached:
                    value: str | None = attached
                    text = word if j == 0 else "-" + body[j:]
                elif flag.optional and not self._peeks(flag):
                    value, text = "", (word if j == 0 else "-" + letter)
                else:
                    value, extra = self._take_value("-" + letter, flag)
                    text = (word if j == 0 else "-" + letter) + extra
                self.uses.append(FlagUse(where, flag, "-" + letter, value, text))
                if not single and self.model.name != DOCKER:
                    self.notes.append(f"{word} is {self._spelled(word)}")
                return
            if rest.startswith("="):
                value = rest[1:]
                if parse_bool(value) is None:
                    self.problems.append(f"-{letter} takes true or false, not {value}")
                text = word if j == 0 else "-" + body[j:]
                self.uses.append(FlagUse(scope, flag, "-" + letter, value, text))
                return
            text = word if single else "-" + letter
            self.uses.append(FlagUse(where, flag, "-" + letter, "true", text))
            j += 1
        if not single and self.model.name != DOCKER:
            self.notes.append(f"{word} is {self._spelled(word)}")

    def _peeks(self, flag: Flag) -> bool:
        """An optional value taken from the next word: it is a number (`-n 20`, `-b -1`)."""
        if not flag.peek or self.i >= len(self.words):
            return False
        following = self.words[self.i]
        return following.lstrip("-+").isdigit() or following == "all"

    def _spelled(self, word: str) -> str:
        """`-am` as `-a -m`, `-n5` as `-n 5`: combined short options one by one."""
        table = self.command.flags if self.command is not None else self.model.global_flags
        parts: list[str] = []
        body = word[1:]
        for j, letter in enumerate(body):
            flag = table.by_short.get(letter)
            if flag is None and self.also is not None:
                flag = self.also.by_short.get(letter)
            if flag is not None and flag.takes_value and body[j + 1 :]:
                parts += ["-" + letter, body[j + 1 :]]
                break
            parts.append("-" + letter)
        return " ".join(parts)
