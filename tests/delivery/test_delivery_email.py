"""Email through a real local SMTP server (aiosmtpd), read back as a mail
client would: a multipart message whose text part keeps every link."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from alerts.notify import sample_items
from alerts.notify.compose import compose, target_for
from alerts.notify.email import _texts

from delivery_support import HOSTILE, SMTP_FROM, SMTP_TO, job


def test_email_is_html_with_a_plain_text_part_that_keeps_every_link(make_world, mailbox):
    box, url = mailbox
    world = make_world(f'[channels.mail]\nurl = "{url}"\n')
    gone = job("9", "Office Manager", company="OpenAI", board="openai")
    world.queue(gone, channels=["elsewhere"])  # known before, not announced here
    jobs = [
        job("1", "Billing Lead", company="OpenAI", board="openai"),
        job("2", HOSTILE, company="OpenAI", board="openai"),
        job("3", "Payments Engineer", company="Stripe", board="stripe"),
    ]
    world.queue(*jobs)
    world.close(gone, channels=["mail"])

    result = world.deliverer().deliver_channel("mail")

    assert result.sent == 4 and not result.errors
    (mail,) = box.messages
    assert mail["Subject"] == "3 new, 1 closed: OpenAI, Stripe"
    assert mail["To"] == SMTP_TO and SMTP_FROM in mail["From"]
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    for posting in [*jobs, gone]:
        assert posting.url in text  # written out, so a text-only reader can open it
        assert f'href="{posting.url}"' in html
    # Hostile text is inert in HTML, and plain words in the text part.
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="http://evil"' not in html
    assert HOSTILE in text
    assert "<li" not in text and "<div" not in text
    assert "CLOSED: Office Manager" in text
    # The text is registered only while its email is being sent.
    assert _texts == {}


def test_email_with_a_user_template_still_gets_the_built_in_text_part(tmp_path, sqlite_world, mailbox):
    box, url = mailbox
    (tmp_path / "mail.html.j2").write_text(
        "<p>{{ counts.total }} changes</p>{% for g in groups %}{% for e in g.events %}"
        '<a href="{{ e.posting.link }}">{{ e.posting.title }}</a>{% endfor %}{% endfor %}'
    )
    world = sqlite_world(f'[channels.mail]\nurl = "{url}"\ntemplate = "mail.html.j2"\n')
    world.queue(job("1", "Billing Lead"))
    world.deliverer().deliver_channel("mail")
    (mail,) = box.messages
    assert "1 changes" in mail.get_body(preferencelist=("html",)).get_content()
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "NEW: Billing Lead" in text and "https://jobs.example.com/acme/1" in text


def test_email_format_text_sends_plain_text_only(sqlite_world, mailbox):
    box, url = mailbox
    world = sqlite_world(f'[channels.mail]\nurl = "{url}"\nformat = "text"\n')
    world.queue(job("1", "Billing Lead"))
    world.deliverer().deliver_channel("mail")
    (mail,) = box.messages
    assert mail.get_content_type() == "text/plain"
    assert "https://jobs.example.com/acme/1" in mail.get_content()


def test_email_text_part_is_the_rendered_text_template():
    url = "mailto://127.0.0.1:2525/?from=a@example.com&to=b@example.com"
    (part,) = compose(sample_items()[:1], target_for(url))
    assert part.message.body_format == "html" and part.text is not None
    # Issue 14: a header (when, what) above the postings, as in the HTML.
    assert part.text.startswith("Job alerts: ") and "\n\nOpenAI\n======\n" in part.text
    assert "https://jobs.ashbyhq.com/openai/" in part.text


def test_a_digest_email_says_the_period_it_covers_in_the_channels_time_zone(sqlite_world, mailbox):
    box, url = mailbox
    world = sqlite_world(
        f'[channels.mail]\nurl = "{url}"\ndigest = "0 8 * * *"\ntimezone = "America/New_York"\n'
    )
    deliverer = world.deliverer()
    world.clock.now = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)  # 09:30 in New York
    asyncio.run(deliverer.deliver())  # first sight: the period starts now
    world.queue(job("1", "Billing Lead"))
    world.clock.now = datetime(2026, 11, 24, 13, 0, tzinfo=timezone.utc)  # 08:00 the next day
    asyncio.run(deliverer.deliver())

    (mail,) = box.messages
    html = mail.get_body(preferencelist=("html",)).get_content()
    text = mail.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    period = "Mon 23 Nov 09:30 – Tue 24 Nov 08:00"
    assert f">{period}</h1>" in html and "America/New_York" in html
    assert text.startswith(f"Job alerts (digest): {period} (America/New_York)\n1 new\n")
    # The footer names the subscription, the config file and the channel.
    for part in (html, text):
        assert "subscription everything in alerts.toml, which sends to the channel mail." in part
        assert "alerts preview --channel mail" in part


def test_an_instant_email_says_when_it_was_sent(sqlite_world, mailbox):
    box, url = mailbox
    world = sqlite_world(f'[channels.mail]\nurl = "{url}"\ntimezone = "Asia/Tokyo"\n')
    world.queue(job("1", "Billing Lead"))
    world.deliverer().deliver_channel("mail")  # at 08:00 UTC, 17:00 in Tokyo
    (mail,) = box.messages
    assert ">Mon 23 Nov 17:00</h1>" in mail.get_body(preferencelist=("html",)).get_content()
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert text.startswith("Job alerts: Mon 23 Nov 17:00 (Asia/Tokyo)\r\n")
