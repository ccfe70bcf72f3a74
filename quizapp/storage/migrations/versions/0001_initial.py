"""Initial schema: decks, cards (reviewable items), card_state, review_log.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decks",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decks")),
    )
    op.create_table(
        "cards",
        sa.Column("deck_id", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.String(length=80), nullable=False),
        sa.Column("card_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deck_id"], ["decks.id"], name=op.f("fk_cards_deck_id_decks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("deck_id", "item_id", name=op.f("pk_cards")),
    )
    op.create_table(
        "card_state",
        sa.Column("deck_id", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.String(length=80), nullable=False),
        sa.Column("repetitions", sa.Integer(), nullable=False),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("easiness_milli", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("last_review", sa.DateTime(), nullable=True),
        sa.Column("buried_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["deck_id", "item_id"],
            ["cards.deck_id", "cards.item_id"],
            name=op.f("fk_card_state_deck_id_cards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("deck_id", "item_id", name=op.f("pk_card_state")),
    )
    with op.batch_alter_table("card_state", schema=None) as batch_op:
        batch_op.create_index("ix_card_state_deck_due", ["deck_id", "due"], unique=False)

    op.create_table(
        "review_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("deck_id", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.String(length=80), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("typed_answer", sa.Text(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("session_kind", sa.String(length=8), nullable=False),
        sa.Column("repeat", sa.Boolean(), nullable=False),
        sa.Column("repetitions_before", sa.Integer(), nullable=False),
        sa.Column("interval_before", sa.Integer(), nullable=False),
        sa.Column("easiness_milli_before", sa.Integer(), nullable=False),
        sa.Column("due_before", sa.Date(), nullable=True),
        sa.Column("lapses_before", sa.Integer(), nullable=False),
        sa.Column("last_review_before", sa.DateTime(), nullable=True),
        sa.Column("repetitions_after", sa.Integer(), nullable=False),
        sa.Column("interval_after", sa.Integer(), nullable=False),
        sa.Column("easiness_milli_after", sa.Integer(), nullable=False),
        sa.Column("due_after", sa.Date(), nullable=True),
        sa.Column("lapses_after", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "session_kind IN ('study', 'quiz')", name=op.f("ck_review_log_session_kind")
        ),
        sa.CheckConstraint("grade BETWEEN 0 AND 5", name=op.f("ck_review_log_grade")),
        sa.ForeignKeyConstraint(
            ["deck_id", "item_id"],
            ["cards.deck_id", "cards.item_id"],
            name=op.f("fk_review_log_deck_id_cards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_log")),
    )
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.create_index("ix_review_log_day", ["day", "deck_id"], unique=False)
        batch_op.create_index("ix_review_log_item", ["deck_id", "item_id", "id"], unique=False)
        batch_op.create_index("ix_review_log_reviewed_at", ["reviewed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.drop_index("ix_review_log_reviewed_at")
        batch_op.drop_index("ix_review_log_item")
        batch_op.drop_index("ix_review_log_day")

    op.drop_table("review_log")
    with op.batch_alter_table("card_state", schema=None) as batch_op:
        batch_op.drop_index("ix_card_state_deck_due")

    op.drop_table("card_state")
    op.drop_table("cards")
    op.drop_table("decks")
