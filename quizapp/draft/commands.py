"""Command cards from backticked commands: example values for placeholders, and a prompt.

A command in the notes such as `docker volume create <name>` becomes the answer
`docker volume create web` and a prompt that names every value the learner must type
("Create a volume named `web`."). The prompt comes from the words around the command when
they say what it does, else from what the vocabulary knows about the command itself.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

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
    path = vocab.flags_key(path)
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
    if ph.noun is None:
        return values
    return f"the {ph.noun} {values}"


@dataclass(frozen=True, slots=True)
class Description:
    action: str | None
    operands: tuple[str, ...]
    flags: tuple[str, ...]
    literal: bool
    """Whether a literal (non-placeholder) operand is named: the action is then needed."""
    unknown: tuple[str, ...] = ()
    """Flags the vocabulary cannot put in words; the prompt leaves them out."""

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
    unknown: list[str] = []
    i = 0
    position = 0
    values_started = False
    noun: str | None = None
    while i < len(rest):
        token = rest[i]
        i += 1
        if token == "--":
            flag_words.append("running " + " ".join(f"`{t}`" for t in rest[i:]))
            break
        if token.startswith("-") and len(token) > 1 and not token[1:].isdigit():
            values_started = True
            name, eq, inline_value = token.partition("=")
            known = flags.get(name)
            if eq and known and not known[0] and inline_value in ("true", "false"):
                words = known[1] if inline_value == "true" else None  # --autolock=true
            elif eq:
                words = _flag_words(name, inline_value, flags)
            elif known and known[0] and i < len(rest):
                words = _flag_words(name, rest[i], flags)
                i += 1
            else:
                words = _flag_words(name, None, flags)
            if words is None:
                # Never name the flag itself: the prompt would hold the answer.
                unknown.append(token)
            else:
                flag_words.append(words)
            continue
        ph = by_value.get(token)
        if ph is not None and id(ph) in said:
            continue
        following = by_value.get(rest[i]) if i < len(rest) else None
        if ph is None and following is not None and token.lower() == (following.noun or ""):
            continue  # "pod" before <pod>: "the pod `web-0`" says it
        if ph is None and not values_started and not _is_value(token):
            if noun is not None:
                operands.append(f"the {noun} `{token}`")  # "deployment web": its name
                literal = True
                noun = None
                position += 1
                continue
            kind = vocab.RESOURCE_NOUNS.get(token.lower())
            if kind is not None:
                # "get pods": said in words ("the pods"), never as code from the answer.
                if not (rest[i:] and _names_after(rest[i], by_value)):
                    operands.append(f"the {token.lower()}")
                noun = kind
                continue
            if len(path) == 1:
                # A word of a command the vocabulary does not know ("config get-contexts"):
                # part of the answer, never shown in the prompt.
                continue
        noun = None
        values_started = True
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
    return Description(action, tuple(operands), tuple(flag_words), literal, tuple(unknown))


def _names_after(token: str, by_value: dict[str, Placeholder]) -> bool:
    """Whether `token` (after a kind such as "pod") is that object's name."""
    return token in by_value or not token.startswith("-")


def _is_value(token: str) -> bool:
    """A literal that is data (`8080:80`, `app.yaml`, `deployment/web`), not a command word."""
    return not re.fullmatch(r"[A-Za-z][A-Za-z-]*", token)


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


@dataclass(frozen=True, slots=True)
class Prompt:
    text: str
    checks: tuple[str, ...] = ()


