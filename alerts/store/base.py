"""The engine and the helpers every query group shares."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from alerts.errors import StoreError
from alerts.store import engine as _engine


class StoreBase:
    def __init__(self, url: str):
        self.engine = _engine.make_engine(url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def upgrade(self) -> None:
        try:
            _engine.upgrade(self.engine)
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot open the database: {exc.orig}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def _insert(self, table: sa.Table) -> Any:
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        return dialect.insert(table)

    def ping(self) -> bool:
        """True when the database answers (for /healthz)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.text("SELECT 1")).scalar_one() == 1

    def pending_count(self) -> int:
        from alerts.store.tables import deliveries

        with self.engine.connect() as conn:
            waiting = deliveries.c.status.in_(("pending", "failed"))
            query = sa.select(sa.func.count()).select_from(deliveries).where(waiting)
            return conn.execute(query).scalar_one()
