"""repost chains: postings.chain and events.chain (what a repost reposted, so
ages follow the chain to its first posting), events.open_as (a close while
the same job is open under another id); repost keys computed again (no
provider, with the department)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import alerts.store.tables as t
from alerts.store.engine import sqlite_in_place
from alerts.store.reposts import stored_repost_key

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH_ROWS = 2000


def _json() -> sa.types.TypeEngine:
    return sa.JSON(none_as_null=True).with_variant(
        postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
    )


def upgrade() -> None:
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain", _json(), nullable=True))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain", _json(), nullable=True))
        batch_op.add_column(sa.Column("open_as", sa.String(length=600), nullable=True))
    conn = op.get_bind()
    _fill_repost_keys(conn)
    _fill_chains(conn)


def _fill_repost_keys(conn: sa.Connection) -> None:
    """The new keys (no provider, with the department) for every stored posting."""
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
        conn.execute(update, [{"pid": pid, "key": stored_repost_key(data)} for pid, data in rows])
        last = rows[-1][0]


def _fill_chains(conn: sa.Connection) -> None:
    """A stored repost's chain: what its `opened` event said it reposted.

    Events have no index on (board, id): their ids are read in one pass and
    written by primary key, never one scan of the table per repost."""
    found = conn.execute(
        sa.select(t.events.c.board_id, t.events.c.external_id, t.events.c.reposts).where(
            t.events.c.kind == "opened", t.events.c.reposts.is_not(None)
        )
    ).all()
    chains = {(board_id, external_id): reposts for board_id, external_id, reposts in found if reposts}
    if not chains:
        return
    pairs = sa.select(t.postings.c.id, t.postings.c.board_id, t.postings.c.external_id)
    update = sa.update(t.postings).where(t.postings.c.id == sa.bindparam("pid"))
    _by_id(conn, pairs, update.values(chain=sa.bindparam("new_chain")), chains)
    pairs = sa.select(t.events.c.id, t.events.c.board_id, t.events.c.external_id)
    update = sa.update(t.events).where(t.events.c.id == sa.bindparam("pid"))
    _by_id(conn, pairs, update.values(chain=sa.bindparam("new_chain")), chains)


def _by_id(conn: sa.Connection, rows: sa.Select, update: sa.Update, chains: dict) -> None:
    """Every row of `rows` (id, board_id, external_id) with a chain gets it, BATCH_ROWS at a time."""
    batch = []
    # Streamed: a large events table is never held in memory, only the rows with a chain.
    for pid, board_id, external_id in conn.execute(rows.execution_options(yield_per=BATCH_ROWS)):
        chain = chains.get((board_id, external_id))
        if chain is not None:
            batch.append({"pid": pid, "new_chain": chain})
    for start in range(0, len(batch), BATCH_ROWS):
        conn.execute(update, batch[start : start + BATCH_ROWS])


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None, recreate=sqlite_in_place()) as batch_op:
        batch_op.drop_column("open_as")
        batch_op.drop_column("chain")
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.drop_column("chain")
