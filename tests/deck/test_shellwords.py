"""`split_shell` must be `shlex.split`, word for word and error for error."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.deck.shellwords import split_shell

# Shell-significant characters, shlex's own whitespace and whitespace it does not split on.
ALPHABET = " \t\r\n\x0b\x0c\xa0\u3000'\"\\abc-=$#;|&()<>*?~`{}"


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


def test_split_shell_errors_are_shlex_errors() -> None:
    with pytest.raises(ValueError, match=r"^No closing quotation$"):
        split_shell("docker run 'x")
    with pytest.raises(ValueError, match=r"^No escaped character$"):
        split_shell("docker ps \\")
