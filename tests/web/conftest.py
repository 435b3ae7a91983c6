"""The web side's fixtures: a stored world, the server in a thread of its
own (its own event loop), and a page of headless Chromium (the `browser`
fixture is tests/conftest.py's) for the browser tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from alerts.service.web.app import WebApp
from alerts.service.web.http import HttpServer
from alerts.store import Store

from support import free_port
from web_support import World, seed


class ThreadServer:
    """The real server on 127.0.0.1 (a free port), run by a loop in a
    background thread, so a test (or a sync browser) can talk to it."""

    def __init__(
        self, world: World, *, server_options: dict[str, object] | None = None, **app_options: object
    ):
        self.store = Store(world.url)

        async def healthy() -> bool:
            return True

        options = {"healthy": healthy, **app_options}
        self.app = WebApp(lambda: world.config, self.store, **options)  # type: ignore[arg-type]
        self.server = HttpServer(f"127.0.0.1:{free_port()}", self.app, **(server_options or {}))  # type: ignore[arg-type]
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        self.url = f"http://127.0.0.1:{self.server.port}"
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(10)
        self.app.close()
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


@pytest.fixture
def serving() -> type[ThreadServer]:
    """ThreadServer itself, for a test that serves its own world or options."""
    return ThreadServer


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
