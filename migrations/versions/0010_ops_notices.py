"""ops notices: "failing" and "recovered" messages to the ops channel, queued
in the outbox (deliveries carry an event or a notice); boards remember that
the ops channel was told

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import alerts.store.tables as t
from alerts.store.engine import sqlite_in_place

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("occurred_at", t.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["board_id"], ["boards.id"], name=op.f("fk_notices_board_id_boards"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("boards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failure_noticed_at", t.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice_id", sa.Integer(), nullable=True))
        batch_op.alter_column("event_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_deliveries_notice_id_notices"),
            "notices",
            ["notice_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_unique_constraint("uq_deliveries_notice_channel", ["notice_id", "channel"])
        batch_op.create_check_constraint(
            "ck_deliveries_one_subject", "(event_id IS NULL) <> (notice_id IS NULL)"
        )


def downgrade() -> None:
    op.execute("DELETE FROM deliveries WHERE notice_id IS NOT NULL")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint("ck_deliveries_one_subject", type_="check")
        batch_op.drop_constraint("uq_deliveries_notice_channel", type_="unique")
        batch_op.drop_constraint("fk_deliveries_notice_id_notices", type_="foreignkey")
        batch_op.alter_column("event_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("notice_id")
    with op.batch_alter_table("boards", schema=None, recreate=sqlite_in_place()) as batch_op:
        batch_op.drop_column("failure_noticed_at")
    op.drop_table("notices")
