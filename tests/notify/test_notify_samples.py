"""docs/samples/ is what docs/render_samples.py writes today: a template
change without regenerating the samples fails here. The email's pictures
come from Chromium, whose pixels depend on the fonts installed, so they are
checked for what they are (PNGs of the whole email at each width), not
byte for byte."""

from __future__ import annotations

import importlib.util
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "render_samples.py"
SAMPLES = ROOT / "docs" / "samples"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# CSS width x device pixel ratio, as the script shoots them.
PNG_WIDTHS = {"email-phone.png": 390 * 2, "email-desktop.png": 800}


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_samples", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def check_picture(path: Path) -> None:
    width, height = png_size(path)
    assert width == PNG_WIDTHS[path.name]
    # The whole five-card email, taller than wide; a blank or cut shot is not.
    assert 1.2 * width < height < 8 * width, (path.name, width, height)
    assert path.stat().st_size > 20_000, path.name


def test_the_committed_text_samples_are_current(tmp_path: Path) -> None:
    written = script().write_texts(tmp_path)
    committed = sorted(p.name for p in SAMPLES.iterdir() if p.suffix != ".png")
    assert sorted(p.name for p in written) == committed
    for path in written:
        assert path.read_text(encoding="utf-8") == (SAMPLES / path.name).read_text(encoding="utf-8"), (
            f"docs/samples/{path.name} is out of date: run `python docs/render_samples.py`"
        )


def test_the_samples_show_each_format_without_stray_characters() -> None:
    slack = (SAMPLES / "slack.txt").read_text(encoding="utf-8")
    assert "\\" not in slack and "**" not in slack and "](" not in slack
    assert "<https://jobs.example.com/northwind/4417|Senior Backend Engineer, Payments>" in slack
    discord = (SAMPLES / "discord.md").read_text(encoding="utf-8")
    assert "[Senior Backend Engineer, Payments](<https://jobs.example.com/northwind/4417>)" in discord
    sms = (SAMPLES / "sms.txt").read_text(encoding="utf-8")
    assert len(sms.replace("Title: ", "", 1).strip()) <= 160 + 2
    for name in ("email.txt", "text.txt"):
        assert "<" not in (SAMPLES / name).read_text(encoding="utf-8")


def test_the_script_runs_as_a_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path), "--no-png"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(Path(line).name for line in result.stdout.split()) == sorted(
        p.name for p in SAMPLES.iterdir() if p.suffix != ".png"
    )


def test_the_committed_pictures_are_pngs_of_the_whole_email() -> None:
    for name in PNG_WIDTHS:
        check_picture(SAMPLES / name)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("email-desktop.png", "email-phone.png", "slack.txt", "discord.md", "email.txt", "sms.txt"):
        assert f"docs/samples/{name}" in readme, name


def test_the_script_photographs_the_email_in_chromium(browser, tmp_path: Path) -> None:
    module = script()
    module.write_texts(tmp_path)
    html = (tmp_path / "email.html").read_text(encoding="utf-8")
    paths = module.screenshots(html, tmp_path, browser)
    assert sorted(p.name for p in paths) == sorted(PNG_WIDTHS)
    for path in paths:
        check_picture(path)
        # The same page as the committed picture: as wide, about as tall
        # (fonts may differ from the machine that made it).
        width, height = png_size(path)
        committed = png_size(SAMPLES / path.name)
        assert width == committed[0] and abs(height - committed[1]) < 0.2 * committed[1]


def test_the_email_fits_a_phone_and_stays_600px_on_a_desktop(browser) -> None:
    html = (SAMPLES / "email.html").read_text(encoding="utf-8")
    measured = {}
    for width in (390, 1000):
        context = browser.new_context(viewport={"width": width, "height": 800}, offline=True)
        try:
            page = context.new_page()
            page.set_content(html, wait_until="load")
            measured[width] = (
                page.evaluate("document.documentElement.scrollWidth"),
                page.evaluate("document.querySelectorAll('table')[1].getBoundingClientRect().width"),
            )
        finally:
            context.close()
    assert measured[390][0] <= 390 and measured[390][1] <= 390 - 2 * 12  # no sideways scrolling
    assert measured[1000] == (1000, 600)
