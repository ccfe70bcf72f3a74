"""deck_scheduler: which scheduler each deck's due dates follow, and fitted FSRS parameters.

FSRS memory state is never stored: it is the replay of the review log. What must be stored is
the schedule `card_state.due` currently follows for each deck ("sm2", or an FSRS key naming the
retention and parameters), so that a change of `scheduler` in config.toml is noticed at start
and the deck's due dates recomputed from the log; and the parameters `quizapp optimize`
fitted (deck id "" holds the ones fitted on all decks).

Revision ID: 0004_fsrs
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_fsrs"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deck_scheduler",
        sa.Column("deck_id", sa.String(length=64), nullable=False),
        sa.Column("schedule", sa.String(length=80), nullable=True),
        sa.Column("parameters", sa.Text(), nullable=True),
        sa.Column("fitted_reviews", sa.Integer(), nullable=True),
        sa.Column("fitted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("deck_id", name=op.f("pk_deck_scheduler")),
    )


def downgrade() -> None:
    op.drop_table("deck_scheduler")
