"""Counted nouns in messages ("1 card", "3 cards"): one rule for every command's summary."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and `noun`, the noun in the plural unless number is 1 (`plural` when the
    plural is not noun + "s")."""
    return f"{number} {noun if number == 1 else (plural or noun + 's')}"
