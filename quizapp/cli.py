"""The `quizapp` command line: global options, every command, and no tracebacks for users.

Each command imports what it needs inside its body so that `validate`, `grade` and `export`
never import textual, and the study app never imports the export.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from quizapp import __version__
from quizapp.context import AppContext
from quizapp.errors import QuizappError
from quizapp.files import check_database_path, describe, output_problem
from quizapp.paths import db_file, deck_dirs, new_db_note, resolve_db
from quizapp.textsafe import VisibleWriter, shown, visible


def _context(ctx: click.Context) -> AppContext:
    obj = ctx.find_object(AppContext)
    assert obj is not None
    return obj


def _store_context(ctx: click.Context) -> AppContext:
    """The context of a command that opens the progress database and reads the local time:
    both are checked first, so a FIFO as --db or a TZ of UTC+25 is one clear line."""
    obj = _context(ctx)
    check_database_path(obj.db)
    try:
        datetime.now().astimezone()
    except (ValueError, OverflowError, OSError) as error:
        reason = (
            "its offset from UTC must be less than 24 hours"
            if "timedelta" in str(error)
            else str(error)
        )
        raise QuizappError(
            f"the time zone TZ={shown(os.environ.get('TZ', ''))} cannot be used: {reason}; "
            "unset TZ or set it to a zone such as Europe/Berlin",
            2,
        ) from None
    return obj


def _check_output(output: Path, db: str, *, kind: str, replaces: str) -> None:
    """Refuse an -o that would overwrite progress or a file it should not (`files`)."""
    problem = output_problem(output, db, kind=kind, replaces=replaces)
    if problem is not None:
        raise QuizappError(problem, 2)


def _warn_missing(folders: Iterable[Path]) -> None:
    for folder in folders:
        if not folder.is_dir():
            try:
                what = f"is {describe(folder.stat().st_mode)}, not a folder"
            except OSError:
                what = "does not exist"
            click.echo(f"quizapp: warning: deck folder {shown(folder)} {what}", err=True)


def _watch_new_db(ctx: click.Context, db: str) -> None:
    """Note whether `db` is missing now; once the command is done, say if it was created."""
    root = ctx.find_root()
    file = db_file(db)
    root.meta["quizapp.db"] = (file, file is not None and not file.exists())
    if "quizapp.db_hook" in root.meta:
        return
    root.meta["quizapp.db_hook"] = True

    def report() -> None:
        file, missing = root.meta["quizapp.db"]
        if missing and file is not None and file.exists() and not root.meta.get("quizapp.tui"):
            _NOTES.append(f"quizapp: note: {new_db_note(file)}")

    root.call_on_close(report)


_NOTES: list[str] = []
"""Said after the command's own output and any error (`main` prints them last)."""


def _late_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.obj = replace(_context(ctx), db=resolve_db(value))
        _watch_new_db(ctx, ctx.obj.db)


def _late_decks(ctx: click.Context, _param: click.Parameter, value: tuple[Path, ...]) -> None:
    if value:
        before = _context(ctx).deck_dirs
        earlier = tuple(ctx.find_root().params.get("decks") or ())
        folders = tuple(deck_dirs((*earlier, *value)))
        _warn_missing(f for f in folders if f not in before)
        ctx.obj = replace(_context(ctx), deck_dirs=folders)


def _tag_overrides(
    overrides: dict[str, int | tuple[str, ...]], tags: Iterable[str], without: Iterable[str]
) -> dict[str, int | tuple[str, ...]]:
    """`overrides` with the command line's tag filter, which replaces `[study]`'s whole."""
    tags, without = tuple(tags), tuple(without)
    if not (tags or without):
        return overrides
    before_tags = overrides.get("tags", ())
    before_without = overrides.get("without_tags", ())
    assert isinstance(before_tags, tuple) and isinstance(before_without, tuple)
    return {**overrides, "tags": before_tags + tags, "without_tags": before_without + without}