_PARTICLES = frozenset("out up down back off on in over away".split())
_DETAIL = re.compile(r"^(?:(from|in|on|to|of|for|with|[a-z]+ing) )?the ([a-z][a-z ]*?) (`[^`]+`)$")
_PRONOUN = re.compile(r"\b(its|it|them|their)\b(\s+\w+)?", re.IGNORECASE)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def verb_phrase(phrase: str, action: str | None) -> str:
    """The notes' phrase as an instruction: an imperative verb first ("creates or updates"
    -> "Create or update"), or a verb put in front of a noun phrase ("Logs since the last
    boot" -> "Show logs since the last boot")."""
    clause = re.match(r"(after|before|when|once|whenever|if)\b(.+?),\s+(\S+)(.*)", phrase, re.I)
    if clause and _imperative(clause.group(3)).lower() in vocab.VERBS:
        # "After editing a unit file, reload the manager": the instruction first.
        phrase = f"{clause.group(3)}{clause.group(4)} {clause.group(1).lower()}{clause.group(2)}"
    words = phrase.split()
    first = words[0].lower()
    after = words[1].lower() if len(words) > 1 else ""
    base = _imperative(first).lower()
    if first in vocab.VERBS or (first.endswith("ing") and base in vocab.VERBS):
        noun_like = False
    elif after in ("of", "from", "since", "for", "in", "on", "that", "with"):
        noun_like = True  # "Logs of the previous container"
    else:
        noun_like = base not in vocab.VERBS
    if noun_like:
        verb = action.split()[0] if action else "Show"
        return f"{verb} {_lower_first(phrase)}"
    words[0] = _imperative(words[0])
    for k in range(1, len(words) - 1):
        if words[k].lower() in ("or", "and") and _imperative(words[k + 1]) in vocab.VERBS:
            words[k + 1] = _imperative(words[k + 1])
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _absorb(head: str, details: list[str]) -> tuple[str, list[str]]:
    """Put values where the phrase already speaks of them: "Show the events of a pod" and
    "the pod `web-0`" make "Show the events of the pod `web-0`"; "Read its logs" and "the
    pod `web-0`" make "Read the logs of the pod `web-0`"."""
    left: list[str] = []
    for detail in details:
        values = re.findall(r"`([^`]+)`", detail)
        if not values and detail.lower() in head.lower():
            continue  # "the pods" in "List the pods of the namespace"
        if values and all(re.search(rf"(?<![\w`]){re.escape(v)}(?![\w`])", head) for v in values):
            continue  # the notes' words name it already ("Scale the web deployment")
        found = _DETAIL.match(detail)
        if found:
            _prep, noun, value = found.groups()
            last = noun.split()[-1]
            pattern = rf"\b(?:a|an|the|one|your|this|that)\s+((?:\w+\s+)?){re.escape(last)}\b"
            spot = re.search(pattern, head, re.IGNORECASE)
            if spot:
                head = (
                    f"{head[: spot.start()]}the {spot.group(1)}{last} {value}{head[spot.end() :]}"
                )
                continue
            pronoun = _PRONOUN.search(head) if _prep is None else None
            if pronoun:
                word, following = pronoun.group(1).lower(), pronoun.group(2) or ""
                thing = f"the {noun} {value}"
                if word in ("its", "their") and following:
                    replacement = f"the{following} of {thing}"
                else:
                    replacement = thing + following
                head = head[: pronoun.start()] + replacement + head[pronoun.end() :]
                continue
        left.append(detail)
    return head, left


def _said(flag_words: str, head: str) -> bool:
    """Whether the phrase says what a flag does already ("Follow the logs", "following new
    lines"; "Expose it on port 80", "on port `80`")."""
    values = re.findall(r"`([^`]+)`", flag_words)
    if values:  # a value must be in the prompt: said only if the phrase names it
        return all(re.search(rf"(?<!\w){re.escape(v.lower())}(?!\w)", head) for v in values)
    words = flag_words.lower()
    if words in head:
        return True
    first, *rest = words.split()
    content = [w for w in rest if len(w) > 3 and w not in ("their", "them", "ones", "that")]
    if content and all(re.search(rf"\b{re.escape(w)}\b", head) for w in content):
        return True
    if not first.endswith("ing") or len(first) < 7:
        return False
    stem = first[:-3]
    stems = {stem, stem[:-1]} if len(stem) > 3 and stem[-1] == stem[-2] else {stem}
    return any(re.search(rf"\b{re.escape(s)}", head) for s in stems)


def command_prompt(filled: Filled, phrase: str | None, context: str | None, heading: str) -> Prompt:
    """The prompt of a command card: what to do, and every value the answer contains.

    It never shows the command's own words or flags (the answer); a flag the vocabulary
    cannot put in words is left out, with a check for the author when the notes do not
    describe the command either.
    """
    desc = describe(filled)
    checks: list[str] = []
    if phrase:
        said = verb_phrase(phrase, desc.action)
        head = said
    elif desc.action:
        head = desc.action
    else:
        program = split_shell(filled.answer.removeprefix("sudo "))[0]
        head = (
            verb_phrase(context, None) if context else f"Run the `{program}` command for {heading}"
        )
        checks.append(f"the prompt does not say what this `{program}` command does: say it")
    desc = describe(filled, head)
    if desc.unknown and not phrase:
        unknown = ", ".join(f"`{flag}`" for flag in desc.unknown)
        checks.append(f"the prompt does not say what {unknown} does: say it in words")
    # "Starts the stack in the background" already says what -d does: do not say it twice.
    plain_head = head.replace("`", "").lower()
    flags = [f for f in desc.flags if not _said(f, plain_head)]
    operands = [o for o in desc.operands if "`" in o or not phrase]  # words: the notes'
    head, operands = _absorb(head, operands)
    head, flags = _absorb(head, flags)
    named = " ".join(operands)
    particle = len(head.split()) == 2 and head.split()[1].lower() in _PARTICLES
    if named and head != desc.action and named.startswith(("the ", "`")) and not particle:
        named = f"({named})"  # a value the phrase does not place: beside it
    text = " ".join(part for part in (head, named, ", ".join(flags)) if part)
    text = text[:1].upper() + text[1:]
    text = text.rstrip(":,; ")
    return Prompt(text if text.endswith((".", "?", "!")) else text + ".", tuple(checks))
