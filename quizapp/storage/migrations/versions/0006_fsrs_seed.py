"""fsrs_seed: the FSRS memory state an item starts from, as Anki left it (issue 21).

FSRS state is still the replay of the review log; an item imported from Anki with FSRS on
carries its memory state (stability, difficulty, last review, due) in a seed row, and the
replay starts from it: the study answers logged after `covers_until` go on top. Only a new
table: self-contained, nothing else changes (it may follow any revision that leaves `cards`
as it is).

Revision ID: 0006_fsrs_seed
Revises: 0004_fsrs
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_fsrs_seed"
down_revision = "0005_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fsrs_seed",
        sa.Column("deck_id", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.String(length=80), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=False),
        sa.Column("difficulty", sa.Float(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("last_review", sa.DateTime(), nullable=False),
        sa.Column("covers_until", sa.DateTime(), nullable=False),
        sa.Column("sm2_due", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("seeded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("state IN (1, 2, 3)", name=op.f("ck_fsrs_seed_state")),
        sa.ForeignKeyConstraint(
            ["deck_id", "item_id"],
            ["cards.deck_id", "cards.item_id"],
            name=op.f("fk_fsrs_seed_deck_id_cards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("deck_id", "item_id", name=op.f("pk_fsrs_seed")),
    )


def downgrade() -> None:
    op.drop_table("fsrs_seed")
