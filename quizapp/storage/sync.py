"""Deck sync: bring the cards table in line with the loaded decks, keeping all progress.

Runs at every start, so the common case (nothing changed) costs one read and no writes:
a deck whose file hash is unchanged is skipped without looking at its cards; a changed deck
is compared card by card on a hash of each card's content. Progress is keyed on
(deck id, item id), so editing a card's text keeps it, removing a card only deactivates it
(its progress comes back with it), and changing an id starts the item anew.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from quizapp.storage.failures import refuse_if_damaged
from quizapp.storage.models import CardRow, DeckRow
from quizapp.storage.quickstart import deck_row_matches

if TYPE_CHECKING:
    from quizapp.deck.model import Card, Deck
    from quizapp.storage.engine import Store


@dataclass(frozen=True, slots=True)
class SyncReport:
    decks_added: int = 0
    decks_changed: int = 0
    decks_unchanged: int = 0
    decks_deactivated: int = 0
    """Decks in the database that were not among the decks synced (progress kept)."""
    items_added: int = 0
    items_updated: int = 0
    """Items whose card content, kind or position changed; their progress is kept."""
    items_deactivated: int = 0
    items_reactivated: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.decks_added,
                self.decks_changed,
                self.decks_deactivated,
                self.items_added,
                self.items_updated,
                self.items_deactivated,
                self.items_reactivated,
            )
        )


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)
_HASHED_FIELDS: dict[type, tuple[str, ...]] = {}
_HASHED_WHEN_SET = frozenset({"alternatives"})
"""Fields added after hashes were first stored: hashed only when set, so that a card without
them hashes as it always did (and is not seen as edited after an upgrade)."""


def card_hash(card: Card) -> str:
    """sha256 of everything about a card but its line number (moving it is not an edit)."""
    names = _HASHED_FIELDS.get(type(card))
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(card) if f.name != "line")
        _HASHED_FIELDS[type(card)] = names
    content: dict[str, Any] = {}
    for name in names:
        value = getattr(card, name)
        if name in _HASHED_WHEN_SET and not value:
            continue
        content[name] = list(value) if isinstance(value, tuple) else value
    return hashlib.sha256(_ENCODER.encode(content).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class _Plan:
    deck_inserts: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    deck_updates: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    card_inserts: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    card_updates: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    hashes: dict[int, tuple[str, tuple[str, ...]]] = dataclasses.field(default_factory=dict)
    """Each card's hash and item ids, by card object: worked out once per sync."""
    decks_changed: int = 0
    decks_unchanged: int = 0
    decks_deactivated: int = 0
    items_updated: int = 0
    items_deactivated: int = 0
    items_reactivated: int = 0

    @property
    def empty(self) -> bool:
        return not (
            self.deck_inserts or self.deck_updates or self.card_inserts or self.card_updates
        )


def _plan(
    session: Session,
    decks: Sequence[Deck],
    deactivate_missing: bool,
    hashes: dict[int, tuple[str, tuple[str, ...]]] | None = None,
    *,
    deciding: bool = False,
) -> _Plan:
    """What to write; `hashes` keeps card hashes (by card object) between the two plans.

    `deciding`: the plan only has to tell whether anything is to be written, so once it is
    sure to write (a new deck, a changed title...), no more decks are compared card by card:
    the plan made under the write lock does that.
    """
    plan = _Plan(hashes={} if hashes is None else hashes)
    stored = {row.id: row for row in session.execute(select(DeckRow)).scalars()}
    wanted = {deck.id for deck in decks}
    for deck in decks:
        row = stored.get(deck.id)
        path = str(deck.path) if deck.path is not None else None
        values = {
            "id": deck.id,
            "title": deck.title,
            "path": path,
            "content_hash": deck.content_hash,
            "active": True,
        }
        if row is None:
            plan.deck_inserts.append(values)
        elif deck_row_matches(deck, row.title, row.path, row.content_hash, row.active):
            plan.decks_unchanged += 1
            continue
        before = len(plan.deck_updates) + len(plan.card_inserts) + len(plan.card_updates)
        if row is not None and (row.title, row.path, row.content_hash, row.active) != (
            deck.title,
            path,
            deck.content_hash,
            True,
        ):
            plan.deck_updates.append(values)
        if deciding and not plan.empty:
            continue  # a write is needed whatever these cards say
        _plan_cards(session, deck, new_deck=row is None, plan=plan)
        if row is not None:
            after = len(plan.deck_updates) + len(plan.card_inserts) + len(plan.card_updates)
            if after > before:
                plan.decks_changed += 1
            else:
                plan.decks_unchanged += 1
    if deactivate_missing:
        for deck_id, row in stored.items():
            if deck_id not in wanted and row.active:
                plan.deck_updates.append({"id": deck_id, "active": False})
                plan.decks_deactivated += 1
    return plan


