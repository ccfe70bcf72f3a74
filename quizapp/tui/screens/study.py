"""A study session: one card at a time, graded 0-5, with undo, bury and the card's source.

Each answer is committed (on the database thread) before the next card shows; keys pressed
meanwhile wait their turn behind a lock, so nothing races.

No key costs an answer by accident. Like AnkiDroid's double-tap interval (200 ms by default) and
Anki's rule that an answer key only acts on the card whose answer is shown, a key that answers
(enter, space, a digit, y, n) is refused while a card is being stored or replaced (it was meant
for the card before) and for `NEW_CARD_GUARD` seconds after a new card appears (a double press,
or an Enter meant for the verdict before). The same guard holds for every kind of card, in
study and in quiz; typing into the answer box is never refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, HorizontalGroup, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Header, Input, Static

from quizapp.deck.model import ClozeCard
from quizapp.errors import QuizappError
from quizapp.grading import Verdict
from quizapp.scheduling.queue import SUSPENDED_UNTIL, Answer, Candidate, StudySession
from quizapp.tui.backend import Item
from quizapp.tui.jobs import reported
from quizapp.tui.screens.base import NEW_CARD_GUARD, AppScreen
from quizapp.tui.text import display_path, plain
from quizapp.tui.widgets.cards import CardView, ChoiceView, view_for
from quizapp.tui.widgets.footer import KeyFooter
from quizapp.tui.widgets.keybar import GRADE_CHOICES, KeyBar

if TYPE_CHECKING:
    pass

ANSWER_KEYS = frozenset({"enter", "space", "y", "n", *"0123456789"})
"""Keys that answer, grade or pick: the ones the guard refuses (by key, whatever the keymap)."""

GRADE_GROUP = Binding.Group("grade", compact=True)


def answer_box_bindings(screen: str) -> list[BindingType]:
    """Enter and escape while the cursor is in the answer box, shown in the footer there.

    A screen's bindings for a key replace its base class's, so each screen lists these first.
    """
    return [
        # The box's own Enter binding is hidden: this one says what Enter does there.
        Binding("enter", "check", "Check", id=f"{screen}.check", priority=True),
        Binding(
            "escape",
            "leave_box",
            "Leave box",
            id=f"{screen}.leave-box",
            tooltip="Leave the answer box (the text stays); then b, e and u work",
        ),
        Binding(
            "enter", "answer_box", "Answer", id=f"{screen}.answer-box", tooltip="Back to the answer"
        ),
    ]


PICK_GROUP = Binding.Group("pick", compact=True)


@dataclass(frozen=True, slots=True)
class SessionTally:
    """What the summary reports: cards studied, answers, right answers (graded 3+), time."""

    cards: int
    answers: int
    right: int
    seconds: float

    @classmethod
    def of(cls, log: list[tuple[Candidate, int]], seconds: float) -> SessionTally:
        return cls(
            cards=len({candidate.key for candidate, _ in log}),
            answers=len(log),
            right=sum(1 for _, grade in log if grade >= 3),
            seconds=seconds,
        )


def draft_key(item: Item) -> tuple[str, str]:
    """Which item a kept, unchecked answer belongs to."""
    return (item.deck.id, item.item_id)


def source_of(item: Item) -> str:
    """`decks/docker.yaml:42`: where to fix the card."""
    path = display_path(item.deck.path) if item.deck.path is not None else item.deck.id
    return f"{path}:{item.card.line}" if item.card.line else str(path)


class CardScreen(AppScreen[None]):
    """What study and quiz share: the header, a centred card panel and serialised actions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "scroll_card(-1)", "Scroll up", show=False, id="card.page-up"),
        Binding("pagedown", "scroll_card(1)", "Scroll down", show=False, id="card.page-down"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.deck_title = title
        self.item: Item | None = None
        self.view: CardView | None = None
        self.shown_at = 0.0
        self.answered_at = 0.0
        self.showings = 0
        """Cards shown so far: each showing shuffles a choice card anew."""
        self._lock = asyncio.Lock()
        self._pending = 0
        """Jobs queued or running: while any is, the card on screen is about to change."""
        self.key_at: float | None = None
        """When the last answering key was let through (the answer's time, if it answered)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="session"):
            with Center(id="session-top"), HorizontalGroup(id="session-heading"):
                yield Static(plain(self.deck_title), id="deck-title", markup=False)
                yield Static(id="progress")
            with VerticalScroll(id="panel-scroll"), Center():
                yield Vertical(id="card-panel")
            with Vertical(id="session-bottom"):
                with Center():
                    yield from self.compose_bar()
                with Center():
                    yield Static(id="hint")
        yield KeyFooter()

    def compose_bar(self) -> ComposeResult:
        yield from ()

    def serial(self, job: Callable[[], Awaitable[None]]) -> None:
        """Run `job` in a worker, after any job still running (keys keep their order)."""

        async def run() -> None:
            try:
                async with self._lock:
                    # Nothing is lost on failure: an answer that failed to save was not counted.
                    await reported(self, job())
            finally:
                self._pending -= 1

        self._pending += 1
        self.run_worker(run(), group="session")

    def refuses_key(self, key: str) -> bool:
        """Whether `key` must be dropped: it answers, and the learner cannot have meant it for
        the card on screen (the app asks before any binding or widget sees the key)."""
        if key not in ANSWER_KEYS:
            return False
        if isinstance(self.focused, Input) and key != "enter":
            return False  # typing the answer
        if self._pending:
            return True  # the card is being stored or replaced: the key was for the one before
        if self.view is None:
            return False
        self.key_at = self.quiz_app.clock()
        return self.key_at - self.shown_at < NEW_CARD_GUARD

    async def show_item(self, item: Item, seed: int) -> None:
        panel = self.query_one("#card-panel")
        await panel.remove_children()
        self.item = item
        self.showings += 1
        self.view = view_for(item.card, item.cloze_number, seed + 7919 * self.showings)
        kind = str(item.card.kind)
        if item.cloze_number is not None:
            kind += f" c{item.cloze_number}"
        panel.border_title = Content(kind)
        panel.border_subtitle = plain(item.card.section) if item.card.section else None
        await panel.mount(self.view)
        kept = self.quiz_app.drafts.pop(draft_key(item), None)
        if kept is not None and self.view.query(Input):
            self.view.query_one(Input).value = kept
        self.view.focus_answer()
        self.query_one("#panel-scroll").scroll_home(animate=False)
        self.shown_at = self.view.shown_at = self.quiz_app.clock()
        self.key_at = None
        if self.quiz_app.first_card_after is None:
            self.quiz_app.first_card_after = self.shown_at - self.quiz_app.started

    async def clear_panel(self) -> None:
        await self.query_one("#card-panel").remove_children()
        self.item = None
        self.view = None

    def ask_hint(self) -> Content:
        from quizapp.tui.widgets.cards import BasicView

        if isinstance(self.view, BasicView):
            return Content.styled("space or enter: show the answer", "$text-muted")
        if isinstance(self.view, ChoiceView):
            keys = f"1-{len(self.view.order)}" if len(self.view.order) <= 9 else "1-9"
            return Content.styled(f"[{keys}] or ↑↓ enter: pick", "$text-muted")  # fits 40 columns
        return Content.styled("enter: check · escape: leave box", "$text-muted")

    def set_hint(self, text: Content | str) -> None:
        self.query_one("#hint", Static).update(text)

    def on_card_view_answered(self, event: CardView.Answered) -> None:
        key_at = self.key_at
        self.answered_at = key_at if key_at is not None else self.quiz_app.clock()
        self.set_focus(None)
        self.after_answer(event)
        self.refresh_bindings()
        # A long card: bring the verdict into view without hiding more of the question than needed.
        self.call_after_refresh(self._bring_into_view, event.view.query_one(".outcome"))

    def _bring_into_view(self, outcome: Widget, tries: int = 5) -> None:
        """Scroll the verdict into view; again after the next few refreshes, as the verdict,
        the explanation and the hints may take more than one layout to reach their size."""
        self.query_one("#panel-scroll").scroll_to_widget(outcome, animate=False, top=False)
        if tries > 0:
            self.call_after_refresh(self._bring_into_view, outcome, tries - 1)

    def action_scroll_card(self, direction: int) -> None:
        scroll = self.query_one("#panel-scroll", VerticalScroll)
        if direction < 0:
            scroll.scroll_page_up(animate=False)
        else:
            scroll.scroll_page_down(animate=False)

    def after_answer(self, event: CardView.Answered) -> None:
        """Show what comes next (grades, right/wrong) once the card is answered."""

    @property
    def asking(self) -> bool:
        return self.view is not None and not self.view.answered

    @property
    def answered(self) -> bool:
        return self.view is not None and self.view.answered

    def action_reveal(self) -> None:
        from quizapp.tui.widgets.cards import BasicView

        if isinstance(self.view, BasicView) and not self.view.answered:
            self.view.reveal()

    def action_answer_box(self) -> None:
        if self.asking and self.view is not None:
            self.view.focus_answer()
            self.set_hint(self.ask_hint())
            self.refresh_bindings()

    def action_pick(self, number: int) -> None:
        if isinstance(self.view, ChoiceView):
            self.view.pick(number)

    def action_source(self) -> None:
        if self.item is None:
            return
        where = source_of(self.item)
        self.notify(
            # Content, not markup: the path and the id are shown as they are. Textual renders
            # a Content message (its toast reads it with Content.from_markup), though its
            # notify is annotated for str.
            Content.assemble(where, ("\ncard ", "$text-muted"), self.item.card.id),  # type: ignore[arg-type]
            title="This card is at",
            timeout=8,
        )

    @property
    def in_answer_box(self) -> bool:
        return isinstance(self.focused, Input) and self.asking

    def action_check(self) -> None:
        box = self.focused
        if isinstance(box, Input) and self.asking:
            # This priority binding runs when Enter reaches the app, before keys typed just
            # ahead of it (a paste, a fast typist) reach the box: submit from the box's own
            # queue, after them, or the answer is graded short or empty.
            box.call_later(box.action_submit)

    def action_leave_box(self) -> None:
        """Escape in the answer box: leave it (so b, e, u work), the typed text stays."""
        self.set_focus(None)
        self.set_hint(Content.styled("enter: back to the answer · escape: home", "$text-muted"))
        self.refresh_bindings()

    def action_leave(self) -> None:
        """Back home; an answer typed and not checked is kept for when the card comes back."""
        draft = self.view.draft if self.view is not None and self.asking else ""
        if self.item is not None and draft.strip():
            self.quiz_app.drafts[draft_key(self.item)] = draft
            self.notify(
                "Your typed answer is kept: it is in the box when this card comes up again.",
                timeout=5,
            )
        self.leave()

    def leave(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from quizapp.tui.widgets.cards import BasicView

        if action == "reveal":
            return self.asking and isinstance(self.view, BasicView)
        if action == "answer_box":
            return self.asking and not isinstance(self.view, BasicView) and self.focused is None
        if action == "check":
            return self.in_answer_box
        if action == "leave_box":
            return self.in_answer_box
        if action in ("undo", "undo_answer", "bury", "source") and self.in_answer_box:
            return False  # these letters are typed into the answer there
        if action == "pick":
            if not isinstance(self.view, ChoiceView) or self.view.answered:
                return False
            number = parameters[0] if parameters else 0
            assert isinstance(number, int)
            return number <= len(self.view.order)
        if action == "source":
            return self.item is not None
        return True


class StudyScreen(CardScreen):
    """Today's queue for some decks (or all), SM-2 graded."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *answer_box_bindings("study"),
        Binding(
            "space,enter",
            "reveal",
            "Show answer",
            id="study.reveal",
            tooltip="Show the back of the card",
        ),
        Binding(
            "enter", "accept", "Accept grade", id="study.accept", tooltip="Take the proposed grade"
        ),
        *(
            Binding(
                str(choice.value),
                f"grade({choice.value})",
                choice.label,
                id=f"study.grade-{choice.value}",
                group=GRADE_GROUP,
                tooltip=choice.tooltip,
            )
            for choice in GRADE_CHOICES
        ),
        *(
            Binding(
                str(n),
                f"pick({n})",
                "pick",
                id=f"study.pick-{n}",
                group=PICK_GROUP,
                tooltip=f"Pick choice {n}",
            )
            for n in range(1, 10)
        ),
        Binding(
            "u,ctrl+z",
            "undo_answer",
            "Undo answer",
            id="study.undo-answer",
            tooltip="Take back the answer on screen and ask this card again",
        ),
        Binding(
            "u,ctrl+z",
            "undo",
            "Undo last",
            id="study.undo",
            tooltip="Undo the last graded card (or bury)",
        ),
        Binding("b", "bury", "Bury", id="study.bury", tooltip="Hide this card until tomorrow"),
        Binding(
            "s",
            "suspend",
            "Suspend",
            id="study.suspend",
            tooltip="Leave this card out of study (for good)",
            show=False,
        ),
        Binding(
            "e",
            "source",
            "Source",
            id="study.source",
            tooltip="Where this card is written (file and line)",
        ),
        Binding("escape", "leave", "Home", id="study.home", tooltip="Back to the decks"),
    ]

    def __init__(self, deck_ids: list[str] | None, title: str) -> None:
        super().__init__(title)
        self.deck_ids = deck_ids
        self.session: StudySession | None = None
        self.proposed: int | None = None
        self.intervals = ""
        """Each grade's next interval for the current card (`Backend.preview`)."""
        self.review_ids: list[int] = []
        self.buried_siblings: list[tuple[Candidate, ...]] = []
        """For each answer (as `review_ids`), the siblings it buried until tomorrow."""
        self.answer_log: list[tuple[Candidate, int]] = []
        self.started = 0.0
        self.finished = False
        self.ready = asyncio.Event()
        """Set once the first card (or the summary) is on its way to the screen."""

    def compose_bar(self) -> ComposeResult:
        yield KeyBar(GRADE_CHOICES, id="grades")

    def on_mount(self) -> None:
        self.query_one("#grades").display = False
        self.started = self.quiz_app.clock()
        self.serial(self.start)

    async def start(self) -> None:
        app = self.quiz_app
        try:
            queue, repeats = await app.backend.queue(self.deck_ids, app.today, app.seed)
            self.session = StudySession(queue, repeats)
            await self.show_current()
        finally:
            self.ready.set()

    async def show_current(self) -> None:
        session = self.session
        assert session is not None
        self.proposed = None
        self.query_one("#grades").display = False
        while (candidate := session.current) is not None:
            item = self.quiz_app.backend.item(candidate)
            if item is None:
                session.discard()  # its card left the deck file since the queue was built
            elif not await self.quiz_app.backend.still_due(
                candidate, self.quiz_app.today, repeat=session.current_is_repeat
            ):
                session.discard()  # answered meanwhile in another quizapp (another terminal)
            else:
                break
        self.update_progress()
        if candidate is None or item is None:  # no card left
            await self.finish()
            return
        if self.deck_ids is None:
            self.query_one("#deck-title", Static).update(plain(item.deck.title))
        self.intervals = ""
        await self.show_item(item, self.quiz_app.seed)
        self.set_hint(self.ask_hint())
        # After the card is up: the first card never waits for this (it opens the store).
        self.intervals = await self.quiz_app.backend.preview(
            candidate, self.quiz_app.now(), self.quiz_app.today, session.current_is_repeat
        )
        self.refresh_bindings()

    def update_progress(self) -> None:
        session = self.session
        if session is None:
            return
        text = f"  {session.position} / {session.total}"
        if session.repeats_pending:
            text += f" · {session.repeats_pending} to repeat"
        self.query_one("#progress", Static).update(Content.styled(text, "$text-muted"))

    def after_answer(self, event: CardView.Answered) -> None:
        self.proposed = event.result.proposed_grade if event.result else None
        grades = self.query_one("#grades", KeyBar)
        grades.highlighted = self.proposed
        grades.display = True
        hint = "grade it: 0-5"
        if self.proposed is not None:
            hint = f"enter: accept {self.proposed} · or grade 0-5"
        if self.intervals:
            hint += "\n" + self.intervals  # each grade's next interval, as Anki's buttons
        self.set_hint(Content.styled(hint, "$text-muted"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("undo", "undo_answer", "bury") and self.in_answer_box:
            return False  # these letters are typed into the answer there
        if action == "accept":
            return self.answered and self.proposed is not None
        if action == "grade":
            return self.answered
        if action == "undo_answer":
            return self.answered
        if action == "undo":
            return not self.answered and self.session is not None and self.session.can_undo
        if action == "bury":
            return self.session is not None and self.item is not None
        return super().check_action(action, parameters)

    def sibling_items(self, candidate: Candidate) -> tuple[Candidate, ...]:
        """The other deletions of an answered cloze, to bury until tomorrow (as Anki buries
        siblings); those answered today already (pending repeats) are left alone."""
        item = self.quiz_app.backend.item(candidate)
        if item is None or not isinstance(item.card, ClozeCard):
            return ()
        siblings = (
            Candidate(candidate.deck_id, f"{item.card.id}#c{number}", None, candidate.order)
            for number in item.card.numbers
            if number != item.cloze_number
        )
        return tuple(c for c in siblings if self.session and not self.session.answered_today(c.key))

    def on_key_bar_picked(self, event: KeyBar.Picked) -> None:
        self.action_grade(event.value)

    def action_accept(self) -> None:
        if self.proposed is not None:
            self.action_grade(self.proposed)

    def action_grade(self, grade: int) -> None:
        async def grade_it() -> None:
            if not self.answered or self.session is None or self.view is None:
                return
            candidate = self.session.current
            if candidate is None:
                return
            view = self.view
            app = self.quiz_app
            if view.result is not None:
                correct: bool | None = view.result.verdict is Verdict.RIGHT
            else:
                correct = grade >= 3
            record = await app.backend.record(
                candidate,
                grade=grade,
                typed=view.typed,
                correct=correct,
                duration_ms=max(0, round((self.answered_at - self.shown_at) * 1000)),
                now=app.now(),
                today=app.today,
                repeat=self.session.current_is_repeat,
            )
            self.session.answer(grade, comes_back=getattr(record, "comes_back", None))
            self.review_ids.append(record.review_id)
            self.answer_log.append((candidate, grade))
            siblings = self.sibling_items(candidate)
            tomorrow = app.today + timedelta(days=1)
            for sibling in siblings:
                await app.backend.bury(sibling, tomorrow)
            self.buried_siblings.append(siblings)
            await self.show_current()

        self.serial(grade_it)

    def action_undo_answer(self) -> None:
        """`u` on a verdict: nothing was stored yet; the same card is asked again, fresh."""

        async def again() -> None:
            if self.answered and self.session is not None:
                await self.show_current()

        self.serial(again)

    def action_undo(self) -> None:
        async def undo_it() -> None:
            if self.session is None:
                return
            step = self.session.last_step
            if step is None:
                return
            if isinstance(step, Answer):
                try:
                    await self.quiz_app.backend.undo(self.review_ids[-1], step.candidate.deck_id)
                except QuizappError as refusal:
                    # Refused (another terminal answered the card since): the screen and the
                    # session stay exactly as they are.
                    self.notify(
                        str(refusal),
                        title="Not undone",
                        severity="warning",
                        markup=False,
                        timeout=6,
                    )
                    return
                self.session.undo()
                self.review_ids.pop()
                self.answer_log.pop()
                for sibling in self.buried_siblings.pop():
                    await self.quiz_app.backend.bury(sibling, self.quiz_app.today)
                self.notify("The last answer was undone.", timeout=3)
            else:
                await self.quiz_app.backend.bury(step.candidate, self.quiz_app.today)
                self.session.undo()
                self.notify("The card is back.", timeout=3)
            self.finished = False
            await self.show_current()

        self.serial(undo_it)

    def action_bury(self) -> None:
        async def bury_it() -> None:
            if self.session is None or self.session.current is None:
                return
            candidate = self.session.current
            await self.quiz_app.backend.bury(candidate, self.quiz_app.today + timedelta(days=1))
            self.session.bury()
            self.notify("Buried until tomorrow. u brings it back.", timeout=3)
            await self.show_current()

        self.serial(bury_it)

    def action_suspend(self) -> None:
        async def suspend_it() -> None:
            if self.session is None or self.session.current is None:
                return
            candidate = self.session.current
            await self.quiz_app.backend.bury(candidate, SUSPENDED_UNTIL)
            self.session.bury()
            self.notify("Suspended: it stays out of study. u brings it back.", timeout=3)
            await self.show_current()

        self.serial(suspend_it)

    async def finish(self) -> None:
        from quizapp.tui.screens.summary import SummaryScreen

        if self.finished:
            return
        self.finished = True
        await self.clear_panel()
        app = self.quiz_app
        deck_id = self.deck_ids[0] if self.deck_ids and len(self.deck_ids) == 1 else None
        stats = await app.backend.stats(app.today, deck_id)
        tally = SessionTally.of(self.answer_log, app.clock() - self.started)
        app.switch_screen(SummaryScreen(self.deck_title, tally, stats.due_tomorrow))
