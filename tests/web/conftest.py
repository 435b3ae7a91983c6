"""The web side's fixtures: a stored world, the server in a thread of its
own (its own event loop), and headless Chromium for the browser tests."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from alerts.service.web.app import WebApp
from alerts.service.web.http import HttpServer
from alerts.store import Store

from support import free_port
from web_support import World, seed

CHROMIUM = os.environ.get("ALERTS_TEST_CHROMIUM", "/usr/bin/chromium")


def _needs(service: str, why: str) -> None:
    """As tests/conftest.py's: skip on a laptop without it, fail in CI (ALERTS_TEST_REQUIRE_SERVICES)."""
    if os.environ.get("ALERTS_TEST_REQUIRE_SERVICES"):
        pytest.fail(f"{service} is required here: {why}")
    pytest.skip(f"{service} not available: {why}")


class ThreadServer:
    """The real server on 127.0.0.1 (a free port), run by a loop in a
    background thread, so a test (or a sync browser) can talk to it."""

    def __init__(self, world: World, **app_options: object):
        self.store = Store(world.url)

        async def healthy() -> bool:
            return True

        options = {"healthy": healthy, **app_options}
        self.app = WebApp(lambda: world.config, self.store, **options)  # type: ignore[arg-type]
        self.server = HttpServer(f"127.0.0.1:{free_port()}", self.app)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        self.url = f"http://127.0.0.1:{self.server.port}"
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()
        self.store.close()


@pytest.fixture
def world(tmp_path: Path) -> World:
    return seed(tmp_path)


@pytest.fixture
def server(world: World) -> Iterator[ThreadServer]:
    with ThreadServer(world) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright; never a downloaded browser.

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


@pytest.fixture
def page(browser):
    """A fresh page that fails the test if any script ever ran a dialog."""
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()
    assert not dialogs, f"a script ran on the page: {dialogs}"