def _late_tag(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> None:
    if value:
        obj = _context(ctx)
        tags, without = (value, ()) if param.name == "late_tag" else ((), value)
        ctx.obj = replace(obj, overrides=_tag_overrides(obj.overrides, tags, without))


_TAG_HELP = (
    "Only cards tagged TAG in study, counts and quizzes (repeatable: any of them); commands "
    "that do not study ignore it. [config: [study] tags]"
)
_WITHOUT_TAG_HELP = (
    "Leave cards tagged TAG out of study, counts and quizzes (repeatable); their progress is "
    "kept; commands that do not study ignore it. [config: [study] without_tags]"
)


def _global_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--db`, `--decks` and the tag filter also after the command (`quizapp validate
    --decks DIR`, `quizapp study --without-tag beyond-notes`)."""
    for name, flag, text in (
        ("late_without_tag", "--without-tag", _WITHOUT_TAG_HELP),
        ("late_tag", "--tag", _TAG_HELP),
    ):
        command = click.option(
            flag,
            name,
            multiple=True,
            metavar="TAG",
            expose_value=False,
            callback=_late_tag,
            help=text,
        )(command)
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
@click.option("--tag", "tags", multiple=True, metavar="TAG", help=_TAG_HELP)
@click.option("--without-tag", "without_tags", multiple=True, metavar="TAG", help=_WITHOUT_TAG_HELP)
@click.version_option(__version__, "--version", prog_name="quizapp")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    decks: tuple[Path, ...],
    new_limit: int | None,
    review_limit: int | None,
    rollover_hour: int | None,
    tags: tuple[str, ...],
    without_tags: tuple[str, ...],
) -> None:
    """Spaced-repetition flashcards and command quizzes in the terminal.

    With no command, opens the study app (the same as `quizapp study`).
    """
    overrides: dict[str, int | tuple[str, ...]] = {
        key: value
        for key, value in (
            ("new_per_day", new_limit),
            ("reviews_per_day", review_limit),
            ("rollover_hour", rollover_hour),
        )
        if value is not None
    }
    overrides = _tag_overrides(overrides, tags, without_tags)
    folders = deck_dirs(decks)
    _warn_missing(folders[2:])
    ctx.obj = AppContext(db=resolve_db(db), deck_dirs=tuple(folders), overrides=overrides)
    _watch_new_db(ctx, ctx.obj.db)
    if ctx.invoked_subcommand is None:
        ctx.invoke(study)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_global_options
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Check deck files, CLI models (*.cli.toml) or folders; with none, every deck quizapp
    would load.

    Prints FILE:LINE:COLUMN: error|warning: message, then a summary.
    Exit 0: no errors; 1: a deck has errors; 2: a path does not exist.
    """
    from quizapp.commands.validate import run_validate

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
    from quizapp.commands.grade import run_grade
    from quizapp.deck.sources import MODEL_SUFFIX
    from quizapp.deckfiles import load_cli_models

    words = answer[1:] if answer[:1] == ("--",) else answer
    models, reports = load_cli_models(sorted(deck_file.parent.glob("*" + MODEL_SUFFIX)))
    for report in reports:  # a broken model is left out: say so, or its program's answers
        for problem in report.problems:  # are read by POSIX conventions without a word
            click.echo(f"{problem} (this CLI model is left out)", err=True)
    ctx.exit(run_grade(deck_file, card_id, " ".join(words), sys.stdout, models=models))


@cli.command("decks")
@_global_options
@click.pass_context
def decks_command(ctx: click.Context) -> None:
    """List decks with their cards, new, repeats left today and due today."""
    from quizapp.storage.reports import print_decks

    ctx.exit(print_decks(_store_context(ctx), sys.stdout))


@cli.command()
@click.argument("deck", required=False)
@_global_options
@click.pass_context
def stats(ctx: click.Context, deck: str | None) -> None:
    """Due today, tomorrow, in 7 and 30 days; reviews today; retention; streak."""
    from quizapp.storage.reports import print_stats

    ctx.exit(print_stats(_store_context(ctx), deck, sys.stdout))


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

    ctx.find_root().meta["quizapp.tui"] = True  # the app says it on screen
    ctx.exit(run_app(_store_context(ctx), deck=deck))


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

    obj = _store_context(ctx)
    _check_output(output, obj.db, kind="an Anki package", replaces="apkg")
    ctx.exit(run_export(obj, output, list(deck_ids), with_progress, sys.stdout))


@cli.group("import")
def import_group() -> None:
    """Import decks (and progress) from other programs."""


@import_group.command("anki")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Folder to write the decks into (one YAML file per Anki deck, media under DIR/media).",
)
@click.option(
    "--deck",
    "deck_names",
    multiple=True,
    metavar="NAME",
    help="Anki deck to import, with its subdecks (repeatable; default: all).",
)
@click.option(
    "--with-progress", is_flag=True, help="Bring scheduling and review history into the database."
)
@_global_options
@click.pass_context
def import_anki(
    ctx: click.Context, file: Path, output: Path, deck_names: tuple[str, ...], with_progress: bool
) -> None:
    """Import an Anki package (.apkg or .colpkg) as YAML decks into DIR."""
    from quizapp.ankiimport.command import run_import

    ctx.exit(run_import(_context(ctx), file, output, list(deck_names), with_progress, sys.stdout))


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
@click.option("--force", is_flag=True, help="Replace the -o file if it exists.")
@click.pass_context
def draft(
    ctx: click.Context,
    notes: Path,
    output: Path | None,
    deck_id: str | None,
    title: str | None,
    merge: Path | None,
    force: bool,
) -> None:
    """Draft a deck from Markdown notes, for an author to edit."""
    from quizapp.commands.draft import run_draft

    if output is not None:
        # `--merge DECK -o DECK` writes the merged deck back: that file may be replaced.
        merging_into = merge is not None and os.path.realpath(merge) == os.path.realpath(output)
        replaces = "any" if force or merging_into else "none"
        _check_output(output, _context(ctx).db, kind="a deck file", replaces=replaces)

    sys.exit(run_draft(notes, output, deck_id, title, merge, sys.stdout))


@cli.command("sync")
@click.argument("url", required=False)
@click.option("--init", is_flag=True, help="Create or migrate the sync tables on URL.")
@_global_options
@click.pass_context
def sync_command(ctx: click.Context, url: str | None, init: bool) -> None:
    """Exchange progress with a sync server (URL, QUIZAPP_SYNC_URL or [sync] url).

    URL is postgresql://USER@HOST/DB (password from PGPASSWORD or ~/.pgpass) or a SQLite
    file: a path or sqlite:////absolute/path.db. Run `--init` once on a new remote.
    """
    from quizapp.commands.sync import run_sync

    ctx.exit(run_sync(_store_context(ctx), url, init, sys.stdout))


@cli.command()
@_global_options
@click.pass_context
def backup(ctx: click.Context) -> None:
    """Make a backup of the progress database now."""
    from quizapp.commands.backup import run_backup

    ctx.exit(run_backup(_context(ctx), sys.stdout))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@_global_options
@click.pass_context
def restore(ctx: click.Context, file: Path) -> None:
    """Restore the progress database from FILE (the current one is kept as a backup)."""
    from quizapp.storage.backup import run_restore

    ctx.exit(run_restore(_context(ctx), file, sys.stdout))


def _click_message(problem: click.ClickException) -> str:
    """Click's error as one line, with where to read the usage for a usage error."""
    message = problem.format_message()
    if isinstance(problem, click.UsageError) and problem.ctx is not None:
        message += f" (see: {problem.ctx.command_path} --help)"
    return message


def _explained(bug: Exception) -> QuizappError | None:
    """A user error behind an unexpected one: the database the command used is damaged."""
    if "quizapp.storage.failures" not in sys.modules:
        return None  # no database was opened
    from quizapp.storage.failures import explain_unexpected

    return explain_unexpected(bug)


def main(argv: list[str] | None = None) -> NoReturn:
    """Console-script entry point: user errors print one line, never a traceback.

    stdout and stderr show control characters visibly (`quizapp.textsafe`): deck text, file
    names and config values reach the terminal as text, never as escape sequences.
    """
    sys.stdout = VisibleWriter(sys.stdout)
    sys.stderr = VisibleWriter(sys.stderr)
    try:
        _main(argv)
    finally:
        for note in _NOTES:
            click.echo(note, err=True)
        _NOTES.clear()


def _main(argv: list[str] | None) -> NoReturn:
    try:
        result = cli.main(args=argv, prog_name="quizapp", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as problem:
        click.echo(f"quizapp: error: {_click_message(problem)}", err=True)
        sys.exit(problem.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except QuizappError as problem:
        click.echo(f"quizapp: error: {visible(problem.message, newline=True)}", err=True)
        sys.exit(problem.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as bug:
        if os.environ.get("QUIZAPP_DEBUG"):
            raise
        explained = _explained(bug)
        if explained is not None:
            click.echo(f"quizapp: error: {explained.message}", err=True)
            sys.exit(explained.exit_code)
        click.echo(
            f"quizapp: internal error: {type(bug).__name__}: {bug}\n"
            "Nothing was lost. Run again with QUIZAPP_DEBUG=1 to see the details.",
            err=True,
        )
        sys.exit(70)
    sys.exit(result if isinstance(result, int) else 0)
