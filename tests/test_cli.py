"""The command line as a user meets it: help, validate, clear errors, the README."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import click
import pytest
from werkzeug import Response

from alerts.cli import main

from support import alerts

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "sources" / "data"


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield prefix + (name,)
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("words", [(), *all_commands(main)], ids=lambda w: " ".join(w) or "alerts")
def test_every_command_has_help(words):
    result = alerts(*words, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: " in result.stdout
    command = main
    for word in words:
        command = command.commands[word]
    # Every command that reads the config takes --config; groups and the
    # config-free `boards resolve` and `config schema` do not.
    if not isinstance(command, click.Group) and words not in {("boards", "resolve"), ("config", "schema")}:
        assert "--config" in result.stdout


def test_validate_the_example(tmp_path):
    result = alerts("validate", "--config", str(ROOT / "config.example.toml"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok: 3 boards, 2 subscriptions, 1 channels")


def test_validate_warns_about_a_named_board_no_subscription_follows(tmp_path):
    path = tmp_path / "alerts.toml"
    path.write_text(
        """
[boards."lever:plaidd"]
name = "Plaid"
[boards."https://jobs.lever.co/plaid"]
name = "Plaid Inc."
[channels.out]
url = "console://"
[[subscriptions]]
name = "s"
boards = ["lever:plaid"]
channels = ["out"]
"""
    )
    result = alerts("validate", "--config", str(path))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: [boards.\"lever:plaidd\"] names 'Plaid' for a board no subscription follows "
        "(did you mean 'lever:plaid'?)"
    ]  # the URL form of a followed board is that board: no warning


def test_config_from_environment_variable(tmp_path):
    shutil.copy(ROOT / "config.example.toml", tmp_path / "mine.toml")
    env = {**os.environ, "ALERTS_CONFIG": str(tmp_path / "mine.toml")}
    result = alerts("validate", env=env)
    assert result.returncode == 0 and "mine.toml: ok" in result.stdout


def bad_config(tmp_path: Path, channel_url: str) -> Path:
    path = tmp_path / "alerts.toml"
    path.write_text(
        f"""
[channels.me]
url = "{channel_url}"

