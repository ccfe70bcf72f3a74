"""The project's one shell-word splitter: a command line read the way a POSIX shell reads it.

Deck loading (is an answer a readable command?), drafting (the words of a command from the
notes) and grading (what the program receives) all split here. Quotes and backslashes are
removed as the shell removes them; `# comments` are dropped; `|`, `||`, `&&`, `;`, `&` and
redirections (`>`, `>>`, `<`, `2>&1`, ...) are tokens of their own, not words.

Each word also has an `expanded` form for the grader: what the program would receive, with
what the shell expands written canonically: `$HOME`, `"${HOME}"` and `~` are `${HOME}`,
`$(pwd)`, `` `pwd` `` and `$PWD` are `${PWD}`, other `$(...)` keep their command with its
words rejoined. Single quotes and `\\$` keep a `$` literal, so `'$HOME'` stays `$HOME`.
Lines without any special character take a fast path (one regular expression, at C speed).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_SPECIAL = re.compile(r"['\"\\$`~#|&;<>()]")
_WHITESPACE = re.compile("[ \t\r\n]+")
_PLACEHOLDER = re.compile(r"<[A-Za-z][^<>\s]*>")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPACE = " \t\r\n"
_DOUBLE_ESCAPES = '$`"\\\n'
_PWD = "${PWD}"
HOME = "${HOME}"
CONTROL = frozenset({"|", "||", "&&", ";", "&", "|&"})
"""Operators that end one simple command."""


@dataclass(frozen=True, slots=True)
class Token:
    """A word (`op` False) or an operator (`op` True: `|`, `>`, `2>&1`, ...)."""

    text: str
    """The word with quotes removed, `$` expansions as typed (as `shlex.split` gives it)."""
    expanded: str
    """What the program receives, expansions written canonically (see the module doc)."""
    op: bool = False


def _command_substitution(body: str) -> str:
    words = [t.expanded for t in shell_tokens(body)]
    if words == ["pwd"]:
        return _PWD
    return "$(" + " ".join(words) + ")"


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.tokens: list[Token] = []
        self.literal: list[str] = []
        self.expanded: list[str] = []
        self.started = False

    def word_break(self) -> None:
        if self.started:
            self.tokens.append(Token("".join(self.literal), "".join(self.expanded)))
        self.literal, self.expanded, self.started = [], [], False

    def add(self, literal: str, expanded: str | None = None) -> None:
        self.literal.append(literal)
        self.expanded.append(literal if expanded is None else expanded)
        self.started = True

    def dollar(self) -> None:
        """At a `$`: a parameter or a command substitution, or a literal `$`."""
        text, i = self.text, self.i
        if text.startswith("$(", i):
            end = self._closing(i + 2)
            body = text[i + 2 : end]
            self.add(text[i : end + 1], _command_substitution(body))
            self.i = end + 1
            return
        if text.startswith("${", i):
            end = text.find("}", i + 2)
            if end == -1:
                raise ValueError("No closing quotation")
            name = text[i + 2 : end]
            self.add(text[i : end + 1], _PWD if name == "PWD" else "${" + name + "}")
            self.i = end + 1
            return
        match = _NAME.match(text, i + 1)
        if match:
            name = match.group()
            self.add("$" + name, _PWD if name == "PWD" else "${" + name + "}")
            self.i = match.end()
            return
        self.add("$")
        self.i += 1

    def _closing(self, start: int) -> int:
        depth, j = 1, start
        while j < len(self.text):
            c = self.text[j]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return j
            elif c in "'\"":
                close = self.text.find(c, j + 1)
                if close == -1:
                    raise ValueError("No closing quotation")
                j = close
            j += 1
        raise ValueError("No closing quotation")

    def backtick(self) -> None:
        end = self.text.find("`", self.i + 1)
        if end == -1:
            raise ValueError("No closing quotation")
        body = self.text[self.i + 1 : end]
        self.add(self.text[self.i : end + 1], _command_substitution(body))
        self.i = end + 1

    def double_quoted(self) -> None:
        text = self.text
        self.i += 1
        self.started = True
        while True:
            if self.i >= len(text):
                raise ValueError("No closing quotation")
            c = text[self.i]
            if c == '"':
                self.i += 1
                return
            if c == "\\" and self.i + 1 >= len(text):
                raise ValueError("No escaped character")
            if c == "\\" and self.i + 1 < len(text) and text[self.i + 1] in _DOUBLE_ESCAPES:
                if text[self.i + 1] != "\n":
                    self.add(text[self.i + 1])
                self.i += 2
            elif c == "$":
                self.dollar()
            elif c == "`":
                self.backtick()
            else:
                self.add(c)
                self.i += 1

    def operator(self) -> None:
        text, i = self.text, self.i
        fd = "".join(self.literal) if self.started and "".join(self.literal).isdigit() else ""
        if text[i] in "<>" and fd and "".join(self.expanded) == fd:
            self.literal, self.expanded, self.started = [], [], False
        else:
            self.word_break()
            fd = ""
        for op in ("&&", "||", "|&", ">>", "&>", ">&", "<&", "|", "&", ";", ">", "<"):
            if text.startswith(op, i):
                break
        j = i + len(op)
        if op in (">&", "<&", "&>") or (op in (">", ">>") and text.startswith("&", j)):
            if op in (">", ">>"):
                op += "&"
                j += 1
            target = re.match(r"\d+|-", text[j:])
            if target and op != "&>":
                op += target.group()
                j += target.end()
        self.tokens.append(Token(fd + op, fd + op, op=True))
        self.i = j

    def _tilde_expands(self) -> bool:
        """`~` at the start of a word, or after the `=` of `NAME=` (bash expands both)."""
        after = self.text[self.i + 1 : self.i + 2]
        if after not in ("", "/", ":") and after not in _SPACE:
            return False
        if not self.started:
            return True
        so_far = "".join(self.literal)
        return (
            so_far == "".join(self.expanded) and re.fullmatch(r"[A-Za-z_]\w*=", so_far) is not None
        )

    def run(self) -> tuple[Token, ...]:
        text = self.text
        while self.i < len(text):
            c = text[self.i]
            if c in _SPACE:
                self.word_break()
                self.i += 1
            elif c == "'":
                end = text.find("'", self.i + 1)
                if end == -1:
                    raise ValueError("No closing quotation")
                self.add(text[self.i + 1 : end])
                self.i = end + 1
            elif c == '"':
                self.double_quoted()
            elif c == "\\":
                if self.i + 1 >= len(text):
                    raise ValueError("No escaped character")
                if text[self.i + 1] != "\n":
                    self.add(text[self.i + 1])
                self.i += 2
            elif c == "$":
                self.dollar()
            elif c == "`":
                self.backtick()
            elif c == "#" and not self.started:
                break
            elif c == "~" and self._tilde_expands():
                self.add("~", HOME)
                self.i += 1
            elif c == "<" and (placeholder := _PLACEHOLDER.match(text, self.i)):
                self.add(placeholder.group())  # a deck author's <id>, not a redirection
                self.i = placeholder.end()
            elif c in "|&;<>":
                self.operator()
            else:
                self.add(c)
                self.i += 1
        self.word_break()
        return tuple(self.tokens)


@functools.lru_cache(maxsize=4096)
def shell_tokens(text: str) -> tuple[Token, ...]:
    """The words and operators of `text`; raises ValueError for broken quoting (shlex's
    messages: "No closing quotation", "No escaped character")."""
    if _SPECIAL.search(text) is None:
        return tuple(Token(w, w) for w in _WHITESPACE.split(text) if w)
    return _Lexer(text).run()


@functools.lru_cache(maxsize=1024)
def split_shell(text: str) -> tuple[str, ...]:
    """The words of `text` as the shell splits them (operators are words of their own,
    comments dropped); raises ValueError for broken quoting.

    Cached: the loader checks a command answer and then warns about it, both by its words.
    """
    return tuple(token.text for token in shell_tokens(text))
