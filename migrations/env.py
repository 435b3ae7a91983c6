"""Alembic environment: runs on the connection alerts hands it, or on
ALERTS_DATABASE_URL / sqlalchemy.url when run from the alembic command."""

from __future__ import annotations

import os

from alembic import context

from alerts.store.engine import make_engine
from alerts.store.tables import metadata

config = context.config


def run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        user_module_prefix="t.",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    url = os.environ.get("ALERTS_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    with make_engine(url).begin() as conn:
        run(conn)
