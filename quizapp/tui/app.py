"""The study app: `QuizApp` (a factory tests drive with injected time) and `run_app` for the CLI.

Time is injected: `today` fixes the study day, `now` gives log timestamps and `clock` measures
how long an answer took, so sessions, snapshots and tests never depend on the real date.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.filter import LineFilter
from textual.screen import Screen

from quizapp.collector import StartupCollector
from quizapp.context import AppContext
from quizapp.errors import QuizappError
from quizapp.paths import db_file, new_db_note
from quizapp.scheduling.day import DEFAULT_ROLLOVER_HOUR, study_day
from quizapp.tui.backend import Backend
from quizapp.tui.text import VisibleControls

if TYPE_CHECKING:
    from quizapp.tui.autosync import AutoSync
    from quizapp.tui.screens.study import StudyScreen


def _utc_now() -> datetime:
    return datetime.now(UTC)


class QuizApp(App[None]):
    """Home, study, quiz, statistics and help over the decks and the progress store."""

    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "question_mark",
            "help",
            "Help",
            key_display="?",
            id="app.help",
            tooltip="Keys and screens",
        ),
    ]

    def __init__(
        self,
        ctx: AppContext,
        deck: str | None = None,
        *,
        today: date | None = None,
        now: Callable[[], datetime] | None = None,
        clock: Callable[[], float] | None = None,
        seed: int | None = None,
        backend: Backend | None = None,
        keymap: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        # Width classes for the stylesheet (read by Textual from the app, per instance).
        self.HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (60, "-narrow"), (80, "-wide")]
        self.ctx = ctx
        self.start_deck = deck
        self._today = today
        self.now: Callable[[], datetime] = now or _utc_now
        self.clock: Callable[[], float] = clock or time.monotonic
        self.seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        self.backend = backend or Backend(ctx)
        # Constructing the app does nothing else: no thread, no file, the garbage collector
        # untouched. Start-up work begins when the app runs (`_begin`).
        self._collector = StartupCollector()
        self._begun = False
        self.new_db: Path | None = None
        """The database file, when there was none before this start (said once, on screen)."""
        self._visible_controls = VisibleControls()
        self.start_keymap = dict(keymap or {})
        """Binding id -> keys, e.g. `{"study.bury": "x"}` (every binding has an id)."""
        self.error: QuizappError | None = None
        self.crash: Exception | None = None
        self.started = self.clock()
        self.first_card_after: float | None = None
        """Seconds from start to the first card on screen (measured for the 1-second goal)."""
        self.autosync: AutoSync | None = None
        """Background device sync (`[sync] auto = true`), once the first screen is up."""
        self.drafts: dict[tuple[str, str], str] = {}
        """Answers typed and not checked when the learner left a card, by (deck id, item id)."""

    def _begin(self) -> None:
        """The start, once, as the app begins to run: note whether the database file is there
        yet, pause the garbage collector (until the first card, `_started`) and start loading
        decks and the database on the database thread while the UI starts."""
        if self._begun:
            return
        self._begun = True
        file = db_file(self.ctx.db)
        self.new_db = file if file is not None and not file.exists() else None
        self._collector.pause()
        self.backend.start_loading()

    def on_load(self) -> None:
        # Sent when the app runs (`run`, `run_async`, `run_test`), before the terminal is set
        # up and the first screen composed: the loading overlaps both.
        self._begin()

    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size.width, event.size.height)

    def check_size(self, width: int, height: int) -> None:
        """Cover the app with a notice while the terminal is under the smallest size."""
        from quizapp.tui.screens.small import TooSmallScreen, too_small

        small = too_small(width, height)
        shown = isinstance(self.screen, TooSmallScreen)
        if small and not shown:
            self.push_screen(TooSmallScreen())
        elif shown and not small:
            self.pop_screen()

    async def on_event(self, event: events.Event) -> None:
        # A screen may refuse a key before any binding or widget sees it (the new-card guard).
        if isinstance(event, events.Key) and not event.is_forwarded:
            refuses = getattr(self.screen, "refuses_key", None)
            if refuses is not None and refuses(event.key):
                event.stop()
                event.prevent_default()
                return
        await super().on_event(event)

    @property
    def today(self) -> date:
        """The study day: injected, or from `now` and the rollover hour."""
        if self._today is not None:
            return self._today
        rollover = (
            self.backend.data.settings.rollover_hour if self.backend.data else DEFAULT_ROLLOVER_HOUR
        )
        return study_day(self.now(), rollover)

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then `VisibleControls`: no control character is drawn raw."""
        return [*super().get_line_filters(), self._visible_controls]

    def on_mount(self) -> None:
        from quizapp.tui.screens.home import HomeScreen

        if self.start_keymap:
            self.set_keymap(self.start_keymap)
        self.push_screen(HomeScreen())
        self.check_size(*self.size)
        # A screen pushed later (the study screen after loading) must not cover the notice.
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self.load()

    def _screen_changed(self, _screen: object) -> None:
        self.call_later(lambda: self.check_size(*self.size))

    def _started(self) -> None:
        """The first card (or the home screen's decks) is on screen: what could wait, runs."""
        self._collector.resume()
        self.backend.back_up()
        self._start_autosync()

    def _start_autosync(self) -> None:
        data = self.backend.data
        if data is None or self.autosync is not None or not data.settings.sync_auto:
            return
        from quizapp.tui.autosync import AutoSync, sync_url

        url = sync_url(data.settings)
        if url is None:
            return
        loop = asyncio.get_running_loop()
        self.autosync = AutoSync(self.ctx, data.settings, url)
        # Never call_from_thread: it would wait for this loop, which quitting may block.

        def done() -> None:
            loop.call_soon_threadsafe(self._synced)

        self.autosync.start(done)

    def _synced(self) -> None:
        """A background sync ended: the home screen shows its outcome (and pulled answers)."""
        from quizapp.tui.jobs import run_reported
        from quizapp.tui.screens.home import HomeScreen

        home = self._home()
        if isinstance(home, HomeScreen) and home.loaded and home.is_active:
            run_reported(home, home.refresh_decks(), group="db", exclusive=True)

    @work(group="db", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        try:
            await self._load()
        except Exception as bug:  # after the load: the first screen failed on the database?
            from quizapp.tui.fatal import stop_if_unusable

            if not stop_if_unusable(self, bug):
                raise
        finally:
            self._collector.resume()

    async def _load(self) -> None:
        from quizapp.tui.screens.home import HomeScreen

        try:
            await self.backend.load()
        except QuizappError as problem:
            self.error = problem
            self.exit(return_code=problem.exit_code)
            return
        except Exception as bug:  # handed to the CLI, which reports it without a traceback
            from quizapp.tui.fatal import stop_if_unusable

            if stop_if_unusable(self, bug):
                return
            self.crash = bug
            self.exit(return_code=70)
            return
        if self.new_db is not None and self.new_db.exists():
            self.notify(new_db_note(self.new_db), title="New database", timeout=12)
        keymap = {**(self.backend.data.keys if self.backend.data else {}), **self.start_keymap}
        if keymap:
            from quizapp.tui.keymap import keymap_problem

            keymap_error = keymap_problem(keymap)
            if keymap_error is not None:
                self.error = QuizappError(keymap_error, 2)
                self.exit(return_code=2)
                return
            self.set_keymap(keymap)
        home = self._home()
        if self.start_deck is not None:
            deck = self.backend.find_deck(self.start_deck)
            if deck is None:
                self.error = QuizappError(
                    f"no deck named {self.start_deck!r} (see `quizapp decks`)", 2
                )
                self.exit(return_code=2)
                return
            self.start_deck = None
            if isinstance(home, HomeScreen):
                home.loaded = True  # it fills its table when the learner comes back to it
            screen = self.study([deck.id], deck.title)
            await screen.ready.wait()  # so waiting for this worker means the first card is up
            self._started()
            return
        if isinstance(home, HomeScreen):
            await home.refresh_decks()
        self._started()

    def study(self, deck_ids: list[str] | None, title: str) -> StudyScreen:
        from quizapp.tui.screens.study import StudyScreen

        screen = StudyScreen(deck_ids, title)
        self.push_screen(screen)
        return screen

    def action_help(self) -> None:
        from quizapp.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_screens()))

    def help_screens(self) -> list[tuple[str, type]]:
        """The app and its screens, named as the help lists their keys."""
        from quizapp.tui.screens.home import HomeScreen
        from quizapp.tui.screens.quiz import QuizResultScreen, QuizScreen, QuizSetupScreen
        from quizapp.tui.screens.stats import StatsScreen
        from quizapp.tui.screens.study import CardScreen, StudyScreen
        from quizapp.tui.screens.summary import SummaryScreen

        return [
            ("any", QuizApp),
            ("home", HomeScreen),
            ("study", StudyScreen),
            ("study, quiz", CardScreen),
            ("quiz setup", QuizSetupScreen),
            ("quiz", QuizScreen),
            ("quiz result", QuizResultScreen),
            ("summary", SummaryScreen),
            ("statistics", StatsScreen),
        ]

    def _home(self) -> Screen[Any] | None:
        from quizapp.tui.screens.home import HomeScreen

        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                return screen
        return None

    def _from_home(self, action: str) -> None:
        from quizapp.tui.screens.home import HomeScreen

        home = self._home()
        if not isinstance(home, HomeScreen):
            return
        while self.screen is not home:
            self.pop_screen()
        getattr(home, f"action_{action}")()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Study everything due",
            "Every deck's cards for today",
            lambda: self._from_home("study_all"),
        )
        yield SystemCommand(
            "Study the selected deck",
            "The deck under the cursor on the home screen",
            lambda: self._from_home("study_selected"),
        )
        yield SystemCommand(
            "Quiz", "Random cards, scored, schedule untouched", lambda: self._from_home("quiz")
        )
        yield SystemCommand(
            "Statistics", "Forecast, heatmap, retention, streak", lambda: self._from_home("stats")
        )
        yield SystemCommand("Help", "Keys and screens", self.action_help)
        yield from super().get_system_commands(screen)

    def on_unmount(self) -> None:
        self._collector.restore()
        if self.autosync is not None:
            self.autosync.finish()  # bounded: a dead server never holds the quit
        self.backend.close()


def run_app(ctx: AppContext, deck: str | None = None) -> int:
    """Run the study app until the learner quits; raise `QuizappError` for user-facing failures."""
    app = QuizApp(ctx, deck=deck)
    app.run()
    if app.error is not None:
        raise app.error
    if app.crash is not None:
        raise app.crash
    return app.return_code or 0
