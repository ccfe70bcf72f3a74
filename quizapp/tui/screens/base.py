"""What the study app's screens share: the app, typed (`quiz_app`), and the new-card guard.

Screens reach the app through Textual's `self.app`; `AppScreen.quiz_app` is that app as a
`QuizApp`, in one place, without importing the app module (which imports the screens).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

ResultT = TypeVar("ResultT")

NEW_CARD_GUARD = 0.5
"""Seconds after a card (or a summary) appears during which a key that answers it is refused."""


class AppScreen(Screen[ResultT]):
    """A screen of the study app."""

    @property
    def quiz_app(self) -> QuizApp:
        """The running `QuizApp` (every screen of quizapp is pushed by one)."""
        return cast("QuizApp", self.app)
