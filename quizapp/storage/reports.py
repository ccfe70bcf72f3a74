"""`quizapp decks` and `quizapp stats`: progress reports printed from the store.

"Today" is read from the clock once, here, and passed down to everything else.
"""

from __future__ import annotations

from typing import TextIO

from quizapp.context import AppContext
from quizapp.deck.model import find_deck
from quizapp.scheduling.day import study_day
from quizapp.scheduling.tags import item_filter
from quizapp.storage.appdata import AppData, load_app_data
from quizapp.storage.fsrs_schedule import with_fsrs_counts
from quizapp.storage.fsrs_store import predicted_retention
from quizapp.storage.repository import (
    DeckSummary,
    deck_summaries,
    stats,
    study_reviews_today,
    suspended_counts,
    utc_now,
)
from quizapp.textsafe import visible


def _skipped(app: AppData) -> str | None:
    failed = [result for result in app.results if result.deck is None]
    if not failed:
        return None
    files = ", ".join(str(result.path) for result in failed)
    return (
        f"{len(failed)} deck file(s) with errors were left out: {files} "
        "(run `quizapp validate` to see why)"
    )


def print_decks(ctx: AppContext, out: TextIO) -> int:
    """A table of the loaded decks: cards, new, repeats left today, due today, and a total.

    Exit status 1 when deck files were left out because of errors (named after the table).
    """
    app = load_app_data(ctx)
    tag_filter = app.settings.tag_filter
    keep = item_filter(app.decks, tag_filter)
    with app.store:
        today = study_day(utc_now(), app.settings.rollover_hour)
        summaries = deck_summaries(app.store, today, app.settings, keep)
        if any(app.settings.scheduler_for(d.id) == "fsrs" for d in app.decks):
            summaries = app.store.read_dbapi(
                lambda conn: with_fsrs_counts(conn, summaries, app.settings, today)
            )
        suspended = suspended_counts(app.store)
        reviews_left = max(0, app.settings.reviews_per_day - study_reviews_today(app.store, today))
    order = {deck.id: i for i, deck in enumerate(app.decks)}
    summaries = [s for s in summaries if s.deck_id in order]
    summaries.sort(key=lambda s: order[s.deck_id])
    if not summaries:
        out.write("No decks. Add deck files to a decks folder, or give one with --decks DIR.\n")
    else:
        _write_table(out, summaries, reviews_left)
        out.write(
            "New: new cards for today (under the daily limit). Repeats: cards graded below 4 "
            "today, to see again. Due: reviews due today.\n"
        )
        cards = sum(len(deck.cards) for deck in app.decks)
        items = sum(s.cards for s in summaries)
        if tag_filter.active:
            out.write(f"Counting only cards {visible(tag_filter.describe())}.\n")
        elif items != cards:
            out.write(
                f"Cards counts what you study: each deletion of a cloze card is one, so the "
                f"{cards} cards `quizapp validate` counts are {items} here.\n"
            )
        flagged = [s for s in summaries if suspended.get(s.deck_id)]
        if flagged:
            listing = ", ".join(f"{visible(s.title)} {suspended[s.deck_id]}" for s in flagged)
            out.write(f"Suspended (left out of study): {listing}.\n")
    note = _skipped(app)
    if note:
        out.write(note + "\n")
        return 1
    return 0


_COLUMNS = (
    ("Cards", "cards"),
    ("New", "new"),
    ("Repeats", "repeats"),
    ("Due", "due"),
    ("Today", "total_today"),
)


def _printable(text: str) -> str:
    """Deck text is data: each control character (newline, ESC) is shown as its stand-in."""
    return visible(text)


def _totals(summaries: list[DeckSummary], reviews_left: int) -> dict[str, int]:
    """The Total row: what studying every deck at once gives today.

    Each deck's row is capped by the daily review limit on its own, so the plain sums could
    promise more than the limit allows in all: studying all decks takes due reviews first, then
    new cards, together within the `reviews_left` of today's limit; repeats are never capped.
    """
    sums = {attr: sum(getattr(s, attr) for s in summaries) for _, attr in _COLUMNS}
    due = min(sums["due"], reviews_left)
    new = min(sums["new"], reviews_left - due)
    return sums | {"due": due, "new": new, "total_today": due + new + sums["repeats"]}


def _write_table(out: TextIO, summaries: list[DeckSummary], reviews_left: int) -> None:
    """Plain aligned columns: readable in a terminal, in a pipe and in a test."""
    rows = [
        [s.deck_id, _printable(s.title), *(str(getattr(s, attr)) for _, attr in _COLUMNS)]
        for s in summaries
    ]
    total = _totals(summaries, reviews_left)
    totals = [str(total[attr]) for _, attr in _COLUMNS]
    header = ["Deck", "Title", *(name for name, _ in _COLUMNS)]
    footer = ["Total", "", *totals]
    widths = [max(len(row[i]) for row in [header, *rows, footer]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        left = [cells[i].ljust(widths[i]) for i in (0, 1)]
        right = [cells[i].rjust(widths[i]) for i in range(2, len(cells))]
        return "  ".join(left + right).rstrip() + "\n"

    out.write(line(header))
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write(line(row))
    out.write("  ".join("-" * w for w in widths) + "\n")
    out.write(line(footer))


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def print_stats(ctx: AppContext, deck: str | None, out: TextIO) -> int:
    """Due today/tomorrow/within 7 and 30 days, reviews today, 30-day retention, streak.

    An unknown DECK raises QuizappError with exit code 2 (the CLI prints the message).
    """
    app = load_app_data(ctx)
    if deck is not None:
        named = find_deck(app.decks, deck)  # an id or a title, as for `quizapp study`
        if named is not None:
            deck = named.id
    with app.store:
        now = utc_now()
        today = study_day(now, app.settings.rollover_hour)
        result = stats(app.store, today, deck, app.settings)
        shown = [d.id for d in app.decks] if deck is None else [deck]
        predicted = predicted_retention(app.store, shown, app.settings, now)
    titles = {d.id: d.title for d in app.decks}
    heading = "All decks" if deck is None else f"{deck}: {_printable(titles.get(deck, deck))}"
    retention = _percent(result.retention_30_days)
    if result.retention_30_days is not None:
        retention += f" of {result.reviews_30_days} reviews"
    streak = f"{result.streak} day" + ("" if result.streak == 1 else "s")
    lines = [
        (f"{heading} - study day {today.isoformat()}", None),
        ("Due today", str(result.due_today)),
        ("Due by tomorrow", str(result.due_tomorrow)),
        ("Due within 7 days", str(result.due_7_days)),
        ("Due within 30 days", str(result.due_30_days)),
        ("Reviews today", str(result.reviews_today)),
        ("Retention, 30 days", retention),
        ("Streak", streak),
    ]
    if predicted is not None:
        lines.append(("Predicted retention", f"{_percent(predicted)} today (FSRS)"))
    for label, value in lines:
        out.write(label + "\n" if value is None else f"  {label + ':':<21}{value}\n")
    return 0
