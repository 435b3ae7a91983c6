"""leases

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 04:00:58.444147
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import alerts.store.tables as t

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("until", t.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )


def downgrade() -> None:
    op.drop_table("leases")
