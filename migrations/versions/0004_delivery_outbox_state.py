"""delivery outbox state: failure bookkeeping, in-flight sends, unconfirmed
targets, and each channel's last send

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 04:08:55.321368
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import alerts.store.tables as t

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_sent_at", t.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_failed_at", t.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_attempt_at", t.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sending_target", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("sending_since", t.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                "unconfirmed_targets",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch_op.create_index("ix_deliveries_channel_status", ["channel", "status"], unique=False)

    # Rows that failed before this revision were kept "pending" with attempts
    # counted; they are "failed" now, so their back-off is honoured.
    op.execute(
        "UPDATE deliveries SET status = 'failed', first_failed_at = created_at "
        "WHERE status = 'pending' AND attempts > 0"
    )


def downgrade() -> None:
    op.execute("UPDATE deliveries SET status = 'pending' WHERE status = 'failed'")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_channel_status")
        batch_op.drop_column("unconfirmed_targets")
        batch_op.drop_column("sending_since")
        batch_op.drop_column("sending_target")
        batch_op.drop_column("last_attempt_at")
        batch_op.drop_column("first_failed_at")

    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_column("last_sent_at")
