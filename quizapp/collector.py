"""The cyclic garbage collector, paused while decks are parsed and the study app starts: the
one place quizapp touches it.

Parsing a deck file makes hundreds of thousands of objects and no garbage in a reference
cycle, yet each batch of them sets off the cyclic collector, which walks every object alive
(all decks loaded so far): half of a cold load of many files. Starting the study app is the
same, with modules and styles besides. So the collector waits. Pauses nest and may come from
any thread (the study app pauses on its main thread, its deck loading runs on the database
thread): one count under one lock decides, and the collector runs again, if it ran before,
only when the last pause ends. The study app also freezes what its start made
(`gc.freeze()`: out of the collector's sight, so no later collection walks it again) and
unfreezes it when it ends (`StartupCollector`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


def pause() -> None:
    """Stop cyclic collections until the matching `resume` (pauses nest)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1


def resume() -> None:
    """End one `pause`; after the last, the collector runs again if it ran before the first."""
    global _depth
    with _lock:
        if _depth == 0:
            raise RuntimeError("resume() without pause()")
        _depth -= 1
        if _depth == 0 and _was_enabled:
            gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """The collector paused for the block (parsing decks: `deckfiles`)."""
    pause()
    try:
        yield
    finally:
        resume()


class StartupCollector:
    """The study app's start: pause, then freeze and resume after the first card, restore at
    the end; each step once."""

    def __init__(self) -> None:
        self._paused = False
        self._frozen = False

    def pause(self) -> None:
        """Stop cyclic collections while the app starts (a second call does nothing)."""
        if not self._paused:
            self._paused = True
            pause()

    def resume(self) -> None:
        """The start is over: freeze what it made and end the pause."""
        if not self._paused:
            return
        if not self._frozen:
            gc.freeze()
            self._frozen = True
        self._paused = False
        resume()

    def restore(self) -> None:
        """The app is ending: the collector as it was before `pause`, nothing left frozen."""
        self.resume()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
