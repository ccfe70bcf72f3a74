"""The garbage collector is paused in one place (`quizapp.collector`): pauses nest across
threads, and the collector runs again, if it ran before, only after the last one."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

import quizapp.deck.loader as loader
import quizapp.deckfiles as deckfiles
from quizapp import collector


def test_pauses_nest_across_threads() -> None:
    assert gc.isenabled()
    collector.pause()
    try:
        assert not gc.isenabled()
        other = threading.Thread(target=lambda: [collector.pause(), collector.resume()])
        other.start()
        other.join()
        assert not gc.isenabled()  # the other thread's pause ended, not this one
    finally:
        collector.resume()
    assert gc.isenabled()


def test_a_collector_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_resume_without_pause_is_a_bug() -> None:
    with pytest.raises(RuntimeError):
        collector.resume()


def test_decks_are_parsed_with_the_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = loader.inspect_deck_text

    def spy(
        data: bytes | str, path: Path, check: loader.CommandCheck | None = None
    ) -> loader.DeckReport:
        seen.append(gc.isenabled())
        return real(data, path, check)

    monkeypatch.setattr(deckfiles, "_inspect_text", spy)
    deck = tmp_path / "d.yaml"
    deck.write_text("deck: d\ntitle: D\ncards:\n  - id: a\n    front: f\n    back: b\n")
    assert deckfiles.load_deck(deck).deck is not None
    assert seen == [False]
    assert gc.isenabled()
