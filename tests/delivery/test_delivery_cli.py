"""`alerts preview`, `alerts test-notify`, `alerts retry` and the deliveries
part of `alerts status`, run as a user runs them."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from alerts.cli.report_delivery import delivery_lines

from delivery_support import job
from support import alerts


def test_preview_without_waiting_events_shows_samples_in_each_channels_format(sqlite_world, mailbox):
    _, mail_url = mailbox
    world = sqlite_world(f'[channels.mail]\nurl = "{mail_url}"\n[channels.term]\nurl = "console://"\n')

    result = alerts("preview", "--config", str(world.path))

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "=== mail: instant; nothing waiting: sample events" in out
    assert "=== term: instant; nothing waiting: sample events" in out
    assert "Title: 1 new, 1 reopened, 1 updated, 1 closed: OpenAI" in out
    assert '<a href="https://jobs.ashbyhq.com/openai/' in out  # the email's HTML
    assert "plain-text part of the same email" in out
    assert world.counts() == {}


def test_preview_shows_waiting_events_and_filters(sqlite_world, hook):
    world = sqlite_world(
        f'[channels.hook]\nurl = "{hook.url}"\n'
        '[channels.digest]\nurl = "console://"\ndigest = "0 8 * * mon-fri"\ntimezone = "Europe/Berlin"\n'
    )
    world.queue(job("1", "Platform Engineer"))
    world.queue(job("2", "Data Engineer"), subs=("other",), channels=["hook"])

    everything = alerts("preview", "--config", str(world.path))
    assert everything.returncode == 0, everything.stderr
    assert "=== hook: instant; 2 waiting" in everything.stdout
    assert "=== digest: digest 0 8 * * mon-fri (Europe/Berlin), next " in everything.stdout
    assert "Data Engineer" in everything.stdout and "Platform Engineer" in everything.stdout

    only = alerts("preview", "--config", str(world.path), "--channel", "hook", "--subscription", "everything")
    assert only.returncode == 0, only.stderr
    assert "=== digest" not in only.stdout and "1 waiting" in only.stdout
    assert "Platform Engineer" in only.stdout and "Data Engineer" not in only.stdout
    assert hook.hits == 0  # a preview sends nothing

    unknown = alerts("preview", "--config", str(world.path), "--channel", "nope")
    assert unknown.returncode == 1
    assert "no channel 'nope' under [channels]; defined: digest, hook" in unknown.stderr


def test_test_notify_sends_a_sample_and_says_so(sqlite_world, hook):
    world = sqlite_world(f'[channels.hook]\nurl = "{hook.url}"\n')
    result = alerts("test-notify", "hook", "--config", str(world.path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"hook: json://127.0.0.1:{hook.server.port}/hook: sent (1 message)"
    (message,) = hook.received
    assert message["title"] == "Test: 1 new, 1 reopened, 1 updated, 1 closed: OpenAI"
    assert "Order Management & Billing Lead" in message["message"]
    assert world.counts() == {}


def test_test_notify_explains_a_failure_in_plain_words(sqlite_world, hook):
    hook.failing = 1
    world = sqlite_world(f'[channels.hook]\nurl = "{hook.url}"\n')
    result = alerts("test-notify", "hook", "--config", str(world.path))
    assert result.returncode == 1
    assert "hook: json://127.0.0.1:" in result.stderr
    assert "FAILED: it refused or could not be reached:" in result.stderr and "500" in result.stderr


def test_test_notify_keeps_secrets_out_of_its_report(sqlite_world, hook):
    url = f"json://alice:hunter2secret@127.0.0.1:{hook.server.port}/hook"
    hook.failing = 1
    world = sqlite_world(f'[channels.hook]\nurl = "{url}"\n')
    result = alerts("test-notify", "hook", "--config", str(world.path))
    assert result.returncode == 1 and "hunter2secret" not in result.stdout + result.stderr


def test_retry_requeues_dead_deliveries_and_status_shows_them(make_world, hook):
    world = make_world(f'[channels.hook]\nurl = "{hook.url}"\nmax_attempts = 1\n')
    world.queue(job("1", "Platform Engineer"))
    hook.failing = 1
    world.deliverer().deliver_channel("hook")
    assert world.counts() == {("hook", "dead"): 1}
    lines = list(delivery_lines(world.config, world.store, world.clock()))
    assert lines[0].split() == ["CHANNEL", "MODE", "PENDING", "FAILING", "DEAD", "SENT", "LAST", "SENT"]
    assert lines[1].split() == ["hook", "instant", "0", "0", "1", "0", "never"]
    assert any("hook: 1 gave up" in line and "500" in line for line in lines)

    plain = alerts("retry", "--config", str(world.path))
    assert plain.returncode == 0 and plain.stdout.startswith("requeued 0 deliveries")
    dead = alerts("retry", "--dead", "--channel", "hook", "--config", str(world.path))
    assert dead.returncode == 0, dead.stderr
    assert dead.stdout.startswith("requeued 1 delivery;")
    world.clock.now = datetime.now(timezone.utc)  # the command requeued it for "now", by the wall clock
    world.deliverer().deliver_channel("hook")
    assert len(hook.received) == 1 and world.counts() == {("hook", "sent"): 1}


def test_status_shows_a_digest_and_quiet_hours(sqlite_world):
    world = sqlite_world(
        '[channels.daily]\nurl = "console://"\ndigest = "daily"\n'
        '[channels.night]\nurl = "console://"\nquiet_hours = "07:00-09:00"\n'
    )
    lines = list(delivery_lines(world.config, world.store, world.clock()))
    assert "digest daily (UTC), next 2026-11-24 08:00 UTC" in lines[1]
    assert "instant, quiet 07:00-09:00 (UTC): quiet until 2026-11-23 09:00 UTC" in lines[2]


def test_preview_of_a_digest_email_shows_the_period_it_will_cover(sqlite_world, mailbox):
    _, mail_url = mailbox
    world = sqlite_world(
        f'[channels.news]\nurl = "{mail_url}"\ndigest = "0 8 * * *"\ntimezone = "Europe/Berlin"\n'
    )
    # The last digest went out at 08:00 Berlin on Monday; the next one covers from then.
    world.store.channels.set_last_digests(["news"], datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc))
    world.queue(job("1", "Platform Engineer"))

    result = alerts("preview", "--config", str(world.path), "--channel", "news")

    assert result.returncode == 0, result.stderr
    # From the last digest to when the next one goes out (by the wall clock:
    # now, when it is overdue), in Berlin time.
    assert re.search(
        r"Job alerts \(digest\): Mon 23 Nov 08:00 – \w{3} \d+ \w{3} \d\d:\d\d \(Europe/Berlin\)",
        result.stdout,
    )
    assert "subscription everything in alerts.toml, which sends to the channel news." in result.stdout
    assert "alerts preview --channel news" in result.stdout
