"""The `quizapp` command line: global options, every command, and no tracebacks for users.

Each command imports what it needs inside its body so that `validate`, `grade` and `export`
never import textual, and the study app never imports genanki.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import click

from quizapp import __version__
from quizapp.context import AppContext
from quizapp.errors import QuizappError
from quizapp.paths import deck_dirs, resolve_db


def _context(ctx: click.Context) -> AppContext:
    obj = ctx.find_object(AppContext)
    assert obj is not None
    return obj


def _warn_missing(folders: Iterable[Path]) -> None:
    for folder in folders:
        if not folder.is_dir():
            click.echo(f"quizapp: warning: deck folder {folder} does not exist", err=True)


def _late_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.obj = replace(_context(ctx), db=resolve_db(value))


def _late_decks(ctx: click.Context, _param: click.Parameter, value: tuple[Path, ...]) -> None:
    if value:
        before = _context(ctx).deck_dirs
        earlier = tuple(ctx.find_root().params.get("decks") or ())
        folders = tuple(deck_dirs((*earlier, *value)))
        _warn_missing(f for f in folders if f not in before)
        ctx.obj = replace(_context(ctx), deck_dirs=folders)


def _global_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--db` and `--decks` also after the command (`quizapp validate --decks DIR`)."""
    command = click.option(
        "--decks",
        "late_decks",
        multiple=True,
        type=click.Path(path_type=Path),
        metavar="DIR",
        expose_value=False,
        callback=_late_decks,
        help="Also load decks from DIR (repeatable); the same as before the command.",
    )(command)
    return click.option(
        "--db",
        "late_db",
        metavar="PATH_OR_URL",
        expose_value=False,
        callback=_late_db,
        help="Progress database; the same as before the command.",
    )(command)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    help="Progress database: a file path or a SQLAlchemy URL. [env: QUIZAPP_DB; default: "
    "quizapp.db in the user data dir]",
)
@click.option(
    "--decks",
    "decks",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Also load decks from DIR (repeatable). [env: QUIZAPP_DECKS, os.pathsep-separated]",
)
@click.option("--new-limit", type=click.IntRange(min=0), help="New cards a deck a day.")
@click.option("--review-limit", type=click.IntRange(min=0), help="Reviews a day.")
@click.option(
    "--rollover-hour", type=click.IntRange(0, 23), help="Hour at which a new study day starts."
)
@click.version_option(__version__, "--version", prog_name="quizapp")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    decks: tuple[Path, ...],
    new_limit: int | None,
    review_limit: int | None,
    rollover_hour: int | None,
) -> None:
    """Spaced-repetition flashcards and command quizzes in the terminal.

    With no command, opens the study app (the same as `quizapp study`).
    """
    overrides = {
        key: value
        for key, value in (
            ("new_per_day", new_limit),
            ("reviews_per_day", review_limit),
            ("rollover_hour", rollover_hour),
        )
        if value is not None
    }
    folders = deck_dirs(decks)
    _warn_missing(folders[2:])
    ctx.obj = AppContext(db=resolve_db(db), deck_dirs=tuple(folders), overrides=overrides)
    if ctx.invoked_subcommand is None:
        ctx.invoke(study)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_global_options
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Check deck files (or folders); with none, every deck quizapp would load.

    Prints FILE:LINE:COLUMN: error|warning: message, then a summary.
    Exit 0: no errors; 1: a deck has errors; 2: a path does not exist.
    """
    from quizapp.deck.validate import run_validate

    ctx.exit(run_validate(list(paths), list(_context(ctx).deck_dirs), sys.stdout))


@cli.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.argument("deck_file", type=click.Path(path_type=Path))
@click.argument("card_id")
@click.argument("answer", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def grade(ctx: click.Context, deck_file: Path, card_id: str, answer: tuple[str, ...]) -> None:
    """Grade ANSWER against a card, as the study screen would.

    CARD_ID#cN names one deletion of a cloze card. A `--` before the answer is the usual
    end of options (`quizapp grade d.yaml c -- -o encrypted`), not part of it.
    Exit 0: right; 1: close or wrong; 2: no such file or card.
    """
    from quizapp.grading.command import run_grade

    words = answer[1:] if answer[:1] == ("--",) else answer
    ctx.exit(run_grade(deck_file, card_id, " ".join(words), sys.stdout))


@cli.command("decks")
@_global_options
@click.pass_context
def decks_command(ctx: click.Context) -> None:
    """List decks with their cards, new, repeats left today and due today."""
    from quizapp.storage.reports import print_decks

    ctx.exit(print_decks(_context(ctx), sys.stdout))


@cli.command()
@click.argument("deck", required=False)
@_global_options
@click.pass_context
def stats(ctx: click.Context, deck: str | None) -> None:
    """Due today, tomorrow, in 7 and 30 days; reviews today; retention; streak."""
    from quizapp.storage.reports import print_stats

    ctx.exit(print_stats(_context(ctx), deck, sys.stdout))


@cli.command()
@click.argument("deck", required=False)
@_global_options
@click.pass_context
def optimize(ctx: click.Context, deck: str | None) -> None:
    """Fit FSRS's parameters to your review log (of DECK, or of all decks) and keep them."""
    from quizapp.storage.optimize import run_optimize

    ctx.exit(run_optimize(_context(ctx), deck, sys.stdout))


