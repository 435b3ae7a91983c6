"""boards remember since when their snapshots have been incomplete, and why
(a Workday tenant past its cap, details left waiting, a sitemap past its
limit), for `alerts status`

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import alerts.store.tables as t
from alerts.store.engine import sqlite_in_place

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("boards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("incomplete_since", t.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("incomplete_why", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("boards", schema=None, recreate=sqlite_in_place()) as batch_op:
        batch_op.drop_column("incomplete_why")
        batch_op.drop_column("incomplete_since")
