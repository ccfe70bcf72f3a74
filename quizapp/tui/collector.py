"""The cyclic garbage collector around the study app's start: the one place quizapp touches it.

Starting makes a few hundred thousand objects that live as long as the app (modules, decks,
styles) and no garbage worth a search: the cyclic collector, which would walk them all several
times over while the decks load (half of a cold load of many files), waits until the first
card is up. Then those objects are frozen (`gc.freeze()`: moved out of the collector's sight,
so no later collection walks them again) and the collector resumes. When the app ends they
are unfrozen and the collector is as the app found it.
"""

from __future__ import annotations

import gc


class StartupCollector:
    """Pause at start, freeze and resume after it, restore at the end; each step once."""

    def __init__(self) -> None:
        self._was_enabled: bool | None = None
        """Whether the collector ran before `pause` (None: not paused)."""
        self._frozen = False

    def pause(self) -> None:
        """Stop cyclic collections while the app starts (a second call does nothing)."""
        if self._was_enabled is None:
            self._was_enabled = gc.isenabled()
            gc.disable()

    def resume(self) -> None:
        """The start is over: freeze what it made and let the collector run again (if it ran
        before the pause)."""
        if self._was_enabled is None:
            return
        if not self._frozen:
            gc.freeze()
            self._frozen = True
        if self._was_enabled:
            gc.enable()
        self._was_enabled = None

    def restore(self) -> None:
        """The app is ending: the collector as it was before `pause`, nothing left frozen."""
        self.resume()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
