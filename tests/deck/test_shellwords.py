"""`split_shell` is the project's one shell splitter: `shlex.split` word for word and error for
error on quoting, and the shell's own reading of operators, comments and expansions."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.deck.shellwords import shell_tokens, split_shell

# Quoting characters, shlex's own whitespace and whitespace it does not split on (operators,
# `#`, `$`, `~` and backslash-newline are the shell's, where shlex differs: tested below).
ALPHABET = " \t\r\x0b\x0c\xa0\u3000'\"\\abc-=()*?{}"


@given(st.text(alphabet=ALPHABET, max_size=16))
@settings(max_examples=3000, deadline=None)
def test_split_shell_is_shlex_split(text: str) -> None:
    try:
        expected: tuple[str, ...] | str = tuple(shlex.split(text))
    except ValueError as error:
        expected = str(error)
    try:
        got: tuple[str, ...] | str = split_shell(text)
    except ValueError as error:
        got = str(error)
    assert got == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("docker ps  -a\t--format\n{{.ID}}", ("docker", "ps", "-a", "--format", "{{.ID}}")),
        ("  ", ()),
        ("docker run -e 'A=b c' x", ("docker", "run", "-e", "A=b c", "x")),
        ("a\xa0b c", ("a\xa0b", "c")),
    ],
)
def test_split_shell_words(text: str, words: tuple[str, ...]) -> None:
    assert split_shell(text) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("docker info | grep -i x", ("docker", "info", "|", "grep", "-i", "x")),
        ("docker save a>f", ("docker", "save", "a", ">", "f")),
        ("docker logs w 2>&1|grep e", ("docker", "logs", "w", "2>&1", "|", "grep", "e")),
        ("docker ps # all of them", ("docker", "ps")),
        ("docker ps '#' a#b", ("docker", "ps", "#", "a#b")),
        ("docker ps && docker images", ("docker", "ps", "&&", "docker", "images")),
        ("docker stop <id>", ("docker", "stop", "<id>")),
        ('echo "$HOME" \\$HOME', ("echo", "$HOME", "$HOME")),
    ],
)
def test_split_shell_reads_shell_syntax(text: str, words: tuple[str, ...]) -> None:
    assert split_shell(text) == words


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("echo $HOME", ("echo", "${HOME}")),
        ('echo "$HOME"', ("echo", "${HOME}")),
        ('echo "${HOME}"', ("echo", "${HOME}")),
        ("echo ~ ~/x", ("echo", "${HOME}", "${HOME}/x")),
        ("echo '$HOME' '~'", ("echo", "$HOME", "~")),
        ('echo "\\$HOME" \\$HOME', ("echo", "$HOME", "$HOME")),
        ("echo $(pwd) `pwd` $PWD", ("echo", "${PWD}", "${PWD}", "${PWD}")),
        ("echo $(docker  ps -q)", ("echo", "$(docker ps -q)")),
        ("run -e HOME=~", ("run", "-e", "HOME=${HOME}")),
        ("echo 'a b'\\ c", ("echo", "a b c")),
    ],
)
def test_shell_tokens_expand_as_the_shell_would(text: str, expanded: tuple[str, ...]) -> None:
    assert tuple(t.expanded for t in shell_tokens(text) if not t.op) == expanded


def test_split_shell_errors_are_shlex_errors() -> None:
    with pytest.raises(ValueError, match=r"^No closing quotation$"):
        split_shell("docker run 'x")
    with pytest.raises(ValueError, match=r"^No escaped character$"):
        split_shell("docker ps \\")
