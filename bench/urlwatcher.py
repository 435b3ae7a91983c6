"""urlwatch (from PyPI, in its own venv) watching the same board URLs.

Each job pretty-prints the JSON (`format-json`) before urlwatch diffs it, as
a urlwatch user watching a JSON API would, so a change reads as changed
lines rather than one giant line; the report goes to stdout (a file here).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

VENV = Path("/tmp/bench-urlwatch")
VERSION = "2.29"


def ensure_venv(venv: Path = VENV) -> Path:
    """The urlwatch executable, installing it into `venv` first when missing."""
    exe = venv / "bin" / "urlwatch"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"urlwatch=={VERSION}"], check=True)
    return exe


def write_files(workdir: Path, urls: list[str], *, filter_json: bool = True) -> tuple[Path, Path, Path]:
    """urls.yaml, urlwatch.yaml and the cache path for one scenario."""
    workdir.mkdir(parents=True, exist_ok=True)
    jobs = []
    for url in urls:
        job = f'url: "{url}"\n'
        if filter_json:
            job += "filter:\n  - format-json\n"
        jobs.append(job)
    urls_file = workdir / "urls.yaml"
    urls_file.write_text("---\n".join(jobs))
    config = workdir / "urlwatch.yaml"
    config.write_text(
        "display:\n  new: true\n  error: true\n  unchanged: false\n  empty-diff: false\n"
        "report:\n  text:\n    details: true\n    footer: false\n    line_length: 75\n"
        "  stdout:\n    enabled: true\n    color: false\n"
    )
    return urls_file, config, workdir / "cache.db"


def argv(exe: Path, urls_file: Path, config: Path, cache: Path) -> list[str]:
    return [
        str(exe),
        "--urls",
        str(urls_file),
        "--config",
        str(config),
        "--cache",
        str(cache),
        "--hooks",
        str(urls_file.parent / "hooks.py"),
    ]
