"""Where a database stands against the Alembic revisions shipped with this quizapp.

`schema_status` only reads; `upgrade` runs the migrations in `migrations/` programmatically
(no alembic.ini). Backing up an older database before migrating it belongs here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from quizapp.storage.quickstart import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaState(StrEnum):
    EMPTY = "empty"
    """No tables at all: a new database."""
    CURRENT = "current"
    OLDER = "older"
    """A revision this quizapp knows, before the newest: migrate (after a backup)."""
    NEWER = "newer"
    """A revision this quizapp does not know: written by a newer quizapp; refuse."""
    FOREIGN = "foreign"
    """Tables but no alembic_version: some other program's database; refuse."""


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    state: SchemaState
    revision: str | None
    """The revision recorded in alembic_version (None when there is none)."""
    head: str
    """The newest revision this quizapp ships."""


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def schema_status(engine: Engine) -> SchemaStatus:
    """Read the recorded revision and compare it with this quizapp's; writes nothing."""
    with engine.connect() as conn:
        recorded: list[str] = []
        if inspect(conn).has_table("alembic_version"):
            recorded = list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        if recorded == [HEAD_REVISION]:
            return SchemaStatus(SchemaState.CURRENT, HEAD_REVISION, HEAD_REVISION)
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    with engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
        tables = inspect(conn).get_table_names()
    if revision is None:
        state = SchemaState.FOREIGN if tables else SchemaState.EMPTY
    elif revision == head:
        state = SchemaState.CURRENT
    elif revision in {rev.revision for rev in script.walk_revisions()}:
        state = SchemaState.OLDER
    else:
        state = SchemaState.NEWER
    return SchemaStatus(state, revision, head)


def upgrade(engine: Engine, status: SchemaStatus | None = None, revision: str = "head") -> None:
    """Migrate the database to `revision` (default: the newest) in one transaction.

    The transaction takes the write lock first (BEGIN IMMEDIATE on SQLite), so when two
    processes create or migrate the same database at once the second waits and then finds
    nothing left to do.
    """
    from alembic import command

    config = alembic_config()
    with engine.execution_options(quizapp_begin="IMMEDIATE").begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
