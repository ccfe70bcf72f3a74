"""Seed events: an import's state for an item travels by device sync (issue 19 + 20 + 21).

`sync_events` takes a fourth kind, "seed" (the SM-2 state, and the FSRS memory state, an
Anki import left for an item, covering its answers up to the event's time), whose state is
JSON in the new `payload` column. The kind check is part of the table, so SQLite's batch
mode copies the table.

Progress imported before this revision travels too: each item whose stored SM-2 state is not
the replay of its log (an import wrote it: repetitions, interval, easiness or lapses differ),
or that has an FSRS seed, gets a seed event with its stored state, covering its answers (its
time is the item's last answer, or now); each burial without a bury event gets one.

Revision ID: 0007_seed_events
Revises: 0006_fsrs_seed
Create Date: 2026-12-05
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from typing import Any

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
    _seed_stored_states(op.get_bind())


_LOG_SQL = (
    "SELECT deck_id, item_id, event_id, reviewed_at, day, grade, session_kind,"
    " coalesce(asked_repeat, repeat) FROM review_log ORDER BY deck_id, item_id, id"
)
_STATES_SQL = (
    "SELECT deck_id, item_id, repetitions, interval, easiness_milli, due, lapses, last_review,"
    " buried_until FROM card_state"
)
_FSRS_SQL = (
    "SELECT deck_id, item_id, state, step, stability, difficulty, due_at, last_review,"
    " covers_until, sm2_due, source, seeded_at FROM fsrs_seed"
)


def _seed_stored_states(conn: Any) -> None:
    from quizapp.scheduling.replay import AnswerEvent, replay_raw
    from quizapp.storage.dbapi import conversions
    from quizapp.storage.events import FSRS_SEED_FIELDS, event_id_at, seed_payload

    states = {(r[0], r[1]): r[2:] for r in conn.execute(sa.text(_STATES_SQL))}
    if not states:
        return
    convert = conversions(conn.dialect)
    time_out, date_out = convert.time_out, convert.date_out
    fsrs = {(r[0], r[1]): r[2:] for r in conn.execute(sa.text(_FSRS_SQL))}
    parameters = dict(
        conn.execute(
            sa.text("SELECT deck_id, parameters FROM deck_scheduler WHERE parameters IS NOT NULL")
        ).all()
    )
    buried = {
        (r[0], r[1])
        for r in conn.execute(
            sa.text("SELECT DISTINCT deck_id, item_id FROM sync_events WHERE kind = 'bury'")
        )
    }
    device = conn.execute(sa.text("SELECT value FROM sync_state WHERE key = 'device'")).scalar()
    now = datetime.now(UTC)
    replayed: dict[tuple[str, str], tuple[Any, ...]] = {}
    last_answer: dict[tuple[str, str], datetime] = {}
    rows = conn.execute(sa.text(_LOG_SQL))
    for item, group in itertools.groupby(rows, key=lambda r: (r[0], r[1])):
        if item not in states:
            continue
        events = [
            AnswerEvent(str(r[2]), time_out(r[3]), date_out(r[4]), int(r[5]), str(r[6]), bool(r[7]))
            for r in group
        ]
        steps = replay_raw(events)
        replayed[item] = (*steps[-1].after[:3], steps[-1].lapses_after)
        last_answer[item] = max(e.at for e in events)
    seeds, burials = [], []
    for item, (reps, interval, ease, due, lapses, last_review, until) in states.items():
        if until is not None and item not in buried:
            burials.append((item, until))
        stored = (reps, interval, ease, lapses)
        if stored == replayed.get(item, (0, 0, 2500, 0)) and item not in fsrs:
            continue
        seed_fsrs = None
        if item in fsrs:
            values = dict(zip(FSRS_SEED_FIELDS, fsrs[item], strict=True))
            for name in ("due_at", "last_review", "covers_until", "seeded_at"):
                values[name] = time_out(values[name])
            values["sm2_due"] = date_out(values["sm2_due"])
            if item[0] in parameters:
                values["parameters"] = json.loads(parameters[item[0]])
            seed_fsrs = values
        at = last_answer.get(item, now)
        payload = seed_payload(
            (reps, interval, ease, date_out(due)),
            lapses,
            None if last_review is None else time_out(last_review),
            seed_fsrs,
        )
        seeds.append(
            {
                "e": event_id_at(at),
                "d": device,
                "at": convert.time_in(at),
                "deck": item[0],
                "item": item[1],
                "p": payload,
            }
        )
    if seeds:
        conn.execute(
            sa.text(
                "INSERT INTO sync_events (event_id, device, kind, at, deck_id, item_id, payload)"
                " VALUES (:e, :d, 'seed', :at, :deck, :item, :p)"
            ),
            seeds,
        )
    if burials:
        conn.execute(
            sa.text(
                "INSERT INTO sync_events (event_id, device, kind, at, deck_id, item_id, until)"
                " VALUES (:e, :d, 'bury', :at, :deck, :item, :until)"
            ),
            [
                {
                    "e": event_id_at(now),
                    "d": device,
                    "at": convert.time_in(now),
                    "deck": deck,
                    "item": item,
                    "until": until,
                }
                for (deck, item), until in burials
            ],
        )


def downgrade() -> None:
    op.execute("DELETE FROM sync_events WHERE kind = 'seed'")
    with op.batch_alter_table("sync_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_sync_events_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_sync_events_kind"), "kind IN ('answer', 'undo', 'bury')"
        )
        batch_op.drop_column("payload")
