"""Card hashes are stored: the same card must hash the same across versions of the code.

A change of the digest would make every stored item look edited at the next sync.
"""

from __future__ import annotations

import pytest

from quizapp.deck.model import BasicCard, Card, ChoiceCard, ClozeCard, CommandCard
from quizapp.storage.sync import card_hash


@pytest.mark.parametrize(
    ("card", "digest"),
    [
        (
            BasicCard(id="a", front="Fr ö", back="B", tags=("x", "y"), section="S", line=3),
            "60b27866e61033fb3ba0b1a88c713e641b7bebd8ae20fcee0c768222803ae8ea",
        ),
        (
            CommandCard(
                id="c",
                prompt="p",
                answer="docker ps -a",
                accept=("docker container ls -a",),
                prefix="docker",
                explain="e",
            ),
            "5c97debedc0787a2d72a9c43b8d49c5cf91aa0bbc75d0c2a2ad4c6259e7d9ab8",
        ),
        (
            ClozeCard(id="z", text="a {{c1::b}} {{c2::c}}"),
            "1713b8a0f86cbcfc2f8076b65316b4b1175fe9c3d15aedfeb5415db32f0aa8bc",
        ),
        (
            ChoiceCard(id="q", question="q?", choices=("x", "y"), answer="y"),
            "0e1af03ecb1b54ddf6448a3224f6d31a5632463273a06bf8b7e05cdcbae00fd0",
        ),
    ],
)
def test_card_hash_is_stable(card: Card, digest: str) -> None:
    assert card_hash(card) == digest


def test_cloze_alternatives_count_only_when_a_card_has_them() -> None:
    # A cloze card without alternatives hashes as before the field existed (above); adding
    # alternatives is an edit.
    plain = ClozeCard(id="z", text="a {{c1::b}} {{c2::c}}")
    more = ClozeCard(id="z", text="a {{c1::b}} {{c2::c}}", alternatives=((1, ("bb",)),))
    other = ClozeCard(id="z", text="a {{c1::b}} {{c2::c}}", alternatives=((1, ("bc",)),))
    assert len({card_hash(plain), card_hash(more), card_hash(other)}) == 3


def test_the_line_is_not_hashed() -> None:
    assert card_hash(BasicCard(id="a", front="f", back="b", line=1)) == card_hash(
        BasicCard(id="a", front="f", back="b", line=90)
    )
