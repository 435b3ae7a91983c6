"""Issue 10, item 8 and the README: SmartRecruiters asks conditionally,
`validate` speaks up about an empty config and a bluedoor board without a
key, the SQLite lock file is ignored by git, and the README says how to get
`alerts` on the PATH, what the exit codes are and what `--once` does with a
failing board."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from pytest_httpserver import HTTPServer

from support import alerts, run_once
from trust_support import ROOT, Board, line_of, recorded, status


def test_smartrecruiters_sends_if_none_match(tmp_path: Path, httpserver: HTTPServer) -> None:
    page = recorded("smartrecruiters_ubisoft2.json")
    page["totalFound"] = len(page["content"])  # one page: the whole board
    board = Board(httpserver, "/sr/companies/Ubisoft2/postings", page)
    board.etag = '"sr-1"'
    config = tmp_path / "alerts.toml"
    config.write_text(
        f"""
[database]
url = "sqlite:///{tmp_path / "alerts.db"}"

[sources.smartrecruiters]
base_url = "http://127.0.0.1:{httpserver.port}/sr"

[channels.out]
url = "console://"

[[subscriptions]]
name = "everything"
boards = ["smartrecruiters:Ubisoft2"]
channels = ["out"]
"""
    )
    run_once(config)
    assert board.hits == 1
    run_once(config)
    headers = board.requests[1][0]
    assert headers.get("If-None-Match") == '"sr-1"', f"the second poll asked unconditionally: {headers}"
    assert line_of(status(config), "smartrecruiters:Ubisoft2").endswith("ok")


def test_validate_warns_about_a_config_without_subscriptions(tmp_path: Path) -> None:
    config = tmp_path / "alerts.toml"
    config.write_text('[channels.out]\nurl = "console://"\n')
    result = alerts("validate", "--config", str(config))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if "warning" in line.lower()]
    assert any("subscription" in line for line in warnings), result.stdout + result.stderr


def test_validate_refuses_bluedoor_without_an_api_key(tmp_path: Path) -> None:
    config = tmp_path / "alerts.toml"
    config.write_text(
        '[channels.out]\nurl = "console://"\n\n'
        '[[subscriptions]]\nname = "openai"\nboards = ["bluedoor"]\ncompany = ["OpenAI"]\nchannels = ["out"]\n'
    )
    result = alerts("validate", "--config", str(config))
    assert result.returncode == 1, result.stdout
    assert "sources.bluedoor.api_key" in result.stderr, result.stderr


def test_gitignore_covers_the_sqlite_lock_file() -> None:
    patterns = [line.strip() for line in (ROOT / ".gitignore").read_text().splitlines()]
    assert any(fnmatch.fnmatch("alerts.db.lock", p) for p in patterns if p and not p.startswith("#"))


def readme() -> str:
    return (ROOT / "README.md").read_text()


def test_readme_quick_start_says_how_alerts_gets_on_the_path() -> None:
    quick = readme().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "activate" in quick or "pipx" in quick, quick


def test_readme_documents_exit_codes_and_once_with_failing_boards() -> None:
    text = readme()
    exit_three = re.compile(r"(?im)\b(exit|exits|code|codes)\b[^\n]{0,60}\b3\b|^\|\s*`?3`?\s*\|")
    assert exit_three.search(text), "the README does not document exit code 3"
    assert "--once --all" in text and "--quiet" in text