@cli.command()
@click.argument("deck", required=False)
@_global_options
@click.pass_context
def study(ctx: click.Context, deck: str | None) -> None:
    """Open the study app (on DECK, if given)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal the app would draw into a pipe and wait for keys forever.
        raise QuizappError(
            "the study app needs a terminal (stdin and stdout are not one); "
            "the other commands work anywhere: quizapp --help",
            2,
        )
    from quizapp.tui.app import run_app

    ctx.exit(run_app(_context(ctx), deck=deck))


@cli.group()
def export() -> None:
    """Export decks to other programs."""


@export.command("anki")
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="The .apkg to write."
)
@click.option(
    "--deck", "deck_ids", multiple=True, metavar="ID", help="Deck to export (repeatable)."
)
@click.option("--with-progress", is_flag=True, help="Carry scheduling and review history along.")
@_global_options
@click.pass_context
def export_anki(
    ctx: click.Context, output: Path, deck_ids: tuple[str, ...], with_progress: bool
) -> None:
    """Write an Anki package (.apkg) of the decks (default: all)."""
    from quizapp.export.command import run_export

    ctx.exit(run_export(_context(ctx), output, list(deck_ids), with_progress, sys.stdout))


@cli.command()
@click.argument("notes", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Deck file to write.")
@click.option("--deck", "deck_id", metavar="ID", help="Deck id (default: from the file name).")
@click.option("--title", help="Deck title (default: the notes' first heading).")
@click.option(
    "--merge",
    type=click.Path(path_type=Path),
    metavar="DECK.yaml",
    help="Keep this deck's cards and edits; add cards only for new material "
    "(written back to DECK.yaml unless -o is given).",
)
def draft(
    notes: Path, output: Path | None, deck_id: str | None, title: str | None, merge: Path | None
) -> None:
    """Draft a deck from Markdown notes, for an author to edit."""
    from quizapp.draft.command import run_draft

    sys.exit(run_draft(notes, output, deck_id, title, merge, sys.stdout))


@cli.command()
@_global_options
@click.pass_context
def backup(ctx: click.Context) -> None:
    """Make a backup of the progress database now."""
    from quizapp.storage.backup import run_backup

    ctx.exit(run_backup(_context(ctx), sys.stdout))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@_global_options
@click.pass_context
def restore(ctx: click.Context, file: Path) -> None:
    """Restore the progress database from FILE (the current one is kept as a backup)."""
    from quizapp.storage.backup import run_restore

    ctx.exit(run_restore(_context(ctx), file, sys.stdout))


def main(argv: list[str] | None = None) -> NoReturn:
    """Console-script entry point: user errors print one line, never a traceback."""
    try:
        result = cli.main(args=argv, prog_name="quizapp", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as problem:
        problem.show()
        sys.exit(problem.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except QuizappError as problem:
        click.echo(f"quizapp: error: {problem.message}", err=True)
        sys.exit(problem.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as bug:
        if os.environ.get("QUIZAPP_DEBUG"):
            raise
        click.echo(
            f"quizapp: internal error: {type(bug).__name__}: {bug}\n"
            "Nothing was lost. Run again with QUIZAPP_DEBUG=1 to see the details.",
            err=True,
        )
        sys.exit(70)
    sys.exit(result if isinstance(result, int) else 0)
