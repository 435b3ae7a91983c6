"""What ships around the code, as the README describes it: compose.yaml, the
Dockerfile and its health check, shell completion, the changelog."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import tomli
import yaml

from alerts import __version__

from support import Process, free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def readme_section(title: str) -> str:
    return README.split(title, 1)[1].split("\n- ", 1)[0]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_postgres_and_the_service_as_the_readme_says(compose):
    services = compose["services"]
    assert set(services) == {"db", "alerts"}
    db, service = services["db"], services["alerts"]

    assert db["image"].startswith("postgres:")
    assert "db-data:/var/lib/postgresql/data" in db["volumes"]
    assert "db-data" in compose["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])

    assert service["command"] == ["run", "--http", "0.0.0.0:9108"]
    assert service["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert service["ports"] == ["127.0.0.1:9108:9108"]
    assert "./alerts.toml:/config/alerts.toml:ro" in service["volumes"]
    assert service["environment"]["ALERTS_CONFIG"] == "/config/alerts.toml"
    assert service["environment"]["ALERTS_DATABASE_URL"].startswith("postgresql://alerts:")
    assert service["env_file"] == ".env"

    promised = readme_section("- Docker Compose, with PostgreSQL:")
    for words in (
        "`db`",
        "`alerts`",
        "`db-data`",
        "`pg_isready`",
        "alerts run --http 0.0.0.0:9108",
        "cp .env.example .env",
        "docker compose up -d",
        "http://127.0.0.1:9108/",
        "read-only",
    ):
        assert words in promised, f"the README's compose section does not say {words}"


def test_every_variable_compose_reads_is_in_env_example(compose):
    wanted = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", json.dumps(compose)))  # values, not comments
    assert wanted, "compose.yaml reads no variable"
    example = (ROOT / ".env.example").read_text()
    given = set(re.findall(r"^#?\s*([A-Z_][A-Z0-9_]*)=", example, re.M))
    assert wanted <= given, f".env.example lacks {sorted(wanted - given)}"


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments left out."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_the_image_exposes_the_page_checks_its_health_and_is_not_root():
    instructions = dockerfile()
    assert ("EXPOSE", "9108") in instructions
    users = [args for name, args in instructions if name == "USER"]
    assert users and users[-1] not in ("root", "0") and not users[-1].startswith(("root:", "0:"))
    (check,) = [args for name, args in instructions if name == "HEALTHCHECK"]
    assert "/healthz" in check and "127.0.0.1:9108" in check
    assert ("ENTRYPOINT", '["alerts"]') in instructions
    assert ("CMD", '["run", "--http", "0.0.0.0:9108"]') in instructions
    assert "Docker Compose" in README and "HEALTHCHECK" in README


def healthcheck_code(port: int) -> list[str]:
    """The image's HEALTHCHECK command, asking the given port instead of 9108."""
    (check,) = [args for name, args in dockerfile() if name == "HEALTHCHECK"]
    command = json.loads(check[check.index("CMD") + 3 :])
    assert command[:2] == ["python", "-c"]
    return [sys.executable, "-c", command[2].replace("9108", str(port))]


def test_the_health_check_passes_while_the_service_runs_and_fails_when_it_is_gone(tmp_path):
    config = tmp_path / "alerts.toml"
    config.write_text('[channels.out]\nurl = "console://"\n')
    port = free_port()
    service = Process(config, "--http", f"127.0.0.1:{port}")
    try:

        def healthy() -> bool:
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
            except OSError:
                return False

        wait_until(healthy, "the service's /healthz", [service])
        check = subprocess.run(healthcheck_code(port), capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        assert service.stop() == 0
    finally:
        service.kill()
    gone = subprocess.run(healthcheck_code(port), capture_output=True, text=True, timeout=30)
    assert gone.returncode != 0


def console_script() -> Path:
    # The `alerts` pip installs beside this Python, as a user's shell runs it.
    script = Path(sys.executable).with_name("alerts")
    assert script.exists(), f"no alerts script beside {sys.executable}: pip install the package first"
    return script


@pytest.mark.parametrize(
    "shell, mark",
    [
        ("bash", "complete -o nosort -F _alerts_completion alerts"),
        ("zsh", "#compdef alerts"),
        ("fish", "complete --no-files --command alerts"),
    ],
)
def test_shell_completion_scripts_are_written(shell, mark):
    env = {**os.environ, "_ALERTS_COMPLETE": f"{shell}_source"}
    result = subprocess.run([console_script()], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert mark in result.stdout
    assert f"_ALERTS_COMPLETE={shell}_source alerts" in README


def test_completion_knows_the_new_commands():
    env = {
        **os.environ,
        "_ALERTS_COMPLETE": "bash_complete",
        "COMP_WORDS": "alerts config ",
        "COMP_CWORD": "2",
    }
    result = subprocess.run([console_script()], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert {"plain,init", "plain,schema"} <= set(result.stdout.split())


def test_the_schema_ships_in_the_package():
    pyproject = tomli.loads((ROOT / "pyproject.toml").read_text())
    assert "schema.json" in pyproject["tool"]["setuptools"]["package-data"]["alerts.config"]
    assert (ROOT / "alerts" / "config" / "schema.json").exists()


def test_the_changelog_keeps_a_changelog_and_matches_the_version():
    text = (ROOT / "CHANGELOG.md").read_text()
    assert "https://keepachangelog.com/" in text
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", text, re.M)
    assert [version for version, _ in releases] == [__version__, "0.1.0"]
    assert releases[0] == ("0.2.0", "2026-11-29")
    for version, _ in releases:
        assert re.search(rf"^\[{re.escape(version)}\]: https://", text, re.M), f"no link for {version}"
    sections = set(re.findall(r"^### (\w+)$", text, re.M))
    assert sections <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
