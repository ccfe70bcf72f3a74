"""Seed events: an import's state for an item travels by device sync (issue 19 + 20 + 21).

`sync_events` takes a fourth kind, "seed" (the SM-2 state, and the FSRS memory state, an
Anki import left for an item, covering its answers up to the event's time), whose state is
JSON in the new `payload` column. The kind check is part of the table, so SQLite's batch
mode copies the table; nothing else changes.

Revision ID: 0007_seed_events
Revises: 0006_fsrs_seed
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_seed_events"
down_revision = "0006_fsrs_seed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payload", sa.Text(), nullable=True))
        batch_op.drop_constraint(op.f("ck_sync_events_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_sync_events_kind"), "kind IN ('answer', 'undo', 'bury', 'seed')"
        )


def downgrade() -> None:
    op.execute("DELETE FROM sync_events WHERE kind = 'seed'")
    with op.batch_alter_table("sync_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_sync_events_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_sync_events_kind"), "kind IN ('answer', 'undo', 'bury')"
        )
        batch_op.drop_column("payload")
