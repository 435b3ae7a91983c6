"""Review of issue 13 (branch review-b): `alerts boards find` when the job
sites refuse us rather than the name. (review notes: review-12-13.md)."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer
from test_boards_find import find, server, sites, write_config

__all__ = ["server", "sites"]  # the fixtures, used by name


def test_sites_that_refuse_every_request_are_not_reported_as_no_board(
    tmp_path: Path, server: HTTPServer
) -> None:
    # A bot wall in front of every site: 403 for every request (as Workday's
    # and other hosts' WAFs answer datacenter IPs), or a 200 challenge page.
    server.no_handler_status_code = 403
    result = find("Acme", "--config", str(write_config(tmp_path, server)))
    # No site said whether an "acme" board exists. On main: exit 1 and
    # "no board found for 'Acme'", with no warning at all: the user is told
    # the company has no board when every site refused to answer.
    assert result.returncode == 3 or "403" in result.stderr, (result.returncode, result.stdout, result.stderr)
