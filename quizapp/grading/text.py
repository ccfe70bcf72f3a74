"""Grading typed text (cloze deletions) the way a reader would, and choice answers.

Both sides are compared in the one normalised form of `normal.py`. Right after normalisation
says so ("right: read only = read-only"). Close is a real misspelling (edit distance scaled
to the word's length, never on words of three letters or fewer, never a number, a negation or
another word of the card) or one missing word of several; anything else is wrong.

A cloze deletion may be blanked more than once (`{{c1::a}} ... {{c1::b}}`); the learner
types the answers in order, separated by `,`, `;`, `and` or a space (once when every blank
has the same answer; in any order when the blanks stand in a list of the sentence). A
command blanked in a cloze is also accepted in any form the Docker CLI reads the same
(`docker ps` for `docker container ls`).
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from quizapp.deck.cloze import answer_text, deletions
from quizapp.grading.commandline import grade_command
from quizapp.grading.normal import (
    ARTICLES,
    Around,
    Normaliser,
    Rule,
    base,
    has_joiner,
    is_number,
    negations,
    normalise,
    parts,
)
from quizapp.grading.result import VERDICT_RANK, DiffToken, GradeResult, Verdict, make_result
from quizapp.grading.values import negated_pair

__all__ = ["Blank", "blanks_for", "grade_pick", "grade_text", "normalise", "word_diff"]

_MAX_SPLITS = 400
"""Ways of cutting one typed line into the answers of several blanks tried at most."""
_MAX_LISTED = 4
"""Blanks in a list of the sentence up to this many are tried in every order."""
_MAX_EXTRA_WORDS = 8
"""More typed words than an answer has, beyond those the text around it may repeat: wrong."""
_OCCURRENCE_SEPARATOR = re.compile(r"\s*[,;]\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*&\s*")
_SPACES = re.compile(r"\s+")
_LIST_GAP = re.compile(r"x(?:\s*,)?\s*(?:and|or|&)?\s*x|x\s*,\s*x")
_WORD = re.compile(r"[^\W_]+")
NOWHERE = Around()
"""No text around the blank (an answer given without its card)."""


@dataclass(frozen=True, slots=True)
class Blank:
    """One place a deletion is blanked: the answers accepted there (canonical first)."""

    answers: tuple[str, ...]
    around: Around = NOWHERE
    listed: bool = False
    """The deletion's blanks stand in a list of the sentence (`{{c1::a}} and {{c1::b}}`)."""


def blanks_for(
    text: str, number: int, answers: Sequence[str | Sequence[str]] | None = None
) -> tuple[Blank, ...]:
    """The blanks of deletion `number` of a cloze `text`, each with the words around it.

    `answers[i]` (a string or a tuple, canonical first) replaces the i-th occurrence's
    answers, so accepted alternatives can be given; by default each occurrence's own answer.
    """
    found = [d for d in deletions(text) if d.number == number]
    gaps = [answer_text(text[a.end : b.start]) for a, b in itertools.pairwise(found)]
    listed = bool(gaps) and all(_LIST_GAP.fullmatch(base(f"x{gap}x")) for gap in gaps)
    blanks = []
    for i, deletion in enumerate(found):
        accepted: tuple[str, ...] = (deletion.answer,)
        if answers is not None and i < len(answers):
            accepted = _as_answers(answers[i])
        around = Around.of(answer_text(text[: deletion.start]), answer_text(text[deletion.end :]))
        blanks.append(Blank(accepted, around, listed))
    return tuple(blanks)


def _as_answers(expected: str | Sequence[str]) -> tuple[str, ...]:
    return (expected,) if isinstance(expected, str) else tuple(expected)


