"""posting snapshot index: the per-poll read of a board's postings from the index alone

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 06:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_postings_board_snapshot",
        "postings",
        ["board_id", "external_id", "state", "misses", "fingerprint"],
    )


def downgrade() -> None:
    op.drop_index("ix_postings_board_snapshot", table_name="postings")
