"""Shared fixtures: databases (SQLite files and the real PostgreSQL), a
real SMTP server, free ports."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from support import free_port

POSTGRES_ENV = "ALERTS_TEST_POSTGRES_URL"
CHROMIUM = os.environ.get("ALERTS_TEST_CHROMIUM", "/usr/bin/chromium")
REQUIRE_ENV = "ALERTS_TEST_REQUIRE_SERVICES"


@pytest.fixture(autouse=True, scope="session")
def _no_user_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The user config folder (platformdirs: XDG_CONFIG_HOME on Linux) is an
    empty one of the tests': an alerts.toml in the real one would otherwise be
    read by every command a test runs without --config."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("user-config")))
        yield


def _needs(service: str, why: str) -> None:
    """Skip on a laptop without the service; fail in CI, where it must be there."""
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"{service} is required here: {why}")
    pytest.skip(f"{service} not available: {why}")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the test PostgreSQL database, dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        _needs("PostgreSQL", f"set {POSTGRES_ENV}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        _needs("PostgreSQL", str(exc.orig))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'alerts.db'}"
    return request.getfixturevalue("postgres_url")


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[SmtpSink, int]]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright; never a downloaded browser.
    For the web page (tests/web) and the email's pictures (docs/samples).

    Module scope, not session: a live sync Playwright keeps an event loop
    running in this thread, and other modules call asyncio.run().
    """
    if not os.access(CHROMIUM, os.X_OK):
        _needs("Chromium", f"{CHROMIUM} not found (apt-get install --no-install-recommends chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _needs("Playwright", f"{exc} (pip install '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()
