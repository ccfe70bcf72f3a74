"""cloze_problems: every malformed or missing deletion, at its offset in the text."""

from __future__ import annotations

import pytest

from quizapp.deck.cloze import cloze_problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{c1::a}}", []),
        ("{{c1::a::hint}} and {{c2::b}} and {{c1::c}}", []),
        ("Go templates outside: --format '{{.Name}}' then {{c1::x}}", []),
        ("", [(0, "cloze text has no deletion: write {{c1::answer}}")]),
        ("no cloze", [(0, "cloze text has no deletion: write {{c1::answer}}")]),
        ("a {{c1:x}}", [(2, "malformed cloze: write {{c1::answer}}")]),
        ("a {{c1::}}", [(2, "cloze c1 has an empty answer")]),
        ("a {{c1::  ::hint}}", [(2, "cloze c1 has an empty answer")]),
        ("a {{c0::x}}", [(2, "cloze numbers start at c1, not c0")]),
        ("a {{c1::x", [(2, "cloze c1 is not closed with }}")]),
        ("{{c1::x}} {{c2::y", [(10, "cloze c2 is not closed with }}")]),
        ("{{c1::a {{c2::b}}", [(0, "cloze c1 is not closed with }} before the next {{")]),
        (
            "{{c1::docker inspect -f '{{.Name}}'}}",
            [(0, "cloze c1 is not closed with }} before the next {{")],
        ),
        (
            "{{c1::}} {{c2::x",
            [(0, "cloze c1 has an empty answer"), (9, "cloze c2 is not closed with }}")],
        ),
    ],
)
def test_cloze_problems(text: str, expected: list[tuple[int, str]]) -> None:
    assert cloze_problems(text) == expected
