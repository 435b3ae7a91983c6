"""Render what each kind of channel receives into docs/samples/.

    python docs/render_samples.py [--out DIR] [--no-png]

The showcase events (alerts/notify/samples.py: a digest with new jobs, a
repost, an update and a closed job) go through the real compose path for
each service. Slack and Discord are sent through Apprise, with the requests
caught by `responses` before they leave, so their files are the payloads the
services would receive. The email's HTML is photographed at phone and desktop
width by Debian's headless Chromium (/usr/bin/chromium, or ALERTS_CHROMIUM)
through Playwright, which never downloads a browser here.

Needs the test extras (`pip install -e '.[test]'`: responses, playwright).
tests/notify/test_notify_samples.py fails when the committed files are not
what this script writes, so regenerate them after changing a template.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import responses

from alerts.model import Message
from alerts.notify.compose import Part, compose, target_for
from alerts.notify.samples import SHOWCASE_NOW, showcase_envelope, showcase_items
from alerts.notify.send import send

SAMPLES = Path(__file__).resolve().parent / "samples"
CHROMIUM = os.environ.get("ALERTS_CHROMIUM", "/usr/bin/chromium")

EMAIL_URL = "mailtos://alerts:secret@smtp.example.com/?to=me@example.com"
SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"
DISCORD_URL = "https://discord.com/api/webhooks/123/TOKEN"
WEBHOOK_URL = "json://hooks.example.com/alerts"
SMS_URL = (
    "twilio://AC12345678901234567890123456789012:abcdefabcdefabcdefabcdefabcdefab@15551234567/15557654321"
)

# (name, width in CSS pixels, device pixel ratio): a phone, and a desktop mail pane.
SCREENS = (("phone", 390, 2), ("desktop", 800, 1))


def _parts(url: str, channel: str) -> list[Part]:
    return compose(showcase_items(), target_for(url), now=SHOWCASE_NOW, envelope=showcase_envelope(channel))


def _posted(url: str, parts: list[Part]) -> list[dict[str, Any]]:
    """Each part as the service receives it: Apprise's own request, caught."""
    with responses.RequestsMock() as caught:
        if "discord" in url:
            caught.add(responses.POST, url, status=204)
        else:
            caught.add(responses.POST, url, body="ok")
        for part in parts:
            outcome = send(url, part.message, tag="ch-sample")
            assert outcome.status == "sent", outcome
        payloads = [json.loads(call.request.body) for call in caught.calls]
    for payload in payloads:
        for attachment in payload.get("attachments", []):
            attachment.pop("ts", None)  # Slack's send time: not part of the sample
    return payloads


def _message(message: Message) -> str:
    return f"Title: {message.title}\n\n{message.body}\n"


def texts() -> dict[str, str]:
    """Every text sample by file name."""
    files: dict[str, str] = {}
    (email,) = _parts(EMAIL_URL, "email")
    files["email.html"] = email.message.body + "\n"
    files["email.txt"] = f"Subject: {email.message.title}\n\n{email.text}\n"

    slack = _parts(SLACK_URL, "slack")
    posted = _posted(SLACK_URL, slack)
    files["slack.json"] = json.dumps(posted, indent=2, ensure_ascii=False) + "\n"
    files["slack.txt"] = "\n".join(
        f"{a['title']}\n\n{a['text']}\n" for payload in posted for a in payload["attachments"]
    )

    discord = _parts(DISCORD_URL, "discord")
    posted = _posted(DISCORD_URL, discord)
    files["discord.json"] = json.dumps(posted, indent=2, ensure_ascii=False) + "\n"
    files["discord.md"] = "\n".join(payload["content"].replace("\r\n", "\n") + "\n" for payload in posted)

    files["text.txt"] = "\n".join(_message(part.message) for part in _parts(WEBHOOK_URL, "webhook"))
    files["sms.txt"] = "\n".join(_message(part.message) for part in _parts(SMS_URL, "sms"))
    return files


def write_texts(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts().items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def screenshots(html: str, out: Path, browser: Any) -> list[Path]:
    """The email at each of SCREENS' widths, as tall as it is, with scripts
    and the network off (as a mail client shows it)."""
    written = []
    for name, width, scale in SCREENS:
        # A small viewport height: a full-page shot is then as tall as the mail.
        context = browser.new_context(
            viewport={"width": width, "height": 100},
            device_scale_factor=scale,
            java_script_enabled=False,
            offline=True,
        )
        try:
            page = context.new_page()
            page.set_content(html, wait_until="load")
            path = out / f"email-{name}.png"
            page.screenshot(path=str(path), full_page=True, animations="disabled")
            written.append(path)
        finally:
            context.close()
    return written


def write_screenshots(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    html = (out / "email.html").read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            return screenshots(html, out, browser)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SAMPLES, help="folder to write (default docs/samples)")
    parser.add_argument("--no-png", action="store_true", help="only the text samples (no browser)")
    args = parser.parse_args(argv)
    written = write_texts(args.out)
    if not args.no_png:
        if not os.access(CHROMIUM, os.X_OK):
            print(f"{CHROMIUM} not found: apt-get install --no-install-recommends chromium", file=sys.stderr)
            return 1
        written += write_screenshots(args.out)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
