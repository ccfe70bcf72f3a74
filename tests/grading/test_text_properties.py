"""Properties of the typed-text normalisation and grader, on generated text (hypothesis).

- normalising is idempotent: a normalised text normalises to itself, for any card;
- it never makes two accepted answers of one card equal when they differ in a word;
- every accepted answer is right against itself, in any case and spacing;
- a different number, or a `not` added, is never right.
"""

from __future__ import annotations

import re
import time
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.grading import Verdict, grade_cloze
from quizapp.grading.normal import Around, Normaliser, normalise

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words that trip the rules: articles, number words, negations, list joiners, compounds,
# typographic marks, and ordinary words, in any case.
PIECES = [
    "the", "a", "an", "The", "A", "two", "2", "twenty", "20", "one", "1", "not", "no",
    "and", "or", "&", ",", ".", "read", "only", "read-only", "readonly", "read only",
    "any", "one", "anyone", "host", "hosts", "layer", "seconds", "“x”", "—", "…", "-o",
    "--detach-keys", "(N-1)/2", "Ca", "ß", "ﬁle", "file", "  ", "'", '"', "`", ";", "!",
]  # fmt: skip
PHRASE = st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map(" ".join)
TEXT = st.one_of(PHRASE, st.text(max_size=30))
AROUND = st.builds(
    Around,
    st.lists(st.sampled_from(PIECES[:20]), max_size=3).map(tuple),
    st.lists(st.sampled_from(["seconds", "host", "file", "the"]), max_size=3).map(tuple),
)


def words(text: str) -> list[str]:
    """The words of a text (letters and digits), as the property compares them."""
    plain = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return sorted(re.findall(r"[^\W_]+", plain.replace("`", "")))


@FAST
@given(text=TEXT)
def test_normalising_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@FAST
@given(text=TEXT, answers=st.lists(TEXT, max_size=5), around=st.none() | AROUND)
def test_a_cards_normalisation_is_idempotent(
    text: str, answers: list[str], around: Around | None
) -> None:
    normaliser = Normaliser.for_answers(answers)
    once = normaliser.key(text, around)
    assert normaliser.key(once, around) == once
    assert normaliser.key(once) == normaliser.key(normaliser.key(once))


@FAST
@given(answers=st.lists(TEXT, min_size=2, max_size=6))
def test_no_two_accepted_answers_that_differ_in_a_word_become_equal(answers: list[str]) -> None:
    normaliser = Normaliser.for_answers(answers)
    for a in answers:
        for b in answers:
            if words(a) != words(b):
                assert normaliser.key(a) != normaliser.key(b), (a, b)


@FAST
@given(answer=PHRASE.filter(lambda t: re.search(r"[^\W_]", t) is not None))
def test_an_accepted_answer_is_right_against_itself(answer: str) -> None:
    for typed in (answer, answer.upper(), f"  {answer}  ", answer.replace(" ", "  ")):
        assert grade_cloze(typed, [answer]).verdict is Verdict.RIGHT, typed


@FAST
@given(
    noun=st.sampled_from(["layer", "port", "replicas", "managers", "stage"]),
    expected=st.integers(0, 99),
    typed=st.integers(0, 99),
    spell=st.booleans(),
)
def test_a_different_number_is_never_right(
    noun: str, expected: int, typed: int, spell: bool
) -> None:
    if expected == typed:
        return
    names = ["zero one two three four five six seven eight nine ten".split()]
    written = names[0][typed] if spell and typed <= 10 else str(typed)
    text = f"Use {{{{c1::{noun} {expected}}}}} here."
    result = grade_cloze(f"{noun} {written}", [f"{noun} {expected}"], text=text, number=1)
    assert result.verdict is Verdict.WRONG


@FAST
@given(answer=st.sampled_from(["read-only", "by default", "encrypted", "stateless", "the host"]))
def test_adding_not_is_wrong(answer: str) -> None:
    assert grade_cloze(f"not {answer}", [answer]).verdict is Verdict.WRONG
    assert grade_cloze(answer, [f"not {answer}"]).verdict is Verdict.WRONG


def _long_input_for_several_blanks() -> None:
    words = ["docker", "run", "-p", "80:80", "-it", "alpine", "sh", "--name", "x", "foo"]
    typed = " ".join(words[i % len(words)] * (1 + i % 3) for i in range(3000))
    for expected in (["a b c", "d e f"], ["a, b", "c", "d"], [typed[:300], typed[300:600]]):
        assert grade_cloze(typed, expected).verdict is Verdict.WRONG
    commas = ", ".join(["namespaces"] * 40)
    assert grade_cloze(commas, ["namespaces", "cgroups", "seccomp"]).verdict is Verdict.WRONG


def test_long_input_for_several_blanks_is_wrong() -> None:
    _long_input_for_several_blanks()


@pytest.mark.timing
def test_long_input_for_several_blanks_does_not_take_long() -> None:
    start = time.perf_counter()
    _long_input_for_several_blanks()
    assert time.perf_counter() - start < 2.0


def test_not_able_is_not_notable() -> None:
    assert grade_cloze("not able", ["notable"]).verdict is Verdict.WRONG
    assert grade_cloze("cannot", ["can not"]).verdict is Verdict.RIGHT


@FAST
@given(
    before=TEXT,
    answers=st.lists(PHRASE, min_size=1, max_size=3),
    gap=st.sampled_from([" and ", ", ", " then ", " or "]),
    after=TEXT,
    typed=TEXT,
)
def test_no_card_text_crashes_the_grader(
    before: str, answers: list[str], gap: str, after: str, typed: str
) -> None:
    clean = [a.replace("{", "").replace("}", "").replace(":", "").strip() or "x" for a in answers]
    text = before.replace("{", "") + gap.join(f"{{{{c1::{a}}}}}" for a in clean)
    text += after.replace("{", "")
    result = grade_cloze(typed, clean, text=text, number=1)
    assert result.verdict in Verdict
    assert grade_cloze(", ".join(clean), clean, text=text, number=1).verdict is Verdict.RIGHT
