"""Charts drawn with unicode blocks in theme colours: the due forecast and the review heatmap.

Both take plain data (a list of counts, a dict of day -> count) so they are tested and
snapshotted without a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

EIGHTHS = " ▁▂▃▄▅▆▇█"
HEAT_STYLES = (
    "$foreground 12%",
    "$success 35%",
    "$success 55%",
    "$success 78%",
    "$success",
)
WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def heat_level(count: int, busiest: int) -> int:
    """0 for no reviews, else 1-4 by quarter of the busiest day."""
    if count <= 0 or busiest <= 0:
        return 0
    return min(4, 1 + (4 * (count - 1)) // busiest)


def month_labels(first_monday: date, weeks: int) -> list[tuple[int, str]]:
    """(week column, "Mar") for each month that starts in the shown weeks, at its first Monday.

    The first column gets its month's name too, unless that month's next label is too close
    to leave room for it (then the partial month goes unnamed, never a whole one).
    """
    labels: list[tuple[int, str]] = []
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        if week == 0 or monday.day <= 7:
            labels.append((week, monday.strftime("%b")))
    if len(labels) > 1 and labels[0][0] == 0 and labels[1][0] < 2:
        labels.pop(0)  # "Jun" would run into "Jul": name the whole month, not the partial one
    return labels


class ForecastChart(Widget):
    """Cards due on each of the next days, as a bar chart with an axis of day offsets."""

    DEFAULT_CSS = """
    ForecastChart { height: 8; width: 1fr; }
    """

    counts: reactive[tuple[int, ...]] = reactive(tuple, layout=True)

    def __init__(self, counts: Sequence[int] = (), **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(ForecastChart.counts, tuple(counts))

    def render(self) -> RenderResult:
        counts = self.counts
        if not any(counts):
            return Content.styled(f"Nothing due in the next {len(counts)} days.", "$text-muted")
        rows = max(1, self.size.height - 2)
        biggest = max(max(counts), 1)
        label_width = len(str(biggest)) + 1
        column = 2 if self.size.width >= label_width + 2 * len(counts) else 1
        lines: list[Content] = []
        for row in range(rows, 0, -1):
            label = str(biggest) if row == rows else ""
            parts: list[str | tuple[str, str]] = [(label.rjust(label_width), "$text-muted")]
            for count in counts:
                filled = min(8, max(0, round(count * rows * 8 / biggest) - (row - 1) * 8))
                if count and row == 1 and filled == 0:
                    filled = 1  # a day with anything due is never drawn empty
                parts.append((EIGHTHS[filled].ljust(column), "$primary"))
            lines.append(Content.assemble(*parts))
        axis = " " * label_width
        for index, mark in ((0, "today"), (7, "+7"), (14, "+14"), (21, "+21"), (28, "+28")):
            target = label_width + index * column
            if index < len(counts) and len(axis) <= target:
                axis = axis.ljust(target) + mark
        lines.append(Content.styled(axis, "$text-muted"))
        lines.append(
            Content.styled(f"{sum(counts)} due in the next {len(counts)} days", "$text-muted")
        )
        return Content("\n").join(lines)


class Heatmap(Widget):
    """Reviews a day over the last weeks: a column per week, Monday at the top."""

    DEFAULT_CSS = """
    Heatmap { height: 9; width: 1fr; }
    """

    weeks = 26

    def __init__(
        self,
        reviews_per_day: Mapping[date, int] | None = None,
        today: date | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.reviews_per_day: dict[date, int] = dict(reviews_per_day or {})
        self.today = today or date(2000, 1, 1)

    def update(self, reviews_per_day: Mapping[date, int], today: date) -> None:
        self.reviews_per_day = dict(reviews_per_day)
        self.today = today
        self.refresh()

    def render(self) -> RenderResult:
        today = self.today
        this_monday = today - timedelta(days=today.weekday())
        weeks = self.weeks
        # Drop old weeks first when the widget is narrow.
        cell = 2
        if self.size.width and self.size.width < 4 + weeks * cell:
            weeks = max(4, (self.size.width - 4) // cell)
        first_monday = this_monday - timedelta(weeks=weeks - 1)
        busiest = max(self.reviews_per_day.values(), default=0)
        months = "".ljust(4)
        for week, label in month_labels(first_monday, weeks):
            months = months.ljust(4 + week * cell) + label
        lines: list[Content] = [Content.styled(months, "$text-muted")]
        for weekday in range(7):
            parts: list[str | tuple[str, str]] = [(WEEKDAY_LABELS[weekday].ljust(4), "$text-muted")]
            for week in range(weeks):
                day = first_monday + timedelta(weeks=week, days=weekday)
                if day > today:
                    parts.append("  ")
                    continue
                level = heat_level(self.reviews_per_day.get(day, 0), busiest)
                parts.append(("■ ", HEAT_STYLES[level]))
            lines.append(Content.assemble(*parts))
        legend: list[str | tuple[str, str]] = [("    less ", "$text-muted")]
        legend += [("■ ", style) for style in HEAT_STYLES]
        legend.append(("more", "$text-muted"))
        lines.append(Content.assemble(*legend))
        return Content("\n").join(lines)


class DailyBars(Widget):
    """Reviews on each of the last days, oldest at the left and today's bar at the right edge,
    with an axis naming both ends (Textual's Sparkline spreads the days over its whole width,
    so its last bar is not today's)."""

    DEFAULT_CSS = """
    DailyBars { height: 3; width: 1fr; }
    """

    counts: reactive[tuple[int, ...]] = reactive(tuple, layout=True)

    def __init__(self, counts: Sequence[int] = (), **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(DailyBars.counts, tuple(counts))

    def render(self) -> RenderResult:
        counts = self.counts
        if not counts:
            return Content("")
        rows = max(1, self.size.height - 1)
        biggest = max(max(counts), 1)
        column = 2 if self.size.width >= 2 * len(counts) else 1
        lines: list[Content] = []
        for row in range(rows, 0, -1):
            cells: list[str] = []
            for count in counts:
                filled = min(8, max(0, round(count * rows * 8 / biggest) - (row - 1) * 8))
                if count and row == 1 and filled == 0:
                    filled = 1  # a day with any review is never drawn empty
                cells.append(EIGHTHS[filled] * column)
            lines.append(Content.styled("".join(cells), "$success"))
        width = column * len(counts)
        oldest = f"{len(counts) - 1} days ago"
        lines.append(Content.styled(oldest + "today".rjust(width - len(oldest)), "$text-muted"))
        return Content("\n").join(lines)
