"""The help screen: every key of every screen, in one place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# quizapp

**Home** · `enter` study the deck under the cursor · `a` study everything due ·
`z` quiz · `s` statistics · `?` this help · `ctrl+p` command palette · `q` quit

**Study** · one card at a time; the header says where you are (`7 / 32 · 3 to repeat`).

- *basic*: `space` or `enter` shows the back, then grade it `0`–`5`
- *command*: type the command after the `$` prompt, `enter` checks it; the verdict,
  the difference with the closest accepted answer and the explanation follow
- *cloze*: type the missing words, `enter` checks them
- *choice*: the key in brackets (`[1]`–`[9]`), or `↑` `↓` and `enter`, picks; the
  order is shuffled each time the card is shown
- after answering: `enter` accepts the proposed grade (right 4, close 2, wrong 1,
  empty 0) or a digit sets another
- `u` or `ctrl+z`: on an answered card, take the answer back and try again; otherwise
  undo the last graded card · `b` bury the card until tomorrow · `s` suspend it ·
  `e` where the card is written (file and line) · `escape` back home
- in the answer box, `escape` leaves the box (the text stays; `enter` goes back to it);
  going home with an unchecked answer keeps it for when the card comes back
- a key that would answer is ignored for half a second after a new card appears, so an
  extra `enter` or digit meant for the card before never answers this one
- answering one deletion of a cloze card buries its other deletions until tomorrow

| grade | meaning |
|---|---|
| 0 | blackout |
| 1 | wrong, but remembered on seeing it |
| 2 | wrong, but the answer seemed easy |
| 3 | correct with serious difficulty |
| 4 | correct after hesitation |
| 5 | perfect |

Cards graded below 4 come back later in the session until graded 4 or 5.

**Quiz** · pick decks and a count; cards come at random whatever their schedule.
Typed and picked answers are scored; basic cards: reveal, then `y` right or `n` wrong.
Every card then waits for `enter`; `u` takes the answer back; `escape` stops the quiz and
shows the score so far. A quiz never changes when cards are due.

**Statistics** · `↑` `↓` choose all decks or one; forecast, heatmap, retention, streak.
"""


def bindings_table(screens: Sequence[tuple[str, type]]) -> str:
    """The keys of `screens` (name, class: the app's, given by the app) and of this one, with
    their binding ids, which a `[keys]` table in config.toml remaps (docs/settings.md)."""
    rows = ["| screen | keys | does | binding id |", "|---|---|---|---|"]
    for name, screen in (*screens, ("help", HelpScreen)):
        for binding in screen.__dict__.get("BINDINGS", []):
            if not isinstance(binding, Binding) or binding.id is None:
                continue
            keys = ", ".join(f"`{key}`" for key in binding.key.split(","))
            does = binding.description or binding.tooltip or binding.action
            rows.append(f"| {name} | {keys} | {does} | `{binding.id}` |")
    return "\n".join(rows)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, screens: Sequence[tuple[str, type]] = ()) -> None:
        super().__init__()
        self.screens = tuple(screens)
        """The screens whose keys are listed (the app gives them: see `QuizApp.action_help`)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-panel", classes="panel") as panel:
            panel.border_title = "Help"
            panel.border_subtitle = "escape closes"
            yield Markdown(
                HELP + "\n**Keys and their binding ids** · remap any of them in the `[keys]` table"
                ' of config.toml, e.g. `"study.bury" = "x"`.\n\n' + bindings_table(self.screens)
            )
