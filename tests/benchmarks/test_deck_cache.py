"""The parsed-deck cache: the same reports as parsing, and no YAML parsed for unchanged files."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

import quizapp.deck_cache as cache_module
from benchmarks.synth import write_decks
from quizapp.deck_cache import DeckCache, LazyCards, decode, encode
from quizapp.deckfiles import inspect_deck, inspect_decks

DATA = Path(__file__).resolve().parents[1] / "data" / "deck"


def _age(path: Path, seconds: int = 10) -> None:
    """Make the file look written `seconds` ago (older than the racy window)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 1_000_000_000))


def test_encode_decode_round_trip_keeps_every_card_and_problem(tmp_path: Path) -> None:
    files = write_decks(tmp_path, 40, seed=3)
    for path in [*files, *sorted(DATA.rglob("*.yaml"))]:
        report = inspect_deck(path)
        assert decode(encode(report), path) == report


def test_cached_reports_equal_parsed_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_decks(tmp_path / "decks", 40, seed=3)
    first = inspect_decks([tmp_path / "decks", DATA], DeckCache(tmp_path / "cache"))
    second = inspect_decks([tmp_path / "decks", DATA], DeckCache(tmp_path / "cache"))
    assert first == second == inspect_decks([tmp_path / "decks", DATA])


