"""Two terminals on one database: is a queued card still worth asking?

A study session builds its queue once. If the same card is answered meanwhile in another
quizapp process, asking it again here would review it twice in one day. The study screen
calls `still_due` right before it shows a card and drops the card when it returns False.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, select

from quizapp.scheduling.sm2 import REPEAT_BELOW
from quizapp.storage import studysql
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
        return store.read_dbapi(
            lambda conn: studysql.still_due(conn, deck_id, item_id, today, repeat=repeat)
        )
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
