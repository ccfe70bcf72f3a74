"""The progress for `export --with-progress`: studied items, and the review log in chunks.

`storage.repository.review_log` returns every answer at once as a `ReviewRecord` (two SM-2
states with Decimal easiness each): at a million answers that is minutes of CPU and gigabytes.
The export needs a few columns of each answer, once, oldest first, so `ReviewLogSource` reads
just those columns in time order (by the answer time index), a chunk of rows at a time, as the
writer consumes them. Plain Core rows, no ORM objects, and no join: an item id is its card id,
or the card id and `#cN` (card ids cannot hold `#`), so the card id is taken from it.

`studied_items` is `storage.repository.progress` without the items still new (which the
export leaves new): one Core query instead of an ORM object pair per item of the collection.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import and_, func, select

from quizapp.deck.model import split_item_id
from quizapp.export.schedule import AnswerRow
from quizapp.scheduling.sm2 import from_thousandths
from quizapp.storage.engine import Store
from quizapp.storage.failures import UnreadableValueError
from quizapp.storage.models import CardRow, CardStateRow, DeckRow, ReviewRow
from quizapp.storage.repository import ItemProgress

CHUNK_ROWS = 5000


def studied_items(store: Store, deck_ids: Sequence[str]) -> list[ItemProgress]:
    """The active items of `deck_ids` that have a due date, by deck id then position."""
    reviews = (
        select(func.count(ReviewRow.id))
        .where(ReviewRow.deck_id == CardRow.deck_id, ReviewRow.item_id == CardRow.item_id)
        .scalar_subquery()
    )
    query = (
        select(
            CardRow.deck_id,
            CardRow.item_id,
            CardRow.card_id,
            CardStateRow.repetitions,
            CardStateRow.interval,
            CardStateRow.easiness_milli,
            CardStateRow.due,
            CardStateRow.lapses,
            reviews.label("reviews"),
            CardStateRow.last_review,
            CardStateRow.buried_until,
            CardRow.kind,
            CardRow.position,
        )
        .join(DeckRow, and_(DeckRow.id == CardRow.deck_id, DeckRow.active))
        .join(
            CardStateRow,
            and_(CardStateRow.deck_id == CardRow.deck_id, CardStateRow.item_id == CardRow.item_id),
        )
        .where(CardRow.active, CardStateRow.due.is_not(None), CardRow.deck_id.in_(deck_ids))
        .order_by(CardRow.deck_id, CardRow.position)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        ItemProgress(
            deck_id=row.deck_id,
            item_id=row.item_id,
            card_id=row.card_id,
            repetitions=row.repetitions,
            interval=row.interval,
            easiness=from_thousandths(row.easiness_milli),  # stored in thousandths
            due=row.due,
            lapses=row.lapses,
            reviews=row.reviews,
            last_review=row.last_review,
            buried_until=row.buried_until,
            kind=row.kind,
            position=row.position,
        )
        for row in rows
    ]


class ReviewLogSource:
    """Every logged answer as an `AnswerRow`, by answer time then id, each time it is iterated.

    Answers of decks not exported are read too and dropped by the builder (the answer time
    index gives the order only over the whole log). The store may have been closed: a closed
    store's engine opens a new connection, which is closed again once the rows are read.
    """

    def __init__(self, store: Store, chunk_rows: int = CHUNK_ROWS) -> None:
        self._store = store
        self._chunk_rows = chunk_rows

    def __iter__(self) -> Iterator[AnswerRow]:
        query = select(
            ReviewRow.id,
            ReviewRow.deck_id,
            ReviewRow.item_id,
            ReviewRow.reviewed_at,  # as stored: ISO 8601 text, naive UTC
            ReviewRow.grade,
            ReviewRow.duration_ms,
            ReviewRow.session_kind,
            ReviewRow.repeat,  # as stored: 0 or 1
            ReviewRow.repetitions_before,
            ReviewRow.interval_before,
            ReviewRow.interval_after,
            ReviewRow.easiness_milli_after,
        ).order_by(ReviewRow.reviewed_at, ReviewRow.id)
        card_ids: dict[str, str] = {}
        try:
            with self._store.engine.connect() as connection:
                # The DB-API cursor itself: SQLAlchemy's Row objects would cost a second a
                # million rows, for no conversion (the two typed columns are handled here).
                driver = connection.connection.driver_connection
                assert driver is not None  # a pooled connection that is open
                cursor = driver.cursor()
                try:
                    cursor.execute(str(query.compile(connection)))
                    while chunk := cursor.fetchmany(self._chunk_rows):
                        for review_id, deck_id, item_id, reviewed_at, *rest in chunk:
                            card_id = card_ids.get(item_id)
                            if card_id is None:
                                card_id = card_ids[item_id] = split_item_id(item_id)[0]
                            try:
                                moment = datetime.fromisoformat(reviewed_at)  # naive UTC
                            except (TypeError, ValueError):
                                raise UnreadableValueError(reviewed_at, "a time") from None
                            yield AnswerRow(review_id, deck_id, card_id, item_id, moment, *rest)
                finally:
                    cursor.close()
        finally:
            self._store.close()
