"""Review trust-b item 5e: validators (ETag, Last-Modified) are kept only for
a complete snapshot. An incomplete one (a list shorter than the board's
count, a capped sitemap, details still owed) must not be asked for with
If-None-Match next time: a 304 would freeze the incomplete state."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pytest_httpserver import HTTPServer

from alerts.model import BoardRef, Posting
from alerts.store import FetchState, Store

from kinds.rippling import V2_CASE, v2_page
from sources_support import base_url, run_fetch, serve, serve_details

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
BOARD = BoardRef("greenhouse", "acme")
ETAG = 'W/"list-v1"'


def _job(n: int) -> Posting:
    return Posting("greenhouse", "acme", str(n), f"Role {n}")


def _state(store: Store) -> FetchState:
    return store.boards.fetch_states([BOARD.key])[BOARD.key]


def test_a_short_rippling_list_comes_back_incomplete_with_its_validators(httpserver: HTTPServer) -> None:
    # Why the store must decide: a source may hand validators with an
    # incomplete snapshot (here a list shorter than its totalItems).
    case = V2_CASE
    items = case.jobs(case.recorded_body())
    body = json.dumps(v2_page(items, total=len(items) + 1)).encode()
    serve(httpserver, case, body, headers={"ETag": ETAG})
    serve_details(httpserver, case)
    snapshot = run_fetch(case.board, case.base(base_url(httpserver)))
    assert not snapshot.complete and snapshot.validators.etag == ETAG


def test_validators_of_an_incomplete_snapshot_are_not_kept(database_url: str) -> None:
    store = Store(database_url)
    try:
        store.upgrade()
        store.boards.sync_boards([BOARD], NOW)
        apply = store.snapshots.apply
        apply(BOARD, [_job(1), _job(2)], close_after_misses=2, now=NOW, route=lambda e, b: {}, etag=ETAG)
        assert _state(store).etag == ETAG  # complete: kept
        for incomplete in ({"complete": False}, {"complete": False, "waiting": 3}):
            apply(
                BOARD,
                [_job(1)],
                close_after_misses=2,
                now=NOW,
                route=lambda e, b: {},
                etag='W/"list-v2"',
                last_modified="Tue, 24 Nov 2026 08:00:00 GMT",
                incomplete="cut short",
                **incomplete,
            )
            state = _state(store)
            # Neither the new validators nor the old: the next poll asks in full.
            assert (state.etag, state.last_modified) == (None, None)
        apply(BOARD, [_job(1), _job(2)], close_after_misses=2, now=NOW, route=lambda e, b: {}, etag=ETAG)
        assert _state(store).etag == ETAG
    finally:
        store.close()
