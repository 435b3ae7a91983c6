"""source cache: what a source keeps between polls of a board (details, sitemap pages)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import alerts.store.tables as t

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_cache",
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", t.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["board_id"],
            ["boards.id"],
            name=op.f("fk_source_cache_board_id_boards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("board_id", "key", name=op.f("pk_source_cache")),
    )


def downgrade() -> None:
    op.drop_table("source_cache")