[[subscriptions]]
name = "s"
boards = ["lever:plaid"]
channels = ["me"]
"""
    )
    return path


def test_error_is_one_clear_line_without_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("SMTP_PASSWORD", "s3cr3t-value")
    path = bad_config(tmp_path, "mailtos://user:${SMTP_PASSWORD}@/nowhere")
    result = alerts("validate", "--config", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {path}: channels.me.url: ")
    assert "s3cr3t-value" not in result.stderr


def test_unknown_apprise_scheme_is_named(tmp_path):
    result = alerts("validate", "--config", str(bad_config(tmp_path, "nosuchservice://x")))
    assert result.returncode == 1
    assert "channels.me.url" in result.stderr and "nosuchservice" in result.stderr


def test_verbose_shows_the_traceback(tmp_path):
    result = alerts("validate", "-v", "--config", str(bad_config(tmp_path, "nosuchservice://x")))
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_missing_config_explains(tmp_path):
    result = alerts("run", "--once", cwd=tmp_path)
    assert result.returncode == 1
    assert "alerts.toml: no such file; copy config.example.toml" in result.stderr


def readme_block(marker: str) -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(rf"<!-- {marker} -->\n```\n(.+?)\n```\n<!-- /{marker} -->", text, re.S)
    assert match, f"README has no {marker} block"
    return match.group(1).strip()


def test_readme_commands_are_the_ones_ci_and_users_run():
    run = readme_block("run-command")
    assert run.endswith("alerts run --once --config config.example.toml")
    assert "pip install ." in run
    test = readme_block("test-command")
    assert "pip install '.[test]'" in test and test.endswith("pytest")
    assert "test-command" in (ROOT / ".ci" / "run").read_text()


def test_the_readme_sources_table_names_every_kind():
    from alerts.boards import TOKEN_KINDS

    text = (ROOT / "README.md").read_text()
    table = text[text.index("## Sources") : text.index("## Configuration")]
    missing = [kind for kind in TOKEN_KINDS if f"`{kind}:" not in table]
    assert missing == [], f"README's Sources table lacks {missing}"


def test_the_examples_commented_workday_and_jsonld_boards_are_valid(tmp_path):
    """The example shows them commented out (they would reach real hosts when
    it is run as it is); uncommented, they are a valid config."""
    text = (ROOT / "config.example.toml").read_text()
    block = text[text.rindex("# [[subscriptions]]") :]
    config = tmp_path / "example.toml"
    config.write_text(text + "\n".join(line.removeprefix("# ") for line in block.splitlines()) + "\n")
    before = alerts("validate", "--config", str(ROOT / "config.example.toml"))
    result = alerts("validate", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "ok: 3 boards" in before.stdout and "ok: 5 boards" in result.stdout


def test_readme_run_command_shows_real_output(tmp_path, httpserver):
    """The README's run step on the example config, its boards served locally."""
    payloads = {
        "/ashby/job-board/openai": DATA / "ashby_linear.json",
        "/gh/boards/stripe/jobs": DATA / "greenhouse_vercel.json",
        "/lever/postings/plaid": DATA / "lever_spotify.json",
    }
    for path, file in payloads.items():
        job_data = json.loads(file.read_text())
        if path.startswith("/ashby"):  # the example's first subscription wants Finance
            job_data["jobs"][0]["department"] = "Finance"
        httpserver.expect_request(path).respond_with_json(job_data)
    base = f"http://127.0.0.1:{httpserver.port}"
    config = tmp_path / "config.example.toml"
    config.write_text(
        (ROOT / "config.example.toml").read_text()
        + f'\n[sources.ashby]\nbase_url = "{base}/ashby"\n'
        + f'[sources.greenhouse]\nbase_url = "{base}/gh"\n'
        + f'[sources.lever]\nbase_url = "{base}/lever"\n'
    )
    command = readme_block("run-command").split("&& .venv/bin/")[-1].split()
    assert command[0] == "alerts"
    result = alerts(*command[1:], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # include_existing: the first run already shows the Finance posting
    assert "1 new: openai" in result.stdout
    assert "Senior / Staff Fullstack Engineer" in result.stdout
    assert "3 boards polled (0 failed)" in result.stdout
    assert (tmp_path / "alerts.db").exists()


def test_status_names_a_failing_board_in_words(tmp_path, httpserver):
    httpserver.expect_request("/lever/postings/plaid").respond_with_data("Not Found", status=404)
    path = bad_config(tmp_path, "console://")
    path.write_text(
        path.read_text() + f'\n[sources.lever]\nbase_url = "http://127.0.0.1:{httpserver.port}/lever"\n'
    )
    # Its only board failed: exit 3 since issue 10, item 6 (was 0).
    assert alerts("run", "--once", "--config", str(path)).returncode == 3
    result = alerts("status", "--config", str(path))
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("lever:plaid"))
    assert "failing x1" in line and "404" in line


def test_history_lists_events_newest_first(tmp_path, httpserver):
    payload = json.loads((DATA / "lever_spotify.json").read_text())
    httpserver.expect_request("/lever/postings/plaid").respond_with_handler(
        lambda request: Response(json.dumps(payload), content_type="application/json")
    )
    path = bad_config(tmp_path, "console://")
    path.write_text(
        path.read_text() + f'\n[sources.lever]\nbase_url = "http://127.0.0.1:{httpserver.port}/lever"\n'
    )
    assert alerts("run", "--once", "--config", str(path)).returncode == 0
    payload[0]["text"] = "Renamed Role"
    assert alerts("run", "--once", "--config", str(path)).returncode == 0
    payload.pop(1)
    for _ in range(2):
        assert alerts("run", "--once", "--config", str(path)).returncode == 0
    result = alerts("history", "--config", str(path), "--board", "lever:plaid")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["WHEN", "BOARD", "EVENT", "POSTING"]
    assert [line.split()[4] for line in lines[1:]] == ["closed", "updated"]
    assert "title: Android Engineer - Experience -> Renamed Role" in lines[2]
    bad = alerts("history", "--config", str(path), "--since", "soon")
    assert bad.returncode == 1 and "--since: expected" in bad.stderr


