"""Issue 11: board tokens are validated per source; no token walks up the
API's path (`..`, `%2e%2e`)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from hardening_support import RawServer, assert_one_line_error, respond, write_config
from support import alerts

WALKING = [
    "lever:..",
    "lever:.",
    "lever:../x",
    "lever:%2e%2e",
    "https://jobs.lever.co/%2e%2e",
    "https://jobs.lever.co/..",
]


def fully_unquoted(text: str) -> str:
    while unquote(text) != text:
        text = unquote(text)
    return text


@pytest.mark.parametrize("spec", WALKING)
def test_boards_resolve_refuses_path_walking_tokens(spec):
    result = alerts("boards", "resolve", spec)
    assert_one_line_error(result)
    assert result.stdout == "", result.stdout


@pytest.mark.parametrize("spec", WALKING)
def test_validate_and_run_refuse_path_walking_tokens(tmp_path, spec):
    with RawServer(respond(b"[]")) as api:
        config = write_config(
            tmp_path,
            f"""
[sources.lever]
base_url = "{api.url}/v0"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["{spec}"]
channels = ["term"]
""",
        )
        validate = alerts("validate", "--config", str(config))
        run = alerts("run", "--once", "--config", str(config))
    for request in api.requests:
        path = request.split(" ")[1]
        assert path.startswith("/v0/postings/"), f"the token walked out of /v0/postings/: {request}"
        assert ".." not in fully_unquoted(path), f"a path with '..': {request}"
    assert_one_line_error(validate, str(config), "subscriptions[0].boards")
    assert run.returncode == 1, run.stdout + run.stderr
