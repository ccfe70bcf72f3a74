"""Device sync: every answer, undo and bury becomes an event with a globally unique id.

review_log gains the answer's event id (existing answers get one, time-ordered by their
answer time), the device it came from (NULL: this one), the repeat flag the app asked with,
and whether the sync remote has it. sync_events keeps undo and bury events (existing
burials and suspensions become bury events, so they sync too) and answers waiting for an
item this device lacks; sync_state holds this device's new id. See `storage.events`.

Revision ID: 0005_events
Revises: 0004_fsrs
Create Date: 2026-12-05
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from quizapp.storage.events import event_id_at

revision = "0005_events"
down_revision = "0004_fsrs"
branch_labels = None
depends_on = None

RANDOM_EVENT_ID = "(lower(hex(randomblob(16))))"


def upgrade() -> None:
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "event_id",
                sa.String(length=36),
                server_default=sa.text(RANDOM_EVENT_ID),
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("device", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("asked_repeat", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("sent", sa.Boolean(), server_default=sa.text("0"), nullable=False)
        )
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, reviewed_at FROM review_log")).all()
    if rows:
        conn.execute(
            sa.text("UPDATE review_log SET event_id = :e, asked_repeat = repeat WHERE id = :i"),
            [{"e": event_id_at(_parse(at)), "i": id_} for id_, at in rows],
        )
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.create_index("ix_review_log_event_id", ["event_id"], unique=True)
    op.create_table(
        "sync_events",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("device", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("deck_id", sa.String(length=64), nullable=True),
        sa.Column("item_id", sa.String(length=80), nullable=True),
        sa.Column("target", sa.String(length=36), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("typed_answer", sa.Text(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("session_kind", sa.String(length=8), nullable=True),
        sa.Column("asked_repeat", sa.Boolean(), nullable=True),
        sa.Column("sent", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint("kind IN ('answer', 'undo', 'bury')", name=op.f("ck_sync_events_kind")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_sync_events")),
    )
    with op.batch_alter_table("sync_events", schema=None) as batch_op:
        batch_op.create_index("ix_sync_events_item", ["deck_id", "item_id"], unique=False)
        batch_op.create_index("ix_sync_events_target", ["target"], unique=False)
        batch_op.create_index(
            "ix_sync_events_unsent", ["sent"], unique=False, sqlite_where=sa.text("sent = 0")
        )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    device = str(uuid.uuid4())
    conn.execute(
        sa.text("INSERT INTO sync_state (key, value) VALUES ('device', :d)"), {"d": device}
    )
    now = datetime.now(UTC)
    buried = conn.execute(
        sa.text(
            "SELECT deck_id, item_id, buried_until FROM card_state WHERE buried_until IS NOT NULL"
        )
    ).all()
    if buried:
        conn.execute(
            sa.text(
                "INSERT INTO sync_events (event_id, device, kind, at, deck_id, item_id, until)"
                " VALUES (:e, :d, 'bury', :at, :deck, :item, :until)"
            ),
            [
                {
                    "e": event_id_at(now),
                    "d": device,
                    "at": now.strftime("%Y-%m-%d %H:%M:%S.%f"),
                    "deck": deck,
                    "item": item,
                    "until": until,
                }
                for deck, item, until in buried
            ],
        )


def _parse(text: str | datetime) -> datetime:
    if isinstance(text, datetime):
        return text.replace(tzinfo=UTC)
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def downgrade() -> None:
    op.drop_table("sync_state")
    with op.batch_alter_table("sync_events", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_events_unsent", sqlite_where=sa.text("sent = 0"))
        batch_op.drop_index("ix_sync_events_target")
        batch_op.drop_index("ix_sync_events_item")
    op.drop_table("sync_events")
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.drop_index("ix_review_log_event_id")
        batch_op.drop_column("sent")
        batch_op.drop_column("asked_repeat")
        batch_op.drop_column("device")
        batch_op.drop_column("event_id")
