"""One normalisation of typed text, so that an answer a reader would call right is graded right.

Every typed answer made of words rather than a command (cloze deletions, typed-answer cards)
is compared in this form, on both sides: the learner's text and each accepted answer.
docs/grading.md lists the rules for learners; in short:

Always
  Unicode NFKC and case folding; typographic quotes, dashes and ellipses to plain ones; code
  backticks and quotes around the whole answer dropped; runs of white space one space;
  trailing sentence punctuation dropped; a hyphen between the parts of a compound is a space
  (`read-only` = `read only`, `layer-2` = `layer 2`; not between two numbers, not in a flag
  such as `--detach-keys`).

Per card, each only when it makes no two accepted answers of the card the same
  lists (items joined by `,`, `and`, `&`; or by `or`) in any order; number words up to twenty
  are digits (`two` = `2`); leading articles (`the`, `a`, `an`) dropped; spaces between
  words may be left out, as when a compound's parts are written together (`readonly` =
  `read-only`).

The learner's side only, from the text around the blank
  a leading article when the text has one right before the blank (`on the [the host]`); words
  the text already says right before or after the blank (`[10 seconds] seconds`, `Docker
  [Docker Compose]`), never the whole answer.

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
NEGATIONS = frozenset({"not", "no", "never", "cannot", "without"})
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
_COMPOUND_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W_])|(?<=[^\W_])-(?=[^\W\d_])")
_LETTER_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_PLAIN_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)+")
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*&\s*")
_JOINER = re.compile(r"\s(?:and|or|&)\s|&")
_AROUND_WORDS = 3
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

    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()

    @classmethod
    def of(cls, before: str, after: str) -> Around:
        """From the text before and after the blank (other deletions already filled in)."""
        words_before = _WORD.findall(base(before))[-_AROUND_WORDS:]
        words_after = _WORD.findall(base(after))[:_AROUND_WORDS]
        return cls(tuple(words_before), tuple(words_after))

    def first(self) -> Around:
        """What the first item of a list has around it (the text before)."""
        return Around(self.before, ())

    def last(self) -> Around:
        """What the last item of a list has around it (the text after)."""
        return Around((), self.after)


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
    if _PLAIN_COMPOUND.fullmatch(token):
        return _COMPOUND_HYPHEN.split(token)
    return _LETTER_HYPHEN.split(token)


def is_number(word: str) -> bool:
    return word.isdigit() or word in NUMBER_WORDS


def negations(words: Iterable[str]) -> int:
    """How many words of `words` negate (`not`, `no`, `never`, `isn't`...)."""
    return sum(1 for w in words if w.strip(",") in NEGATIONS or w.strip(",").endswith("n't"))


def has_joiner(text: str) -> bool:
    """Whether `and`, `or` or `&` joins words of `text` (normalised): it reads as a list."""
    return _JOINER.search(text) is not None


def split_list(text: str, commas: bool = False) -> tuple[str, list[str]] | None:
    """`a, b and c` -> ("and", [a, b, c]); `a or b` -> ("or", [a, b]); None if not a list.

    A list has `and`, `or` or `&` between items; with `commas`, commas alone make one too.
    """
    if not commas and not has_joiner(text):
        return None
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

    def items(
        self, text: str, around: Around | None = None, commas: bool = False
    ) -> tuple[str, list[str]] | None:
        """A list answer's joiner and its items' keys (None when the text is no list)."""
        if Rule.LIST not in self.rules:
            return None
        found = split_list(base(text, self.fold), commas)
        if found is None:
            return None
        joiner, items = found
        arounds: list[Around | None] = [None] * len(items)
        if around is not None:
            arounds[0], arounds[-1] = around.first(), around.last()
        return joiner, [self._item_key(i, a) for i, a in zip(items, arounds, strict=True)]

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
        supplied = around is not None and around.before[-1:] in (("the",), ("a",), ("an",))
        if Rule.ARTICLES in self.rules or supplied:
            while len(tokens) > 1 and tokens[0] in ARTICLES:
                tokens = tokens[1:]
        if around is not None:
            tokens = _unsaid(tokens, around)
        return tokens


def _unsaid(tokens: list[str], around: Around) -> list[str]:
    """The typed words without those the text already says right before or after the blank.

    `port [port 8080]`, `[10 seconds] seconds`, `Docker [Docker Compose]`: the repeated words
    are dropped (never all of the answer).
    """
    for n in range(min(len(around.before), len(tokens) - 1), 0, -1):
        if tuple(tokens[:n]) == around.before[-n:]:
            tokens = tokens[n:]
            break
    for n in range(min(len(around.after), len(tokens) - 1), 0, -1):
        if tuple(tokens[-n:]) == around.after[:n]:
            tokens = tokens[:-n]
            break
    return tokens


def normalise(text: str, answers: Sequence[str] = (), around: Around | None = None) -> str:
    """`text` in the form it is compared in, for a card whose accepted answers are `answers`."""
    return Normaliser.for_answers(answers).key(text, around)
