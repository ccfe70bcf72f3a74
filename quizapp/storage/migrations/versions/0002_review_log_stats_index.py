"""review_log: an index for the statistics, and no negative answer times.

The streak and retention queries select study answers by day across all decks
(`session_kind = 'study' AND day ...`); ix_review_log_day leads with the day and then needs
the table for session_kind, so (session_kind, day) serves them from the index alone.
`duration_ms >= 0` writes down what record_answer already enforces. Adding a CHECK
constraint rebuilds review_log in SQLite (Alembic batch mode: copy, drop, rename), in the
migration's one transaction; every review is copied.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_review_log_duration_ms"), "duration_ms >= 0")
        batch_op.create_index("ix_review_log_kind_day", ["session_kind", "day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.drop_index("ix_review_log_kind_day")
        batch_op.drop_constraint(op.f("ck_review_log_duration_ms"), type_="check")
