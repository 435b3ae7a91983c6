"""The database handle every query group shares: the engine, write
transactions, dialect-specific inserts, and how long an IN list may be."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from alerts.errors import StoreError
from alerts.store import engine as _engine

# Values per IN list: queries about many rows or channels go in chunks of
# this many, well under SQLite's 32,766 and PostgreSQL's 65,535 bound
# parameters per statement even where a statement names each value twice.
IN_LIST_MAX = 1000


# A database error quoted in a message: its first line, never the SQL.
REASON_MAX_CHARS = 200


def store_reason(exc: BaseException) -> str:
    """A database error in one short line, without the statement or its parameters."""
    cause = exc.orig if isinstance(exc, sa.exc.DBAPIError) and exc.orig is not None else exc
    lines = str(cause).strip().splitlines()
    said = lines[0].strip() if lines else ""
    text = f"{type(exc).__name__}: {said}" if said else type(exc).__name__
    return text if len(text) <= REASON_MAX_CHARS else text[: REASON_MAX_CHARS - 1] + "…"


def database_problem(exc: BaseException) -> str | None:
    """A database error as one line for the user, or None if `exc` is not one."""
    if not isinstance(exc, sa.exc.SQLAlchemyError):
        return None
    if is_locked(exc):
        return "the database is locked by another process; try again when it is done"
    return f"database error ({store_reason(exc)})"


def is_locked(exc: BaseException) -> bool:
    """SQLite's busy answer: another process held the write lock past busy_timeout."""
    return isinstance(exc, sa.exc.OperationalError) and "database is locked" in str(exc.orig)


class Database:
    def __init__(self, url: str):
        self.engine = _engine.make_engine(url)
        # How errors name it: the SQLite file, or the URL without its password.
        self.name = self.engine.url.database if self.dialect == "sqlite" else None
        self.name = self.name or self.engine.url.render_as_string(hide_password=True)
        # SQLite takes one writer at a time. Writers of this process queue
        # here, in order and without a time limit, instead of spinning in
        # SQLite's busy handler (which gives up after busy_timeout). SQLite
        # serves one process (ProcessLock), so this is the only queue needed.
        self._write_lock: AbstractContextManager[Any] = (
            threading.Lock() if self.dialect == "sqlite" else nullcontext()
        )

    @contextmanager
    def tx(self) -> Iterator[sa.Connection]:
        """A write transaction. On SQLite it holds the write lock from its
        start; another process's writer waits up to busy_timeout for it, and
        past that a StoreError says the database is locked."""
        with self._write_lock, self.engine.connect() as conn:
            conn.execution_options(**{_engine.SQLITE_IMMEDIATE: True})
            try:
                with conn.begin():
                    yield conn
            except sa.exc.OperationalError as exc:
                if is_locked(exc):
                    raise StoreError(f"the database {self.name} is locked by another process") from exc
                # Read-only file or folder, disk full, connection lost: one line naming the database.
                raise StoreError(f"cannot write to the database {self.name} ({store_reason(exc)})") from exc

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def upgrade(self) -> None:
        try:
            _engine.upgrade(self.engine)
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot open the database {self.name}: {store_reason(exc)}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def insert(self, table: sa.Table) -> Any:
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        return dialect.insert(table)

    def ping(self) -> bool:
        """True when the database answers (for /healthz)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.text("SELECT 1")).scalar_one() == 1


class Queries:
    """A group of queries over the shared database."""

    def __init__(self, db: Database):
        self.db = db