def word_diff(typed: str, expected: str) -> tuple[DiffToken, ...]:
    """Word-level diff of two texts, for the study screen to colour."""
    a, b = typed.split(), expected.split()
    tokens: list[DiffToken] = []
    matcher = difflib.SequenceMatcher(
        a=[w.casefold() for w in a], b=[w.casefold() for w in b], autojunk=False
    )
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pairs_same = zip(range(a0, a1), range(b0, b1), strict=True)
            tokens += [DiffToken("same", a[i], b[j]) for i, j in pairs_same]
            continue
        pairs = min(a1 - a0, b1 - b0) if op == "replace" else 0
        tokens += [DiffToken("changed", a[a0 + k], b[b0 + k]) for k in range(pairs)]
        tokens += [DiffToken("missing", None, b[j]) for j in range(b0 + pairs, b1)]
        tokens += [DiffToken("extra", a[i], None) for i in range(a0 + pairs, a1)]
    return tuple(tokens)


def osa_distance(a: str, b: str) -> int:
    """Edits between two words, an adjacent swap counting one (optimal string alignment)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _plural_pair(a: str, b: str) -> bool:
    return a in (b + "s", b + "es") or b in (a + "s", a + "es")


def is_misspelling(typed: str, expected: str, other_words: frozenset[str] = frozenset()) -> bool:
    """Whether `typed` is a slip in writing `expected`, not another word.

    Both have four letters or more and no digit; the first letter is kept (or swapped with
    the second); neither negates the other and `typed` is no other word of the card; a plural
    for a singular (or back); else at most 1 edit up to 8 letters (not a changed letter up to
    5), 2 up to 12, 3 beyond.
    """
    if typed == expected or any(c.isdigit() for c in typed + expected):
        return False
    letters = sum(c.isalpha() for c in expected)
    if letters <= 3 or sum(c.isalpha() for c in typed) <= 3:
        return False
    if negated_pair(typed, expected):
        return False
    if typed in other_words and not _plural_pair(typed, expected):
        return False
    if typed[0] != expected[0] and typed[:2] != expected[1::-1]:
        return False
    if _plural_pair(typed, expected):
        return True
    limit = 1 if letters <= 8 else 2 if letters <= 12 else 3
    distance = osa_distance(typed, expected)
    if distance > limit:
        return False
    changed_letter = (
        distance == 1 and len(typed) == len(expected) and sorted(typed) != sorted(expected)
    )
    return not (letters <= 5 and changed_letter)


@dataclass(frozen=True, slots=True)
class _Outcome:
    verdict: Verdict
    answer: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class _Card:
    """What grading one blank needs to know about the whole card."""

    normaliser: Normaliser
    answers: tuple[str, ...]
    words: frozenset[str]


def _plain(text: str, fold: bool) -> str:
    text = " ".join(text.replace("`", "").split())
    return text.casefold() if fold else text


def _right(typed: str, answer: str, card: _Card) -> _Outcome:
    """Right, noting the normalisation when the text differs beyond case and spaces."""
    fold = card.normaliser.fold
    if _plain(typed, fold) == _plain(answer, fold):
        return _Outcome(Verdict.RIGHT, answer)
    return _Outcome(Verdict.RIGHT, answer, f"right: {' '.join(typed.split())} = {answer}")


def _words(normaliser: Normaliser, text: str, around: Around | None) -> list[str]:
    return [w.strip(",") for w in normaliser.words(text, around) if w.strip(",")]


def _list_outcome(typed: str, answer: str, blank: Blank, card: _Card) -> _Outcome | None:
    """The outcome for a list answer (items in any order); None when `answer` is no list.

    The learner may separate the items by `and`, commas or, when each is one word, spaces.
    """
    items = card.normaliser.items(answer)
    if items is None:
        return None
    typed_items = card.normaliser.items(typed, blank.around, commas=True)
    if typed_items is None:
        words = typed.split()
        if len(words) != len(items[1]):
            return None
        typed_items = card.normaliser.items(", ".join(words), blank.around, commas=True)
        if typed_items is None:
            return None
    if not has_joiner(base(typed, card.normaliser.fold)):  # commas or spaces: the answer's
        typed_items = (items[0], typed_items[1])
    if sorted(typed_items[1]) == sorted(items[1]) and typed_items[0] == items[0]:
        return _right(typed, answer, card)
    missing = Counter(items[1]) - Counter(typed_items[1])
    extra = Counter(typed_items[1]) - Counter(items[1])
    same_joiner = typed_items[0] == items[0]
    if same_joiner and not extra and sum(missing.values()) == 1 and len(items[1]) > 2:
        item = next(iter(missing))
        return _Outcome(Verdict.CLOSE, answer, f"almost: {answer} (one item missing: {item})")
    if same_joiner and sum(missing.values()) == 1 and sum(extra.values()) == 1:
        wrote, meant = next(iter(extra)), next(iter(missing))
        if is_misspelling(wrote, meant, card.words):
            return _Outcome(
                Verdict.CLOSE, answer, f"almost: {answer} ({wrote} is a misspelling of {meant})"
            )
    return _Outcome(Verdict.WRONG, answer, f"the answer is {answer}")


def _close_or_wrong(typed: str, answer: str, blank: Blank, card: _Card) -> _Outcome:
    """Close when the only difference is a real misspelling or one missing word of several."""
    normaliser = card.normaliser
    typed_words = _words(normaliser, typed, blank.around)
    words = _words(normaliser, answer, None)
    wrong = _Outcome(Verdict.WRONG, answer, f"the answer is {answer}")
    if len(typed_words) > len(words) + _MAX_EXTRA_WORDS:
        return wrong
    if negations(typed_words) != negations(words):
        change = "adds a" if negations(typed_words) > negations(words) else "drops its"
        return _Outcome(Verdict.WRONG, answer, f"the answer is {answer} (yours {change} negation)")
    listed = _list_outcome(typed, answer, blank, card)
    if listed is not None:
        return listed
    typed_parts = [p for w in typed_words for p in parts(w)]
    owner = [i for i, w in enumerate(words) for _ in parts(w)]
    answer_parts = [p for w in words for p in parts(w)]
    joined = Rule.JOIN in normaliser.rules
    matcher = difflib.SequenceMatcher(a=typed_parts, b=answer_parts, autojunk=False)
    misspelt: list[tuple[str, str]] = []
    missing: list[int] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        wrote, meant = typed_parts[a0:a1], answer_parts[b0:b1]
        if op == "equal" or (joined and "".join(wrote) == "".join(meant) and wrote):
            continue
        if op == "delete":
            return wrong
        if op == "insert":
            missing += range(b0, b1)
            continue
        if len(wrote) == len(meant):
            pairs = list(zip(wrote, meant, strict=True))
        elif joined and max(len(wrote), len(meant)) <= 2:
            pairs = [("".join(wrote), "".join(meant))]
        else:
            return wrong
        for w, m in pairs:
            if w == m:
                continue
            if is_number(w) and is_number(m):
                return _Outcome(Verdict.WRONG, answer, f"the answer is {answer} ({w} is not {m})")
            if not is_misspelling(w, m, card.words):
                return wrong
            misspelt.append((w, m))
    if missing and misspelt:
        return wrong
    if missing:
        if len(missing) > 1:
            return wrong
        index = missing[0]
        word = answer_parts[index]
        whole = len(parts(words[owner[index]])) == 1
        if not whole or len(words) < 3 or is_number(word) or word in ARTICLES:
            return wrong
        return _Outcome(Verdict.CLOSE, answer, f"almost: {answer} (one word missing: {word})")
    if not misspelt:
        return _right(typed, answer, card)
    if len(misspelt) > max(1, len(words) // 3):
        return wrong
    slips = ", ".join(f"{w} is a misspelling of {m}" for w, m in misspelt)
    if len(answer_parts) == 1:
        slips = "a misspelling"
    return _Outcome(Verdict.CLOSE, answer, f"almost: {answer} ({slips})")


def _grade_blank(typed: str, blank: Blank, card: _Card) -> _Outcome:
    """Typed text against the accepted answers of one blank: the best outcome."""
    normaliser = card.normaliser
    typed_keys = {normaliser.key(typed, blank.around), normaliser.key(typed)}
    typed_key = normaliser.key(typed, blank.around)
    negated = negations(normaliser.words(typed))
    for answer in blank.answers:
        same_negation = negated == negations(normaliser.words(answer))
        if normaliser.key(answer) in typed_keys and same_negation:  # `not able` is no `notable`
            return _right(typed, answer, card)
    canonical = blank.answers[0]
    if canonical.lstrip().startswith("docker"):
        as_command = _as_command(typed, blank.answers)
        if as_command is not None:
            return as_command
    for other in card.answers:
        if other not in blank.answers and typed_key == normaliser.key(other):
            return _Outcome(
                Verdict.WRONG, canonical, f"the answer is {canonical} ({other} fills another blank)"
            )
    outcomes = [_close_or_wrong(typed, answer, blank, card) for answer in blank.answers]
    return min(outcomes, key=lambda o: VERDICT_RANK[o.verdict])


def _as_command(typed: str, answers: tuple[str, ...]) -> _Outcome | None:
    """A blanked docker command is right in any spelling the CLI reads the same."""
    result = grade_command(typed, answers)
    if result.verdict is Verdict.RIGHT:
        return _Outcome(Verdict.RIGHT, result.closest)
    return None


def _cuts(typed: str, count: int) -> Iterator[list[str]]:
    """Ways to cut the typed line into `count` answers: at `,`/`;`/`and`, else between words.

    Each answer is a slice of the typed text itself, so an answer with commas keeps them.
    """
    text = typed.strip()
    for separator in (_OCCURRENCE_SEPARATOR, _SPACES):
        marks = [(m.start(), m.end()) for m in separator.finditer(text) if m.end() > m.start()]
        if len(marks) < count - 1:
            continue
        for chosen in itertools.islice(itertools.combinations(marks, count - 1), _MAX_SPLITS):
            starts = [0, *(end for _, end in chosen)]
            ends = [*(start for start, _ in chosen), len(text)]
            parts = [text[a:b] for a, b in zip(starts, ends, strict=True)]
            if all(p.strip() for p in parts):
                yield parts


def _grade_blanks(typed: str, blanks: Sequence[Blank], card: _Card) -> _Outcome:
    """Several blanks of one deletion: their answers in order (once, when all are the same).

    Blanks that stand in a list of the sentence take their answers in any order.
    """
    closest = ", ".join(b.answers[0] for b in blanks)
    in_order = "in any order" if all(b.listed for b in blanks) else "in this order"
    keys = {card.normaliser.key(b.answers[0]) for b in blanks}
    if len(keys) == 1:
        once = _grade_blank(typed, blanks[0], card)
        if once.verdict is Verdict.RIGHT:
            return _right(typed, closest, card)
        if once.verdict is Verdict.CLOSE and "," not in typed:
            return _Outcome(Verdict.CLOSE, closest, once.note)
    best: tuple[int, int, list[_Outcome], tuple[int, ...]] | None = None
    most = sum(max(len(a.split()) for a in b.answers) + _MAX_EXTRA_WORDS for b in blanks)
    if len(typed.split()) > most:
        return _Outcome(Verdict.WRONG, closest, f"the answers are {closest}, {in_order}")
    graded: dict[tuple[str, int], _Outcome] = {}

    def grade(piece: str, index: int) -> _Outcome:
        if (piece, index) not in graded:
            graded[piece, index] = _grade_blank(piece, blanks[index], card)
        return graded[piece, index]

    orders = [tuple(range(len(blanks)))]
    if in_order == "in any order" and len(blanks) <= _MAX_LISTED:
        orders = list(itertools.permutations(range(len(blanks))))
    for pieces, order in itertools.product(_cuts(typed, len(blanks)), orders):
        outcomes = [grade(p, i) for p, i in zip(pieces, order, strict=True)]
        wrong = sum(o.verdict is Verdict.WRONG for o in outcomes)
        close = sum(o.verdict is Verdict.CLOSE for o in outcomes)
        if best is None or (wrong, close) < best[:2]:
            best = (wrong, close, outcomes, order)
        if not wrong and not close:
            break
    if best is not None and best[0] == 0:
        outcomes, order = best[2], best[3]
        in_place = sorted(zip(order, outcomes, strict=True), key=lambda pair: pair[0])
        answer = ", ".join(o.answer for _, o in in_place)
        if best[1] == 0:
            notes = [o.note.removeprefix("right: ") for o in outcomes if o.note]
            if order != tuple(sorted(order)):
                notes = [f"{' '.join(typed.split())} = {answer}"]
            return _Outcome(Verdict.RIGHT, answer, f"right: {'; '.join(notes)}" if notes else "")
        if best[1] == 1:
            return _Outcome(Verdict.CLOSE, answer, next(o.note for o in outcomes if o.note))
    return _Outcome(Verdict.WRONG, closest, f"the answers are {closest}, {in_order}")


@functools.lru_cache(maxsize=1024)
def _normaliser(accepted: tuple[str, ...], fold: bool) -> Normaliser:
    """A card's normaliser, chosen once (the same cards are graded again and again)."""
    return Normaliser.for_answers(accepted, fold)


