"""reposts and first seen: postings.repost_key (indexed) and open_since,
events.first_seen_at and reposts; repost keys of the postings already stored

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import alerts.store.tables as t
from alerts.store.engine import sqlite_in_place
from alerts.store.reposts import stored_repost_key

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH_ROWS = 2000


def upgrade() -> None:
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("repost_key", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("open_since", t.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_postings_repost_key"), ["repost_key"], unique=False)
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_seen_at", t.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                "reposts",
                sa.JSON(none_as_null=True).with_variant(
                    postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
                ),
                nullable=True,
            )
        )
    _fill_repost_keys()


def _fill_repost_keys() -> None:
    """Keys for the postings already stored, so their reposts are found too."""
    conn = op.get_bind()
    table = sa.table("postings", sa.column("id", sa.Integer), sa.column("data", t.JSON))
    update = sa.text("UPDATE postings SET repost_key = :key WHERE id = :pid")
    last = 0
    while True:
        rows = conn.execute(
            sa.select(table.c.id, table.c.data)
            .where(table.c.id > last)
            .order_by(table.c.id)
            .limit(BATCH_ROWS)
        ).all()
        if not rows:
            return
        keys = [{"pid": pid, "key": stored_repost_key(data)} for pid, data in rows]
        conn.execute(update, keys)
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None, recreate=sqlite_in_place()) as batch_op:
        batch_op.drop_column("reposts")
        batch_op.drop_column("first_seen_at")
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_postings_repost_key"))
        batch_op.drop_column("open_since")
        batch_op.drop_column("repost_key")
