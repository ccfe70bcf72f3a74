"""Command cards from backticked commands: example values for placeholders, and a prompt.

A command in the notes such as `docker volume create <name>` becomes the answer
`docker volume create web` and a prompt that names every value the learner must type
("Create a volume named `web`."). The prompt comes from the words around the command when
they say what it does, else from what the vocabulary knows about the command itself.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, replace

from quizapp.deck.shellwords import split_shell
from quizapp.draft import vocabulary as vocab
from quizapp.draft.inline import CODE_SPAN, plain

_PLACEHOLDER = re.compile(r"<([A-Za-z][A-Za-z0-9_.-]*?)(\(s\))?>")
_FILE_NOUNS = frozenset({"file", "path", "directory"})
_TRAILING_FILLERS = frozenset(
    "with using via like by run use command such as the a an try is are e.g. i.e. eg ie "
    "and or".split()
)
_LEADING_FILLERS = frozenset(
    "can to when if finally then next first also e.g. i.e. eg ie command and or just".split()
)


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One `<...>` of a command and the example value(s) that stand in for it."""

    raw: str
    key: str
    values: tuple[str, ...]
    noun: str | None
    kind: str
    """`name` ("named web"), `id` ("with id 3f2a9c1b") or `thing` ("the file notes.txt")."""


@dataclass(frozen=True, slots=True)
class Filled:
    answer: str
    placeholders: tuple[Placeholder, ...]


def program_of(command: str) -> str | None:
    """The program a command runs (after an optional `sudo`), if it is a known program."""
    words = command.split()
    if words and words[0] == "sudo":
        words = words[1:]
    if len(words) < 2 or words[0] not in vocab.PROGRAMS:
        return None
    return words[0]


def _split_key(key: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key)
    return [w.lower() for w in re.split(r"[\s_.-]+", spaced) if w]


def placeholder(raw: str, key: str, plural: bool) -> Placeholder:
    words = _split_key(key)
    norm = "".join(words)
    if norm not in vocab.PLACEHOLDERS and norm.endswith("s") and norm[:-1] in vocab.PLACEHOLDERS:
        norm, plural = norm[:-1], True
    if norm in vocab.PLACEHOLDERS:
        value, noun = vocab.PLACEHOLDERS[norm]
    else:
        stem = [w for w in words if w not in ("name", "id")] or words
        noun = " ".join(stem)
        value = "my-" + "-".join(stem)
    if words[-1] == "id":
        kind = "id"
    elif norm.endswith("name") and noun not in _FILE_NOUNS:
        kind = "name"
    else:
        kind = "thing"
    values: tuple[str, ...] = (value,)
    if plural:
        values = (value, vocab.SECOND_EXAMPLES.get(value, value + "-2"))
    return Placeholder(raw, key, values, noun, kind)


def fill(command: str) -> Filled:
    """The command with every placeholder replaced by an example value (quoted if needed)."""
    found: list[Placeholder] = []

    def replace(m: re.Match[str]) -> str:
        ph = placeholder(m.group(0), m.group(1), bool(m.group(2)))
        found.append(ph)
        before = command[m.start() - 1] if m.start() else ""
        quoted = before in "\"'"
        return " ".join(v if quoted else shlex.quote(v) for v in ph.values)

    answer = _PLACEHOLDER.sub(replace, command)
    return Filled(" ".join(answer.split()) if "\n" in answer else answer, tuple(found))


def parses(command: str) -> bool:
    try:
        split_shell(command)
    except ValueError:
        return False
    return True


def _lookup_path(tokens: list[str]) -> tuple[str, ...]:
    """The longest known (program, subcommand...) the command starts with."""
    best: tuple[str, ...] | None = None
    for key in vocab.ACTIONS:
        if tuple(tokens[: len(key)]) == key and (best is None or len(key) > len(best)):
            best = key
    return best or (tokens[0],)


def _flags_for(path: tuple[str, ...]) -> dict[str, tuple[bool, str]]:
    path = vocab.FLAG_ALIASES.get(path, path)
    merged: dict[str, tuple[bool, str]] = {}
    for n in range(1, len(path) + 1):
        merged.update(vocab.FLAGS.get(path[:n], {}))
    return merged


