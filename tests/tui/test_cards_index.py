"""Backend's card lookup before every card: by id, per deck, as Deck.card finds them."""

from __future__ import annotations

from quizapp.deck.model import BasicCard, ClozeCard, Deck
from quizapp.scheduling.queue import Candidate
from quizapp.tui.backend import Cards, Item


def _deck(deck_id: str, count: int) -> Deck:
    cards = [BasicCard(id=f"card-{n:04d}", front=f"q{n}", back=f"a{n}") for n in range(count)]
    cloze = ClozeCard(id="gaps", text="{{c1::one}} and {{c3::three}}")
    return Deck(id=deck_id, title=deck_id, cards=(*cards, cloze))


def _at(deck_id: str, item_id: str) -> Candidate:
    return Candidate(deck_id, item_id, None, 0)


def test_items_are_found_by_id_in_their_deck() -> None:
    net, vol = _deck("net", 3000), _deck("vol", 2)
    cards = Cards([net, vol])
    assert cards.item(_at("net", "card-2999")) == Item(net, net.cards[2999], "card-2999", None)
    assert cards.item(_at("vol", "card-0001")) == Item(vol, vol.cards[1], "card-0001", None)
    assert cards.item(_at("net", "gaps#c3")) == Item(net, net.cards[-1], "gaps#c3", 3)
    for deck in (net, vol):
        for card in deck.cards:
            found = cards.item(_at(deck.id, card.item_ids[0]))
            assert found is not None and found.card is deck.card(card.id)


def test_a_card_or_deck_that_is_gone_is_none() -> None:
    cards = Cards([_deck("net", 2)])
    assert cards.item(_at("net", "card-0002")) is None
    assert cards.item(_at("vol", "card-0001")) is None
    assert Cards(()).item(_at("net", "card-0001")) is None


def test_cached_decks_give_the_same_items(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from quizapp.deck.loader import DeckReport
    from quizapp.deck.model import LoadResult
    from quizapp.deck_cache import LazyCards, decode, encode

    net = _deck("net", 50)
    path = Path(tmp_path) / "net.yaml"
    report = DeckReport(LoadResult(path, net, ()), "net", None, len(net.cards))
    cached = decode(encode(report), path).result.deck
    assert cached is not None and isinstance(cached.cards, LazyCards)
    parsed, lazy = Cards([net]), Cards([cached])
    for card in net.cards:
        for item_id in card.item_ids:
            found = lazy.item(_at("net", item_id))
            assert found is not None and found.card == card
            assert (found.item_id, found.cloze_number) == (
                parsed.item(_at("net", item_id)).item_id,  # type: ignore[union-attr]
                parsed.item(_at("net", item_id)).cloze_number,  # type: ignore[union-attr]
            )
    assert lazy.item(_at("net", "card-0050")) is None
    assert cached.cards._cards is None  # found card by card, never built whole
