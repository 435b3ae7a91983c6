"""postings missing index: a 304 counts misses without reading every posting

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# As alerts.store.tables.MISSING: literals, so the planners match queries to it.
MISSING = sa.text("state = 'open' AND misses > 0")


def upgrade() -> None:
    op.create_index(
        "ix_postings_missing",
        "postings",
        ["board_id", "misses"],
        sqlite_where=MISSING,
        postgresql_where=MISSING,
    )


def downgrade() -> None:
    op.drop_index("ix_postings_missing", table_name="postings")
