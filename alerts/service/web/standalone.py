"""`alerts web`: the web side alone. It reads the database and polls
nothing, so it runs beside a cron `alerts run --once` (and needs no lock).
SIGTERM/SIGINT stop it; SIGHUP reloads the config."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Callable

from alerts.config import Config
from alerts.errors import AlertsError, ConfigError
from alerts.service.web.app import WebApp
from alerts.service.web.http import HttpServer
from alerts.store import Store

log = logging.getLogger("alerts")
HEALTH_DB_TIMEOUT_SECONDS = 5


async def listen(listen: str, app: WebApp) -> HttpServer:
    """A started server; a clear ConfigError when the address cannot be had."""
    server = HttpServer(listen, app)
    try:
        await server.start()
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise ConfigError(f"--http: cannot listen on {listen}: {reason}") from None
    return server


async def serve_web(config: Config, store: Store, address: str, reload: Callable[[], Config]) -> None:
    current = [config]

    async def healthy() -> bool:
        try:
            return await asyncio.wait_for(asyncio.to_thread(store.ping), HEALTH_DB_TIMEOUT_SECONDS)
        except Exception:
            return False

    app = WebApp(lambda: current[0], store, healthy=healthy, listen=address)
    server = await listen(address, app)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()

    def stop(sig: signal.Signals) -> None:
        log.info("%s received: stopping", sig.name)
        stopping.set()

    def reload_config() -> None:
        try:
            new = reload()
        except AlertsError as exc:
            log.error("SIGHUP: config not reloaded, keeping the running one: %s", exc)
            return
        if new.database.url != current[0].database.url:
            log.warning("SIGHUP: a new database.url takes effect only after a restart")
        current[0] = new.model_copy(update={"database": current[0].database})
        log.info("SIGHUP: config reloaded")

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop, sig)
    loop.add_signal_handler(signal.SIGHUP, reload_config)
    log.info("serving the web page and feeds on http://%s:%d/ (read-only)", server.host, server.port)
    try:
        await stopping.wait()
    finally:
        await server.stop()  # connected clients are dropped, answered or not
        app.close()
        log.info("stopped")
