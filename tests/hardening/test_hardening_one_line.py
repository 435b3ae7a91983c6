"""Issue 11, one line, never a traceback: each mistake gets exit 1 and one
line on stderr naming the file and key (or the cause)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from hardening_support import assert_one_line_error, write_config
from support import alerts

SUBSCRIPTION = """
[[subscriptions]]
name = "all"
boards = ["lever:acme"]
channels = ["me"]
"""

RAISING_TEMPLATES = {
    "index-error": '{{ "{}".format() }}',
    "list-index": "{{ [][1] }}",
    "huge-range": "{{ range(10**10)|list }}",
    "recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "bad-encoding": '{{ "x".encode("rot13") }}',
    "zero-division": "{{ 1 / 0 }}",
}


@pytest.mark.parametrize("command", ["validate", "preview"])
@pytest.mark.parametrize("template", RAISING_TEMPLATES.values(), ids=RAISING_TEMPLATES.keys())
def test_template_raising_at_render_time_is_one_line(tmp_path, command, template):
    (tmp_path / "mine.txt.j2").write_text(template)
    config = write_config(
        tmp_path, f'[channels.me]\nurl = "console://"\ntemplate = "mine.txt.j2"\n{SUBSCRIPTION}'
    )
    result = alerts(command, "--config", str(config))
    assert_one_line_error(result, str(config), "channels.me.template", "mine.txt.j2")


@pytest.mark.parametrize("url", ["postgresql://x:99999/db", "oracle://x", "not a url"])
def test_bad_database_url_is_refused_by_validate(tmp_path, url):
    path = tmp_path / "alerts.toml"
    path.write_text(f'[database]\nurl = "{url}"\n[channels.me]\nurl = "console://"\n{SUBSCRIPTION}')
    result = alerts("validate", "--config", str(path))
    assert_one_line_error(result, str(path), "database.url")


@pytest.mark.parametrize("url", ["oracle://x", "not a url"])
def test_bad_database_url_is_one_line_for_run(tmp_path, url):
    path = tmp_path / "alerts.toml"
    path.write_text(f'[database]\nurl = "{url}"\n[channels.me]\nurl = "console://"\n{SUBSCRIPTION}')
    result = alerts("run", "--once", "--config", str(path))
    assert_one_line_error(result, "database.url", logs_allowed=True)


@pytest.fixture
def read_only():
    """Make a file or folder read-only, even for root (chattr +i); undone afterwards."""
    made: list[Path] = []

    def make(path: Path) -> None:
        if os.geteuid() != 0:
            path.chmod(0o555 if path.is_dir() else 0o444)
        elif shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode != 0:
            pytest.skip("running as root and cannot make a file immutable here")
        made.append(path)

    yield make
    for path in reversed(made):
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        else:
            path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_sqlite_is_one_line(tmp_path, read_only, what):
    folder = tmp_path / "data"
    folder.mkdir()
    config = write_config(
        tmp_path,
        f'[channels.me]\nurl = "console://"\n{SUBSCRIPTION}',
        database_url=f"sqlite:///{folder / 'a.db'}",
    )
    if what == "file":
        upgrade = alerts("db", "upgrade", "--config", str(config))
        assert upgrade.returncode == 0, upgrade.stderr
        read_only(folder / "a.db")
    else:
        read_only(folder)
    result = alerts("run", "--once", "--config", str(config))
    assert_one_line_error(result, str(folder), logs_allowed=True)


def test_http_port_in_use_is_one_line(tmp_path):
    config = write_config(tmp_path, f'[channels.me]\nurl = "console://"\n{SUBSCRIPTION}')
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = alerts("run", "--http", f"127.0.0.1:{port}", "--config", str(config), timeout=20)
    assert_one_line_error(result, "--http", str(port), logs_allowed=True)


def test_http_port_over_65535_is_refused(tmp_path):
    config = write_config(tmp_path, f'[channels.me]\nurl = "console://"\n{SUBSCRIPTION}')
    result = alerts("run", "--http", "127.0.0.1:70000", "--config", str(config), timeout=20)
    assert_one_line_error(result, "--http", logs_allowed=True)


def test_base_url_port_over_65535_is_refused(tmp_path):
    config = write_config(
        tmp_path,
        f'[sources.lever]\nbase_url = "http://127.0.0.1:70000/v0"\n[channels.me]\nurl = "console://"\n{SUBSCRIPTION}',
    )
    result = alerts("validate", "--config", str(config))
    assert_one_line_error(result, str(config), "sources.lever.base_url")


def test_template_outside_the_config_folder_is_refused(tmp_path):
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd").write_text("root:x:0:0:NOT-FOR-YOUR-EYES:/root:/bin/bash\n")
    config = write_config(
        folder, f'[channels.me]\nurl = "console://"\ntemplate = "../../etc/passwd"\n{SUBSCRIPTION}'
    )
    validate = alerts("validate", "--config", str(config))
    preview = alerts("preview", "--config", str(config))
    assert "NOT-FOR-YOUR-EYES" not in preview.stdout + preview.stderr, preview.stdout
    assert_one_line_error(validate, str(config), "channels.me.template")
    assert_one_line_error(preview, str(config), "channels.me.template")


def test_unknown_source_kind_is_refused_listing_the_kinds(tmp_path):
    config = write_config(
        tmp_path,
        f'[sources.greenhose]\nbase_url = "http://127.0.0.1:9/gh"\n[channels.me]\nurl = "console://"\n{SUBSCRIPTION}',
    )
    result = alerts("validate", "--config", str(config))
    line = assert_one_line_error(result, str(config), "sources.greenhose")
    for kind in ("greenhouse", "lever", "ashby", "smartrecruiters", "workable", "recruitee", "bluedoor"):
        assert kind in line, line
