"""suspect snapshots, full-snapshot time, event identity

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 03:54:29.261225
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import alerts.store.tables as t
from alerts.store.engine import sqlite_in_place

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("boards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suspect_since", t.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_full_at", t.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identity", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_events_identity"), ["identity"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None, recreate=sqlite_in_place()) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_identity"))
        batch_op.drop_column("content_hash")
        batch_op.drop_column("identity")

    with op.batch_alter_table("boards", schema=None, recreate=sqlite_in_place()) as batch_op:
        batch_op.drop_column("last_full_at")
        batch_op.drop_column("suspect_since")