def _plan_cards(session: Session, deck: Deck, *, new_deck: bool, plan: _Plan) -> None:
    stored: dict[str, CardRow] = {}
    if not new_deck:
        query = select(CardRow).where(CardRow.deck_id == deck.id)
        stored = {row.item_id: row for row in session.execute(query).scalars()}
    position = 0
    seen: set[str] = set()
    for card in deck.cards:
        known = plan.hashes.get(id(card))
        if known is None:
            known = plan.hashes[id(card)] = (card_hash(card), card.item_ids)
        digest, item_ids = known
        for item_id in item_ids:
            values = {
                "deck_id": deck.id,
                "item_id": item_id,
                "card_id": card.id,
                "kind": str(card.kind),
                "content_hash": digest,
                "position": position,
                "active": True,
            }
            position += 1
            seen.add(item_id)
            row = stored.get(item_id)
            if row is None:
                plan.card_inserts.append(values)
            elif (row.card_id, row.kind, row.content_hash, row.position, row.active) != (
                card.id,
                str(card.kind),
                digest,
                values["position"],
                True,
            ):
                plan.card_updates.append(values)
                if row.active:
                    plan.items_updated += 1
                else:
                    plan.items_reactivated += 1
    for item_id, row in stored.items():
        if item_id not in seen and row.active:
            plan.card_updates.append({"deck_id": deck.id, "item_id": item_id, "active": False})
            plan.items_deactivated += 1


def sync_decks(
    store: Store, decks: Sequence[Deck], *, deactivate_missing: bool = True
) -> SyncReport:
    """Add new items, update edited ones, deactivate removed ones; one transaction.

    Decks stored but not in `decks` are marked inactive (their progress is kept) unless
    `deactivate_missing` is False. When nothing changed, nothing is written.
    """
    with store.read() as session:
        plan = _plan(session, decks, deactivate_missing, deciding=True)
    if not plan.empty:

        def apply(session: Session) -> _Plan:
            # Planned again under the write lock (another process may have synced meanwhile);
            # the card hashes of the first plan are reused, the decks are alive all along.
            fresh = _plan(session, decks, deactivate_missing, plan.hashes)
            _apply(session, fresh)
            return fresh

        refuse_if_damaged(store)  # a sync that writes is rare: the check costs little
        plan = store.write(apply)
    return _report(plan)


def sync_decks_in(
    session: Session, decks: Sequence[Deck], *, deactivate_missing: bool = True
) -> SyncReport:
    """`sync_decks` inside a write transaction the caller holds (and commits or rolls back)."""
    plan = _plan(session, decks, deactivate_missing)
    _apply(session, plan)
    return _report(plan)


def _apply(session: Session, plan: _Plan) -> None:
    if plan.deck_inserts:
        session.execute(insert(DeckRow), plan.deck_inserts)
    if plan.deck_updates:
        # Bulk UPDATE by primary key, grouped by the set of columns each row changes.
        for group in _by_keys(plan.deck_updates):
            session.execute(update(DeckRow), group)
    if plan.card_inserts:
        # Core executemany on the table, not the ORM's bulk path (more work per row).
        cards = CardRow.__table__
        assert isinstance(cards, Table)  # a declarative class's table (typed as a FromClause)
        session.execute(insert(cards), plan.card_inserts)
    for group in _by_keys(plan.card_updates):
        session.execute(update(CardRow), group)


def _report(plan: _Plan) -> SyncReport:
    return SyncReport(
        decks_added=len(plan.deck_inserts),
        decks_changed=plan.decks_changed,
        decks_unchanged=plan.decks_unchanged,
        decks_deactivated=plan.decks_deactivated,
        items_added=len(plan.card_inserts),
        items_updated=plan.items_updated,
        items_deactivated=plan.items_deactivated,
        items_reactivated=plan.items_reactivated,
    )


def _by_keys(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())
