"""Fitting FSRS's parameters to a learner's own history, with fsrs-rs (no PyTorch).

py-fsrs's optimizer needs PyTorch (hundreds of MB); fsrs-rs-python is the Rust optimizer
Anki itself uses, as a 0.6 MB wheel. Pure: histories in, parameters and figures out.

A history is one item's study answers, oldest first, as `(grade, study day)`. As Anki does,
every answer after the first becomes a training example: the answers before it are the input,
its own outcome (Again or not) the label. Days between answers are whole study days (0 for
an answer the same day, FSRS's short-term reviews).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from quizapp.scheduling.fsrs import check_parameters, default_parameters, rating_value

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

MIN_EXAMPLES = 100
"""Fewer training examples (answers on a later day than an item's first) than this: the fit
would follow noise, so the defaults are kept."""

History = Sequence[tuple[int, date]]


@dataclass(frozen=True, slots=True)
class Fit:
    """What `fit` found: parameters, and how well default and fitted ones predict the history."""

    parameters: tuple[float, ...]
    examples: int
    default_log_loss: float
    default_rmse: float
    fitted_log_loss: float
    fitted_rmse: float


class NotEnoughHistory(ValueError):
    """Too few reviews to fit parameters; the message says how many there are and are needed."""


def fsrs_items(histories: Iterable[History]) -> list[FSRSItem]:
    """Training examples for fsrs-rs: for each history, one item per answer on a later day
    than the answer before it (fsrs-rs predicts only such long-term reviews)."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    items = []
    for history in histories:
        reviews = []
        previous: date | None = None
        for grade, day in history:
            delta = 0 if previous is None else (day - previous).days
            reviews.append(FSRSReview(rating_value(grade), delta))
            previous = day
            if len(reviews) > 1 and delta > 0:  # same-day answers are input, never labels
                items.append(FSRSItem(list(reviews)))
    return items


def evaluate(parameters: Sequence[float], items: Sequence[FSRSItem]) -> tuple[float, float]:
    """(log loss, RMSE over bins) of `parameters` predicting `items`' outcomes."""
    from fsrs_rs_python import FSRS

    result = FSRS(list(check_parameters(parameters))).evaluate(list(items))
    return float(result.log_loss), float(result.rmse_bins)


def fit_items(items: Sequence[FSRSItem]) -> tuple[float, ...]:
    """Parameters fitted to `items`; NotEnoughHistory if there are fewer than MIN_EXAMPLES."""
    from fsrs_rs_python import FSRS

    if len(items) < MIN_EXAMPLES:
        raise NotEnoughHistory(
            f"{len(items)} review(s) to learn from; at least {MIN_EXAMPLES} are needed "
            "(answers on a later day than a card's first)"
        )
    return check_parameters(FSRS(list(default_parameters())).compute_parameters(list(items)))


def fit(histories: Iterable[History]) -> Fit:
    """Fit parameters to the histories and measure default and fitted ones on them."""
    items = fsrs_items(histories)
    parameters = fit_items(items)
    default_loss, default_rmse = evaluate(default_parameters(), items)
    fitted_loss, fitted_rmse = evaluate(parameters, items)
    return Fit(parameters, len(items), default_loss, default_rmse, fitted_loss, fitted_rmse)
