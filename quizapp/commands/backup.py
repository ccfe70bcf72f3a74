"""`quizapp backup`: back up the database now (`storage.backup` makes and prunes backups).

Above the engine, which itself asks `storage.backup` for a copy before a migration: the
command opens the store first, so that what is not a quizapp database is refused.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, TextIO

from quizapp.errors import QuizappError
from quizapp.storage.backup import (
    backup_dir,
    db_file_of,
    failure_text,
    file_kind,
    make_backup,
    prune_backups,
)
from quizapp.storage.engine import open_store
from quizapp.storage.failures import damaged, file_is_damaged

if TYPE_CHECKING:
    from quizapp.context import AppContext


def run_backup(ctx: AppContext, out: TextIO) -> int:
    """`quizapp backup`: back up the database now and print the backup's path."""
    db_file = db_file_of(ctx, "backup")
    kind = file_kind(db_file)
    if kind == "missing":
        raise QuizappError(f"there is no database at {db_file} yet: nothing to back up")
    if kind is not None:
        raise QuizappError(
            f"{db_file} is {kind}, not a quizapp database: nothing to back up "
            "(give the database file with --db)"
        )
    open_store(str(db_file)).close()  # refuses what is not a quizapp database we know
    try:
        made = make_backup(db_file)
        prune_backups(db_file)
    except (OSError, sqlite3.Error) as error:
        if file_is_damaged(db_file):
            raise damaged(str(db_file), db_file, error) from None
        raise QuizappError(
            f"cannot back up {db_file}: {failure_text(error, backup_dir(db_file))}"
        ) from None
    out.write(f"{made}\n")
    return 0
