"""Two terminals on one database: is a queued card still worth asking?

A study session builds its queue once. If the same card is answered meanwhile in another
quizapp process, asking it again here would review it twice in one day. The study screen
calls `still_due` right before it shows a card and drops the card when it returns False.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select

from quizapp.scheduling.sm2 import REPEAT_BELOW
from quizapp.storage.dbapi import conversions
from quizapp.storage.engine import Store
from quizapp.storage.models import CardRow, CardStateRow, DeckRow, ReviewRow


def still_due(
    store: Store, deck_id: str, item_id: str, today: date, *, repeat: bool = False
) -> bool:
    """Whether the item should still be shown in today's study session.

    For a first review (`repeat` False): the item is active, not buried, new or due by
    `today`, and nobody has reviewed it today (a study answer that was not a repeat).
    For a same-day repeat (`repeat` True): the item is active, not buried, and its latest
    study answer today is still graded below 4 (nobody has repeated it to a pass since).
    """
    if store.is_pysqlite:
        return store.read_dbapi(_Check(store, deck_id, item_id, today, repeat).run)
    live = (
        select(CardStateRow.due, CardStateRow.buried_until)
        .select_from(CardRow)
        .join(DeckRow, and_(DeckRow.id == CardRow.deck_id, DeckRow.active))
        .outerjoin(
            CardStateRow,
            and_(CardStateRow.deck_id == CardRow.deck_id, CardStateRow.item_id == CardRow.item_id),
        )
        .where(CardRow.deck_id == deck_id, CardRow.item_id == item_id, CardRow.active)
    )
    today_answers = select(ReviewRow).where(
        ReviewRow.deck_id == deck_id,
        ReviewRow.item_id == item_id,
        ReviewRow.day == today,
        ReviewRow.session_kind == "study",
    )
    with store.read() as session:
        found = session.execute(live).first()
        if found is None:
            return False
        due, buried_until = found
        if buried_until is not None and buried_until > today:
            return False
        if repeat:
            last = session.scalars(today_answers.order_by(ReviewRow.id.desc()).limit(1)).first()
            return last is not None and last.grade < REPEAT_BELOW
        reviewed = session.scalar(
            select(func.count()).select_from(
                today_answers.where(ReviewRow.repeat.is_(False)).subquery()
            )
        )
    return not reviewed and (due is None or due <= today)


# The check above as one sqlite3 statement (?1 deck, ?2 item, ?3 day): it runs before every
# card. The unary + keeps SQLite on ix_review_log_item (this item's answers) rather than
# ix_review_log_kind_day (every study answer of the day so far).
_ITEM_SQL = (
    "SELECT card_state.due, card_state.buried_until, {today} FROM cards"
    " JOIN decks ON decks.id = cards.deck_id AND decks.active = 1"
    " LEFT OUTER JOIN card_state ON card_state.deck_id = cards.deck_id"
    " AND card_state.item_id = cards.item_id"
    " WHERE cards.deck_id = ?1 AND cards.item_id = ?2 AND cards.active = 1"
)
_TODAY = (
    "review_log.deck_id = ?1 AND review_log.item_id = ?2 AND +review_log.day = ?3"
    " AND +review_log.session_kind = 'study'"
)
_FIRST_SQL = _ITEM_SQL.format(
    today=f"EXISTS (SELECT review_log.id FROM review_log WHERE {_TODAY} AND review_log.repeat IS 0)"
)
_REPEAT_SQL = _ITEM_SQL.format(
    today=f"(SELECT review_log.grade FROM review_log WHERE {_TODAY}"
    " ORDER BY review_log.id DESC LIMIT 1)"
)


@dataclass(frozen=True, slots=True)
class _Check:
    store: Store
    deck_id: str
    item_id: str
    today: date
    repeat: bool

    def run(self, conn: sqlite3.Connection) -> bool:
        convert = conversions(self.store.engine.dialect)
        params = (self.deck_id, self.item_id, convert.date_in(self.today))
        found = conn.execute(_REPEAT_SQL if self.repeat else _FIRST_SQL, params).fetchone()
        if found is None:
            return False
        due, buried_until, answered = found
        buried_until = convert.date_out(buried_until)
        if buried_until is not None and buried_until > self.today:
            return False
        if self.repeat:
            return answered is not None and answered < REPEAT_BELOW
        due = convert.date_out(due)
        return not answered and (due is None or due <= self.today)