def _value(v: str) -> str:
    return "the current directory" if v == "." else f"`{v}`"


def _join_values(values: tuple[str, ...]) -> str:
    shown = [_value(v) for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _placeholder_phrase(ph: Placeholder, action: str, position: int) -> str:
    values = _join_values(ph.values)
    mentioned = ph.noun is None or ph.noun.lower() in action.lower()
    if ph.kind == "name":
        return f"named {values}" if mentioned else f"the {ph.noun} named {values}"
    if ph.kind == "id":
        return f"with id {values}" if mentioned else f"the {ph.noun} with id {values}"
    if ph.noun in _FILE_NOUNS and position > 0:
        return f"from the {ph.noun} {values}"
    if ph.noun is None or action.lower().endswith(ph.noun.lower()):
        return values
    return f"the {ph.noun} {values}"


@dataclass(frozen=True, slots=True)
class Description:
    action: str | None
    operands: tuple[str, ...]
    flags: tuple[str, ...]
    literal: bool
    """Whether a literal (non-placeholder) operand is named: the action is then needed."""

    def details(self) -> str:
        text = " ".join(self.operands)
        if self.flags:
            text += (" " if text else "") + self.flags[0]
            text += "".join(", " + f for f in self.flags[1:])
        return text


def _flag_words(token: str, value: str | None, flags: dict[str, tuple[bool, str]]) -> str | None:
    """How a flag reads, or None when the vocabulary does not know it."""
    if value is not None:
        known = flags.get(token)
        return known[1].format(v=_value(value)) if known and known[0] else None
    known = flags.get(token)
    if known and not known[0]:
        return known[1]
    letters = token[1:]
    if not token.startswith("--") and len(letters) > 1:
        each = [flags.get(f"-{c}") for c in letters]
        if all(k is not None and not k[0] for k in each):
            return " and ".join(k[1] for k in each if k)
    return None


def describe(filled: Filled, wording: str | None = None) -> Description:
    """What the command does (when the vocabulary knows) and how each of its values reads.

    `wording` is the sentence the details will follow (default: the known action), so that
    a placeholder's noun is not said twice ("Create a secret named ...").
    """
    tokens = list(split_shell(filled.answer))
    sudo = bool(tokens) and tokens[0] == "sudo"
    if sudo:
        tokens = tokens[1:]
    path = _lookup_path(tokens)
    action = vocab.ACTIONS.get(path)
    flags = _flags_for(path)
    roles = vocab.OPERANDS.get(path, ())
    by_value = {v: ph for ph in filled.placeholders for v in ph.values}
    if action and any(len(ph.values) > 1 for ph in filled.placeholders) and " " in action:
        action += "s"
    wording = wording if wording is not None else action or ""
    operands: list[str] = []
    flag_words: list[str] = ["as root"] if sudo else []
    literal = False
    said: set[int] = set()
    rest = tokens[len(path) :]
    i = 0
    position = 0
    while i < len(rest):
        token = rest[i]
        i += 1
        if token == "--":
            flag_words.append("running " + " ".join(f"`{t}`" for t in rest[i:]))
            break
        if token.startswith("-") and len(token) > 1 and not token[1:].isdigit():
            name, eq, inline_value = token.partition("=")
            known = flags.get(name)
            if eq:
                words = _flag_words(name, inline_value, flags)
            elif known and known[0] and i < len(rest):
                words = _flag_words(name, rest[i], flags)
                i += 1
            else:
                words = _flag_words(name, None, flags)
            if words is None:
                words = f"with `{token}`"
                literal = True
            flag_words.append(words)
            continue
        ph = by_value.get(token)
        if ph is not None and id(ph) in said:
            continue
        following = by_value.get(rest[i]) if i < len(rest) else None
        if ph is None and following is not None and token.lower() == (following.noun or ""):
            continue  # "pod" before <pod>: "the pod `web-0`" says it
        if ph is not None and position >= len(roles):
            said.add(id(ph))
            operands.append(_placeholder_phrase(ph, wording, position))
        else:
            shown = _join_values(ph.values) if ph else _value(token)
            if ph:
                said.add(id(ph))
            elif token != ".":
                literal = True
            role = roles[position] if position < len(roles) else "{v}"
            operands.append(role.format(v=shown))
        position += 1
    return Description(action, tuple(operands), tuple(flag_words), literal)


def _imperative(word: str) -> str:
    """ "Creating" and "creates" -> "create": notes describe, prompts ask."""
    lower = word.lower()
    if lower.endswith("ing"):
        return vocab.GERUNDS.get(lower, lower)
    if lower in vocab.THIRD_PERSON:
        return vocab.THIRD_PERSON[lower]
    if re.fullmatch(r"[a-z]+(?:ss|sh|ch|x|z)es", lower):
        return lower[:-2]
    if re.fullmatch(r"[a-z]+[^aeiou]ies", lower):
        return lower[:-3] + "y"
    if re.fullmatch(r"[a-z]*[a-z][^s'u]s", lower) and len(lower) > 3:
        return lower[:-1]
    return word


def phrase_from(text: str) -> str | None:
    """What a stretch of notes says to do, as a short imperative, or None if it says little."""
    words = text.split()
    while words and words[-1].lower().strip(":,.-–—") in _TRAILING_FILLERS | {""}:
        words.pop()
    while words and words[0].lower().strip(":,") in _LEADING_FILLERS | {""}:
        words.pop(0)
    if not 2 <= len(words) <= 10:
        return None
    words[0] = _imperative(words[0])
    phrase = " ".join(words).rstrip(":,;.-–— ")
    return phrase[:1].upper() + phrase[1:]


def notes_phrase(text: str, command_span: tuple[int, int]) -> str | None:
    """The words of the statement around one command, cleaned into an imperative."""
    marks: list[str] = []

    def mark(m: re.Match[str]) -> str:
        if (m.start(), m.end()) == command_span:
            return "\0HERE\0"
        marks.append(m.group(0))
        return f"\0{len(marks) - 1}\0"

    marked = CODE_SPAN.sub(mark, text)
    marked = re.sub(
        r"\(\s*(?:e\.g\.|i\.e\.|eg|ie)?[\s,]*(?:with|using|via|like|run)?\s*\0HERE\0\s*\)",
        " \0HERE\0 ",
        marked,
    )
    clauses = re.split(r"\s+[-—–]\s+|;\s+|(?<=[a-z])(?<!\.[a-z])\.\s+", marked)
    clause = next((c for c in clauses if "\0HERE\0" in c), "")
    # "Use `cmd` to list pods": the purpose after "to" says what to do, not "use".
    clause = re.sub(
        r"\b(?:use|run|type|try|execute|enter)\s+\0HERE\0\s+(?=to\s)", " ", clause, flags=re.I
    )
    clause = clause.replace("\0HERE\0", " ")
    clause = re.sub(
        r"\b(?:with|using|via|run|use|by)\s+(?:the\s+)?command\b", " ", clause, flags=re.I
    )
    clause = re.sub(r"\s+like\s*:", " ", clause)
    clause = re.sub(r"\0(\d+)\0", lambda m: marks[int(m.group(1))], clause)
    return phrase_from(plain(clause))


def command_prompt(filled: Filled, phrase: str | None, context: str | None, heading: str) -> str:
    """The prompt of a command card: what to do, and every value the answer contains."""
    desc = describe(filled)
    if phrase and desc.action:
        same_verb = phrase.split()[0].lower() == desc.action.split()[0].lower()
        if same_verb:
            head = desc.action
        elif desc.literal:
            head = f"{phrase}: {desc.action[:1].lower()}{desc.action[1:]}"
        else:
            head = phrase
    elif phrase or desc.action:
        head = phrase or desc.action or ""
    else:
        program = split_shell(filled.answer.removeprefix("sudo "))[0]
        head = f"{context or heading}: use `{program}`"
    desc = describe(filled, head)
    # "Starts the stack in the background" already says what -d does: do not say it twice.
    flags = tuple(f for f in desc.flags if f.lower() not in head.lower())
    details = replace(desc, flags=flags).details()
    joint = ": " if head == phrase and details.startswith("the ") else " "
    text = f"{head}{joint}{details}" if details else head
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text.rstrip(":") + "."
