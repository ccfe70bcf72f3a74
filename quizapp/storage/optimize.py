"""`quizapp optimize [DECK]`: fit FSRS's parameters to the learner's own review log.

The fit is fsrs-rs's (`scheduling.fsrs_fit`); this module reads the log, prints how well the
default and the fitted parameters predict it (log loss, RMSE), and keeps the fitted ones in
the store for the deck (or for every deck) when they predict better. The clock is read once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TextIO

from quizapp.context import AppContext
from quizapp.errors import QuizappError
from quizapp.scheduling.fsrs_fit import Fit, NotEnoughHistory, fit
from quizapp.storage.appdata import load_app_data
from quizapp.storage.engine import Store
from quizapp.storage.fsrs_store import ALL_DECKS, reconcile, store_parameters
from quizapp.storage.repository import utc_now

_HISTORY_SQL = (
    "SELECT review_log.deck_id, review_log.item_id, review_log.grade, review_log.day"
    " FROM review_log WHERE review_log.session_kind = 'study'{where}"
    " ORDER BY review_log.deck_id, review_log.item_id, review_log.id"
)


def histories(store: Store, deck_id: str | None) -> list[list[tuple[int, date]]]:
    """Each item's study answers as (grade, study day), oldest first."""
    where, params = ("", ()) if deck_id is None else (" AND review_log.deck_id = ?", (deck_id,))
    rows = store.read_dbapi(
        lambda conn: conn.execute(_HISTORY_SQL.format(where=where), params).fetchall()
    )
    found: dict[tuple[str, str], list[tuple[int, date]]] = {}
    for deck, item, grade, day in rows:
        found.setdefault((deck, item), []).append((grade, date.fromisoformat(day)))
    return list(found.values())


def _table(result: Fit) -> Sequence[str]:
    return (
        f"  {'':<10}{'log loss':>10}{'RMSE':>10}",
        f"  {'default':<10}{result.default_log_loss:>10.4f}{result.default_rmse:>10.4f}",
        f"  {'fitted':<10}{result.fitted_log_loss:>10.4f}{result.fitted_rmse:>10.4f}",
    )


def run_optimize(ctx: AppContext, deck: str | None, out: TextIO) -> int:
    """Fit, print the comparison, store the fitted parameters if they predict better."""
    app = load_app_data(ctx)
    with app.store:
        known = [d.id for d in app.decks]
        if deck is not None and deck not in known:
            raise QuizappError(
                f"no deck {deck!r} (decks: {', '.join(sorted(known)) or 'none'})", exit_code=2
            )
        scope = "all decks" if deck is None else f"deck {deck}"
        try:
            result = fit(histories(app.store, deck))
        except NotEnoughHistory as short:
            out.write(
                f"Not enough history in {scope} to fit FSRS: {short}. "
                "The default parameters are kept.\n"
            )
            return 0
        out.write(f"FSRS fitted to {result.examples} reviews of {scope}:\n")
        out.writelines(line + "\n" for line in _table(result))
        if result.fitted_log_loss >= result.default_log_loss:
            out.write("The fitted parameters predict no better; the defaults are kept.\n")
            return 0
        store_parameters(
            app.store,
            ALL_DECKS if deck is None else deck,
            result.parameters,
            result.examples,
            utc_now(),
        )
        reconcile(app.store, known, app.settings)
    names = ", ".join(f"{p:.4f}" for p in result.parameters)
    out.write(f"Stored for {scope}: {names}\n")
    out.write('Decks with scheduler = "fsrs" in config.toml schedule with them from now on.\n')
    return 0
