"""The help screen: every key of every screen, in one place."""

from __future__ import annotations

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
- *choice*: `1`–`9`, or `↑` `↓` and `enter`, picks
- after answering: `enter` accepts the proposed grade (right 4, close 2, wrong 1,
  empty 0) or a digit sets another
- `u` or `ctrl+z` undo the last answer · `b` bury the card until tomorrow ·
  `s` suspend it · `e` where the card is written (file and line) · `escape` back home

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
A quiz never changes when cards are due.

**Statistics** · `↑` `↓` choose all decks or one; forecast, heatmap, retention, streak.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-panel", classes="panel") as panel:
            panel.border_title = "Help"
            panel.border_subtitle = "escape closes"
            yield Markdown(HELP)