def test_an_unchanged_file_is_not_parsed_nor_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (path,) = write_decks(tmp_path, 10, seed=3)
    _age(path)
    cache = DeckCache(tmp_path / "cache")
    report = cache.inspect(path)
    cache.save()

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("parsed again")

    real_open = Path.open

    def open_but_not_the_deck(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == path.name:
            raise AssertionError("the deck file was read again")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(cache_module, "inspect_deck_text", refuse)
    monkeypatch.setattr(Path, "open", open_but_not_the_deck)
    again = DeckCache(tmp_path / "cache")
    assert again.inspect(path) == report


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    (path,) = write_decks(tmp_path, 10, seed=3)
    _age(path)
    cache = DeckCache(tmp_path / "cache")
    assert cache.inspect(path).result.deck is not None
    cache.save()
    path.write_text(path.read_text().replace("card-000003", "card-000003x"))
    _age(path, 5)  # even with an old mtime: the size changed
    report = DeckCache(tmp_path / "cache").inspect(path)
    assert report.result.deck is not None
    assert [c.id for c in report.result.deck.cards][3] == "card-000003x"


def test_same_size_edit_within_the_racy_window_is_seen(tmp_path: Path) -> None:
    (path,) = write_decks(tmp_path, 10, seed=3)
    cache = DeckCache(tmp_path / "cache")
    cache.inspect(path)  # just written: not indexed by its stat
    cache.save()
    stat = path.stat()
    path.write_text(path.read_text().replace("card-000003", "card-000009"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    report = DeckCache(tmp_path / "cache").inspect(path)
    assert report.result.deck is None
    assert any("card-000009" in p.message for p in report.result.problems)


def test_a_same_size_edit_made_later_is_seen(tmp_path: Path) -> None:
    """The index trusts (size, mtime), never the size alone: an edit that keeps the size,
    made after the file was indexed (and outside the racy window), is parsed again."""
    (path,) = write_decks(tmp_path, 10, seed=3)
    _age(path, 60)
    cache = DeckCache(tmp_path / "cache")
    assert cache.inspect(path).result.deck is not None
    cache.save()
    assert os.path.abspath(path) in DeckCache(tmp_path / "cache").index  # indexed by stat
    text = path.read_text()
    edited = text.replace("card-000003", "card-000009")  # same size: a duplicate id now
    assert len(edited) == len(text) and edited != text
    path.write_text(edited)
    _age(path, 30)  # a later mtime than the indexed one, still older than the racy window
    report = DeckCache(tmp_path / "cache").inspect(path)
    assert report.result.deck is None
    assert any("card-000009" in p.message for p in report.result.problems)


def test_validate_reads_the_cache_but_never_writes_it(tmp_path: Path) -> None:
    """A read-only cache (what `quizapp validate` uses) finds what the app stored and stores
    nothing itself: no report, no index."""
    (path,) = write_decks(tmp_path / "decks", 10, seed=3)
    _age(path)
    read_only = DeckCache(tmp_path / "cache", read_only=True)
    first = read_only.inspect(path)
    read_only.save()
    assert not (tmp_path / "cache").exists()
    writer = DeckCache(tmp_path / "cache")
    assert writer.inspect(path) == first
    writer.save()
    stored = sorted(p.name for p in writer.folder.iterdir())
    again = DeckCache(tmp_path / "cache", read_only=True)
    assert again.inspect(path) == first
    again.save()
    assert sorted(p.name for p in writer.folder.iterdir()) == stored


def test_a_corrupt_cache_entry_means_parsing(tmp_path: Path) -> None:
    (path,) = write_decks(tmp_path, 10, seed=3)
    cache = DeckCache(tmp_path / "cache")
    report = cache.inspect(path)
    for entry in cache.folder.glob("*.deck"):
        entry.write_bytes(b"garbage")
    assert DeckCache(tmp_path / "cache").inspect(path) == report


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path) -> None:
    (path,) = write_decks(tmp_path, 10, seed=3)
    (tmp_path / "cache").write_text("a file where the folder should be")
    cache = DeckCache(tmp_path / "cache")
    assert cache.inspect(path) == inspect_deck(path)
    cache.save()


def test_cached_cards_are_built_only_when_used(tmp_path: Path) -> None:
    (path,) = write_decks(tmp_path, 12, seed=3)
    report = inspect_deck(path)
    cached = decode(encode(report), path)
    assert cached.result.deck is not None and report.result.deck is not None
    cards = cached.result.deck.cards
    assert isinstance(cards, LazyCards)
    assert cards._cards is None and len(cards) == 12 and cards._cards is None
    assert cards[3] == report.result.deck.cards[3]
    assert cards == report.result.deck.cards and report.result.deck.cards == cards
    assert hash(cached.result.deck) == hash(report.result.deck)
    assert list(cards) == list(report.result.deck.cards)
    assert cards[1:3] == report.result.deck.cards[1:3]


def _with_cards_blob(data: bytes, blob: bytes) -> bytes:
    fmt, deck_row, *rest = marshal.loads(data)
    return marshal.dumps((fmt, (*deck_row[:-1], blob), *rest))


def test_unreadable_cached_cards_are_parsed_again_from_the_same_file(tmp_path: Path) -> None:
    (path,) = write_decks(tmp_path, 4, seed=3)
    report = inspect_deck(path)
    assert report.result.deck is not None
    for blob in (marshal.dumps([(0, "only-an-id")]), b"garbage", marshal.dumps([(9, "x")])):
        cached = decode(_with_cards_blob(encode(report), blob), path)
        assert cached.result.deck is not None
        assert tuple(cached.result.deck.cards) == report.result.deck.cards


def test_unreadable_cached_cards_of_a_changed_file_stop_with_a_message(tmp_path: Path) -> None:
    (path,) = write_decks(tmp_path, 4, seed=3)
    data = _with_cards_blob(encode(inspect_deck(path)), b"garbage")
    path.write_text(path.read_text().replace("card-000001", "card-000001b"))
    cached = decode(data, path)
    assert cached.result.deck is not None
    assert len(cached.result.deck.cards) == 4
    with pytest.raises(RuntimeError, match="start quizapp again"):
        list(cached.result.deck.cards)


def test_a_cached_deck_of_another_format_is_not_used(tmp_path: Path) -> None:
    (path,) = write_decks(tmp_path, 4, seed=3)
    fmt, *rest = marshal.loads(encode(inspect_deck(path)))
    with pytest.raises(ValueError, match="another format"):
        decode(marshal.dumps((fmt + 1, *rest)), path)
    with pytest.raises(ValueError, match="not a cached deck"):
        decode(b"\x00\x01", path)


def test_a_newly_parsed_file_comes_back_with_its_cards_not_yet_built(tmp_path: Path) -> None:
    """The first load already gives the cached (lazy) form: loading many new files never
    keeps every file's parsed cards alive at once."""
    (path,) = write_decks(tmp_path / "decks", 12, seed=3)
    cache = DeckCache(tmp_path / "cache")
    report = cache.inspect(path)
    parsed = inspect_deck(path)
    assert report.result.deck is not None
    cards = report.result.deck.cards
    assert isinstance(cards, LazyCards) and cards._cards is None
    assert report == parsed


def test_one_cached_card_is_found_by_id_without_building_the_others(tmp_path: Path) -> None:
    (path,) = write_decks(tmp_path, 12, seed=3)
    report = inspect_deck(path)
    assert report.result.deck is not None
    parsed = report.result.deck.cards
    cached = decode(encode(report), path).result.deck
    assert cached is not None
    cards = cached.cards
    assert isinstance(cards, LazyCards)
    assert cards.card(parsed[5].id) == parsed[5]
    assert cards.card(parsed[5].id) is cards.card(parsed[5].id)  # built once
    assert cards._cards is None  # the deck itself is still not built
    assert cards.card("no-such-card") is None
    assert [cards.card(card.id) for card in parsed] == list(parsed)
    list(cards)  # built in full: lookups still answer
    assert cards.card(parsed[2].id) == parsed[2]


def test_a_repeated_id_finds_the_first_card_as_deck_card_does(tmp_path: Path) -> None:
    from dataclasses import replace

    (path,) = write_decks(tmp_path, 3, seed=3)
    report = inspect_deck(path)
    deck = report.result.deck
    assert deck is not None
    first, second, third = deck.cards
    twice = replace(deck, cards=(first, replace(third, id=first.id), second))
    report = replace(report, result=replace(report.result, deck=twice))
    cached = decode(encode(report), path).result.deck
    assert cached is not None and isinstance(cached.cards, LazyCards)
    assert cached.cards.card(first.id) == first == twice.card(first.id)


def test_unreadable_cached_cards_are_found_by_id_from_the_same_file(tmp_path: Path) -> None:
    (path,) = write_decks(tmp_path, 4, seed=3)
    report = inspect_deck(path)
    assert report.result.deck is not None
    wanted = report.result.deck.cards[2]
    for blob in (marshal.dumps([(0, "only-an-id")]), b"garbage", marshal.dumps([(9, "x")])):
        cached = decode(_with_cards_blob(encode(report), blob), path).result.deck
        assert cached is not None and isinstance(cached.cards, LazyCards)
        assert cached.cards.card(wanted.id) == wanted
