"""The floor: the least any poller must do. `python -m bench.floor URLS_FILE`.

Downloads every URL with one httpx.AsyncClient (the product's HTTP library,
default pool), at most --concurrency at once, and json-parses each body;
nothing else. With
--etags-in it sends If-None-Match as a conditional poller would; with
--etags-out it records the ETags it saw. Prints a one-line JSON summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

DEFAULT_CONCURRENCY = 16


async def fetch_all(urls: list[str], etags: dict[str, str], concurrency: int) -> dict[str, object]:
    status: Counter[int] = Counter()
    seen: dict[str, str] = {}
    jobs = 0
    size = 0

    gate = asyncio.Semaphore(concurrency)

    async def one(client: httpx.AsyncClient, url: str) -> None:
        nonlocal jobs, size
        headers = {"If-None-Match": etags[url]} if url in etags else {}
        async with gate:
            response = await client.get(url, headers=headers)
        status[response.status_code] += 1
        if response.status_code == 200:
            payload = json.loads(response.content)
            jobs += len(payload["jobs"] if isinstance(payload, dict) else payload)
            size += len(response.content)
        if "etag" in response.headers:
            seen[url] = response.headers["etag"]

    async with httpx.AsyncClient(timeout=60) as client:
        # In-process time of the downloads and parsing alone (no interpreter
        # start, imports or client set-up): what a cycle's poll phase,
        # also timed in-process, compares with.
        start = time.perf_counter()
        await asyncio.gather(*(one(client, url) for url in urls))
        seconds = time.perf_counter() - start
    summary = {"boards": len(urls), "jobs": jobs, "bytes": size, "status": dict(status), "seconds": seconds}
    return {**summary, "etags": seen}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("urls", type=Path)
    parser.add_argument("--etags-in", type=Path)
    parser.add_argument("--etags-out", type=Path)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        help="requests in flight at once (httpx's pool scans every waiting "
        "request per connection event, so thousands queued cost O(n^2))",
    )
    args = parser.parse_args(argv)
    urls = args.urls.read_text().split()
    etags = json.loads(args.etags_in.read_text()) if args.etags_in else {}
    summary = asyncio.run(fetch_all(urls, etags, args.concurrency))
    seen = summary.pop("etags")
    if args.etags_out:
        args.etags_out.write_text(json.dumps(seen))
    json.dump(summary, sys.stdout)
    print()


if __name__ == "__main__":
    main()
