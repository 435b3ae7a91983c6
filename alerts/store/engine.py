"""Engines and schema upgrades for SQLite and PostgreSQL."""

from __future__ import annotations

import fcntl
import sqlite3
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from alerts.errors import StoreError

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Any constant both processes agree on: the advisory lock serialises upgrades.
MIGRATION_LOCK_KEY = 0x616C657274  # "alert"


def normalize_url(url: str) -> str:
    """`postgresql://` means psycopg 3 here, not SQLAlchemy's psycopg2 default."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> sa.Engine:
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            "database.url is not a database URL (sqlite:///file.db or postgresql://...)"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling fights SAVEPOINT: we say BEGIN
        # ourselves. Deferred, so that reads never wait for the write lock;
        # a write transaction (Database.tx) takes the write lock at once
        # (IMMEDIATE), waiting for it up to busy_timeout: one that began as a
        # reader could not upgrade once another process (`alerts retry`
        # beside a run) had written, and would fail at once with "database
        # is locked".
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


# Execution option of a connection whose transactions write (Database.tx).
SQLITE_IMMEDIATE = "alerts_sqlite_immediate"


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(SQLITE_IMMEDIATE) else "BEGIN")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see make_engine)
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def migrations_dir() -> Path:
    """Installed wheels carry the scripts as alerts/migrations; a source tree has them at the top."""
    packaged = Path(__file__).resolve().parent.parent / "migrations"
    if (packaged / "env.py").exists():
        return packaged
    return Path(__file__).resolve().parents[2] / "migrations"


def sqlite_in_place() -> str:
    """`recreate` for a migration's downgrade dropping columns of a table
    others refer to (boards, events): SQLite drops a plain column in place
    since 3.35. Copying the table and dropping the old one instead would,
    with foreign keys on, delete every row that refers to it (ON DELETE
    CASCADE: a board's postings and events, an event's deliveries)."""
    return "never" if sqlite3.sqlite_version_info >= (3, 35) else "auto"


# The newest migration in migrations/versions (a test keeps the two in step):
# a database already there starts without loading Alembic at all.
SCHEMA_HEAD = "0013"


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    if revision == "head" and current_revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(migrations_dir()))
    with engine.connect() as conn, conn.execution_options(**{SQLITE_IMMEDIATE: True}).begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


class ProcessLock:
    """One `alerts run` per SQLite file: SQLite serves one process.

    An exclusive, non-blocking flock on `<database>.lock`; the OS drops it
    when the process dies, even by SIGKILL, so a stale lock cannot linger.
    """

    def __init__(self, url: str):
        parsed = make_url(normalize_url(url))
        self.path: Path | None = None
        if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
            self.path = Path(parsed.database).resolve()
        self._file: IO[str] | None = None

    @property
    def held(self) -> bool:
        """True while this process holds the lock: no other process uses the database."""
        return self._file is not None

    def acquire(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(f"{self.path}.lock", "a+")  # noqa: SIM115 (held for the process's life)
        except OSError as exc:
            raise StoreError(
                f"cannot create the lock file {self.path}.lock ({exc.strerror}); the database's "
                f"folder {self.path.parent} must be writable"
            ) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise StoreError(
                f"another alerts process is already running on {self.path}; SQLite serves one "
                "process (stop the other one, or use PostgreSQL to run several)"
            ) from None
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