def _card_words(answers: Sequence[str], context: str) -> frozenset[str]:
    return frozenset(_WORD.findall(base(" ".join((*answers, context)))))


def grade_text(
    typed: str,
    blanks: Sequence[Blank],
    exact_case: bool = False,
    card_answers: Sequence[str] = (),
    context: str = "",
) -> GradeResult:
    """Grade the text typed for one deletion (`blanks`: each place it is blanked, in order).

    `card_answers`: every accepted answer of the card (other deletions too), so that no rule
    makes two of them the same; `context`: the card's text, whose words are no misspellings.
    """
    if not blanks or not all(b.answers for b in blanks):
        raise ValueError("a cloze deletion needs at least one answer")
    closest = ", ".join(b.answers[0] for b in blanks)
    if not typed.strip():
        return make_result(Verdict.EMPTY, closest, ("nothing was typed",))
    accepted = tuple(dict.fromkeys([*(a for b in blanks for a in b.answers), *card_answers]))
    words = _card_words(accepted, context)

    def grade(fold: bool) -> _Outcome:
        card = _Card(_normaliser(accepted, fold), accepted, words)
        if len(blanks) == 1:
            return _grade_blank(typed, blanks[0], card)
        return _grade_blanks(typed, blanks, card)

    outcome = grade(not exact_case)
    diff = word_diff(" ".join(typed.split()), outcome.answer)
    if exact_case and outcome.verdict is not Verdict.RIGHT:
        folded = grade(True)
        if folded.verdict is Verdict.RIGHT:
            note = f"mind the capitals: {folded.answer}"
            return make_result(Verdict.CLOSE, folded.answer, (note,), diff)
    notes = (outcome.note,) if outcome.note else ()
    return make_result(outcome.verdict, outcome.answer, notes, diff)


def grade_pick(picked: str, answer: str) -> GradeResult:
    """A choice is right when it is the answer itself."""
    if not picked.strip():
        return make_result(Verdict.EMPTY, answer, ("nothing was picked",))
    if picked == answer:
        return make_result(Verdict.RIGHT, answer, (), (DiffToken("same", picked, answer),))
    return make_result(
        Verdict.WRONG, answer, (f"the answer is {answer}",), (DiffToken("changed", picked, answer),)
    )
