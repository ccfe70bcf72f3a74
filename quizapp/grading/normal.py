"""One normalisation of typed text, so that an answer a reader would call right is graded right.

Every typed answer made of words rather than a command (cloze deletions) is compared in this
form, on both sides: the learner's text and each accepted answer. docs/grading.md lists the
rules for learners; in short:

Always
  Unicode NFKC and case folding; typographic quotes, dashes and ellipses to plain ones; code
  backticks and quotes around the whole answer dropped; runs of white space one space;
  trailing sentence punctuation dropped; a hyphen between the letters of a compound is a space
  (`read-only` = `read only`; a leading `-` of a flag is kept).

Per card, each only when it makes no two accepted answers of the card the same
  lists (items joined by `,`, `and`, `&`; or by `or`) in any order; number words up to twenty
  are digits (`two` = `2`); leading articles (`the`, `a`, `an`) dropped; the parts of a
  compound written together (`readonly` = `read-only`).

The learner's side only, from the text around the blank
  a leading article the text already has right before the blank (`on the [the host]`); a
  trailing unit the text names right after the blank (`[10 seconds] seconds`).

A card's rules are chosen once (`Normaliser.for_answers`) and `key` gives the form compared.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

ARTICLES = frozenset({"the", "a", "an"})
NUMBER_WORDS: dict[str, str] = {
    word: str(n)
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
NEGATIONS = frozenset({"not", "no", "never", "cannot", "none", "nor", "neither", "without"})
_PLAIN = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "…": "...",
        "`": None,  # code marks: `docker ps` is docker ps
    }
)
_COMMA = re.compile(r"\s*,\s*")
_TRAILING = re.compile(r"[\s.!?;:,]+$")
_WRAPPING_QUOTES = re.compile(r"""^(["'])(.+)\1$""")
_COMPOUND_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*&\s*")
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")


class Rule(Enum):
    """The per-card rules, in the order they are tried."""

    LIST = "list items in any order"
    NUMBERS = "number words are digits"
    ARTICLES = "leading articles dropped"
    JOIN = "compound parts written together"


ALL_RULES = frozenset(Rule)


@dataclass(frozen=True, slots=True)
class Around:
    """The words of the card's text right before and right after a blank (normalised)."""

    before: str = ""
    after: str = ""

    @classmethod
    def of(cls, before: str, after: str) -> Around:
        """From the text before and after the blank (other deletions already filled in)."""
        words_before = _WORD.findall(base(before))
        words_after = _WORD.findall(base(after))
        return cls(words_before[-1] if words_before else "", words_after[0] if words_after else "")


@functools.lru_cache(maxsize=8192)
def base(text: str, fold: bool = True) -> str:
    """The rules applied always: Unicode, case, plain punctuation, spaces, trailing stops."""
    text = unicodedata.normalize("NFKC", text)
    if fold:
        text = unicodedata.normalize("NFKC", text.casefold())
    text = _COMMA.sub(", ", " ".join(text.translate(_PLAIN).split()))
    while True:
        stripped = _TRAILING.sub("", text)
        quoted = _WRAPPING_QUOTES.match(stripped)
        if quoted:
            stripped = quoted.group(2).strip()
        if not stripped or stripped == text:
            return text
        text = stripped


def parts(token: str) -> list[str]:
    """A compound's parts (`read-only` -> read, only); a flag (`--detach-keys`) is one part."""
    if token.startswith("-"):
        return [token]
    return _COMPOUND_HYPHEN.split(token)


def is_number(word: str) -> bool:
    return word.isdigit() or word in NUMBER_WORDS


def negations(words: Iterable[str]) -> int:
    """How many words of `words` negate (`not`, `no`, `never`, `isn't`...)."""
    return sum(1 for w in words if w.strip(",") in NEGATIONS or w.strip(",").endswith("n't"))


def split_list(text: str) -> tuple[str, list[str]] | None:
    """`a, b and c` -> ("and", [a, b, c]); `a or b` -> ("or", [a, b]); None if not a list."""
    items = _LIST_SEPARATOR.split(text)
    if len(items) < 2 or not all(items):
        return None
    joiner = "or" if re.search(r"(?:^|[\s,])or\s", text) else "and"
    return joiner, items


@dataclass(frozen=True, slots=True)
class Normaliser:
    """The normalisation of one card: which per-card rules it uses, and whether it folds case."""

    rules: frozenset[Rule] = ALL_RULES
    fold: bool = True

    @classmethod
    def for_answers(cls, answers: Sequence[str], fold: bool = True) -> Normaliser:
        """The rules that keep every two different accepted answers of a card different."""
        rules: set[Rule] = set()
        for rule in Rule:
            before = cls(frozenset(rules), fold)
            after = cls(frozenset(rules | {rule}), fold)
            kept = {before.key(a): after.key(a) for a in answers}
            if len(set(kept.values())) == len(kept):
                rules.add(rule)
        return cls(frozenset(rules), fold)

    def words(self, text: str, around: Around | None = None) -> list[str]:
        """The text's words after every rule but lists and joining (for showing differences)."""
        return self._tokens(base(text, self.fold), around)

    def items(self, text: str, around: Around | None = None) -> tuple[str, list[str]] | None:
        """A list answer's joiner and its items' keys (None when the text is no list)."""
        if Rule.LIST not in self.rules:
            return None
        found = split_list(base(text, self.fold))
        if found is None:
            return None
        joiner, items = found
        keys = [self._item_key(item, around if i == 0 else None) for i, item in enumerate(items)]
        return joiner, keys

    def key(self, text: str, around: Around | None = None) -> str:
        """The form answers are compared in; `around` (the learner's side only) adds its rules."""
        for _ in range(8):
            keyed = self._key_once(text, around)
            if keyed == text:
                break
            text = keyed
        return text

    def _key_once(self, text: str, around: Around | None) -> str:
        listed = self.items(text, around)
        if listed is not None:
            joiner, keys = listed
            return f" {joiner} ".join(sorted(keys))
        return self._item_key(base(text, self.fold), around)

    def _item_key(self, text: str, around: Around | None) -> str:
        words = [p for token in self._tokens(text, around) for p in parts(token)]
        return ("" if Rule.JOIN in self.rules else " ").join(words)

    def _tokens(self, text: str, around: Around | None) -> list[str]:
        tokens = [t.strip("\"'") or t for t in text.split()]
        if Rule.NUMBERS in self.rules:
            tokens = ["-".join(NUMBER_WORDS.get(p, p) for p in parts(t)) for t in tokens]
        supplied = around is not None and around.before in ARTICLES
        if Rule.ARTICLES in self.rules or supplied:
            while len(tokens) > 1 and tokens[0] in ARTICLES:
                tokens = tokens[1:]
        if around is not None and around.after:
            while len(tokens) > 1 and tokens[-1] == around.after and is_number(tokens[-2]):
                tokens = tokens[:-1]
        return tokens


def normalise(text: str, answers: Sequence[str] = (), around: Around | None = None) -> str:
    """`text` in the form it is compared in, for a card whose accepted answers are `answers`."""
    return Normaliser.for_answers(answers).key(text, around)