@pytest.mark.parametrize(
    ("url", "spec"),
    [
        ("https://jobs.ashbyhq.com/openai", "ashby:openai"),
        ("https://boards.greenhouse.io/stripe", "greenhouse:stripe"),
        ("https://jobs.eu.lever.co/acme/", "lever-eu:acme"),
        ("lever:plaid", "lever:plaid"),
        ("https://acme.jobs.personio.de/job/123", "personio:acme"),
        ("https://acme.jobs.personio.com", "personio:acme"),
        ("https://acme.teamtailor.com/jobs", "teamtailor:acme"),
        ("https://rooted.na.teamtailor.com/jobs", "teamtailor:rooted.na"),
        ("https://acme.breezy.hr/p/a1b2c3d4e5f6-account-manager", "breezy:acme"),
        ("https://acme.pinpointhq.com/en/postings/11111111-2222-4333-8444-555555555555", "pinpoint:acme"),
        (
            "https://nvidia.wd5.myworkdayjobs.com/en-US/NVIDIAExternalCareerSite",
            "workday:nvidia.wd5/NVIDIAExternalCareerSite",
        ),
        ("https://acme.bamboohr.com/careers", "bamboohr:acme"),
        ("https://ats.rippling.com/acme/jobs", "rippling:acme"),
        ("jsonld:https://careers.example.com/jobs", "jsonld:https://careers.example.com/jobs"),
    ],
)
def test_boards_resolve(url, spec):
    result = alerts("boards", "resolve", url)
    assert result.returncode == 0 and result.stdout.strip() == spec


def test_boards_resolve_lists_the_accepted_forms():
    result = alerts("boards", "resolve", "https://example.com/jobs")
    assert result.returncode == 1 and result.stdout == ""
    assert "'https://example.com/jobs' is neither" in result.stderr
    assert "https://jobs.lever.co/TOKEN" in result.stderr


def test_boards_resolve_a_personio_login_names_the_job_page():
    result = alerts("boards", "resolve", "https://acme.personio.de/")
    assert result.returncode == 1 and result.stdout == ""
    assert "https://acme.jobs.personio.de (personio:acme)" in result.stderr


def test_careers_urls_in_config_resolve_or_name_the_key(tmp_path):
    good = bad_config(tmp_path, "console://")
    good.write_text(
        good.read_text().replace(
            '"lever:plaid"', '"https://jobs.lever.co/plaid", "https://apply.workable.com/acme/"'
        )
    )
    assert "ok: 2 boards" in alerts("validate", "--config", str(good)).stdout
    good.write_text(
        good.read_text().replace("https://apply.workable.com/acme/", "https://example.com/careers")
    )
    result = alerts("validate", "--config", str(good))
    assert result.returncode == 1
    assert (
        "subscriptions[0].boards (subscription 's'): expected a board as kind:token or a careers-page URL"
        in result.stderr
    )


def test_run_leaves_the_garbage_collector_on_even_when_the_config_is_wrong(tmp_path):
    """`run` pauses the cyclic GC while it starts; every way out turns it back on."""
    import gc

    from click.testing import CliRunner

    from alerts.cli import main

    assert gc.isenabled()
    result = CliRunner().invoke(main, ["run", "--once", "--config", str(tmp_path / "missing.toml")])
    assert result.exit_code == 1 and "no such file" in result.output
    assert gc.isenabled()
