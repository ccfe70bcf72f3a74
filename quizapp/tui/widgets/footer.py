"""The footer, wrapped onto more rows when its keys do not fit on one, so no key is cut.

Textual's Footer keeps one row and cuts what does not fit: at 80 columns a verdict's "Accept
grade", at 40 the grades, undo and bury. This one measures its keys and, when they are wider
than the terminal, lays them out in a grid of as many rows as it takes (the grade and pick
groups are then left to the grade chips and the choices' [1] [2] keys, which show them).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterLabel

COLUMN_WIDTH = 20
"""Width of a column of keys in the wrapped footer."""


class KeyFooter(Footer):
    DEFAULT_CSS = """
    KeyFooter.-wrapped {
        layout: grid;
        grid-columns: 1fr;
        height: auto;
        max-height: 4;
        FooterKey.-command-palette, KeyGroup {
            display: none;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__(show_command_palette=True)
        self._width: int | None = None

    def one_row_width(self) -> int:
        """Columns the keys take on one row (as Textual's Footer draws them)."""
        width = 0
        groups = set()
        actions = set()
        for _, binding, _, _ in self.screen.active_bindings.values():
            if not binding.show or binding.action in actions:
                continue  # the footer shows one key per action
            actions.add(binding.action)
            key = self.app.get_key_display(binding)
            if binding.group is not None:
                width += len(key)
                if binding.group not in groups:
                    groups.add(binding.group)
                    width += len(binding.group.description) + 3
            else:
                width += len(key) + len(binding.description) + 3
        return width + 12  # the command palette key

    def compose(self) -> ComposeResult:
        width = self.app.size.width
        self._width = width
        wrapped = self._bindings_ready and self.one_row_width() > width
        self.set_class(wrapped, "-wrapped")
        for widget in super().compose():
            if wrapped and isinstance(widget, FooterLabel):
                continue  # a group's label; the group's keys are hidden by the CSS
            yield widget
        if wrapped:
            self.styles.grid_size_columns = max(2, width // COLUMN_WIDTH)
        else:
            self.styles.grid_size_columns = None

    def on_resize(self, event: events.Resize) -> None:
        if self._width is not None and self._width != self.app.size.width:
            self._width = self.app.size.width
            self.call_after_refresh(self.recompose)
