"""A digest of hundreds of postings stays under Gmail's clipping limit: the
email shows its first cards, says how many more there are and where to see
them (`alerts jobs`, `alerts history`, the web page), and its title and
counts still count every posting. Measured with long, realistic titles,
places, departments, salaries, links and reposts."""

from __future__ import annotations

from datetime import timedelta

from alerts.config import load_config
from alerts.delivery.deliverer import envelope_for
from alerts.model import Delivery, Event, Posting, Repost
from alerts.notify.compose import EMAIL_MAX_BYTES, EMAIL_MAX_CARDS, compose, target_for
from alerts.notify.envelope import Envelope
from alerts.notify.samples import SHOWCASE_NOW

MAIL_URL = "mailto://127.0.0.1:2525/?from=a@example.com&to=b@example.com"
GMAIL_CLIPS_AT = 102 * 1024
POSTINGS = 500
KINDS = ("opened",) * 6 + ("updated", "updated", "closed", "closed")


def _posting(number: int, extreme: bool = False) -> Posting:
    """Long as real postings get (a 90-character title, two places); `extreme`: longer still."""
    company = f"Northwind Quantum Analytics {number % 30:02d}"
    title = f"Senior Staff Software Engineer, Machine Learning Infrastructure (Distributed Training) {number}"
    location = "London, England, United Kingdom; Remote (EMEA)"
    if extreme:
        title += ", Large-Scale Platform & Developer Experience"
        location += "; Berlin, Germany; Amsterdam, Netherlands"
    return Posting(
        "greenhouse",
        f"northwind-quantum-analytics-{number % 30:02d}",
        f"{7_000_000_000 + number}",
        title,
        company=company,
        department="Research Engineering" + (" & Applied Machine Learning Infrastructure" if extreme else ""),
        team="Training Platform",
        location=location,
        work_model="hybrid",
        employment_type="full_time",
        salary_min=185_000 + number,
        salary_max=265_000 + number,
        salary_currency="GBP",
        salary_period="year",
        url=f"https://job-boards.greenhouse.io/northwindquantumanalytics/jobs/{7_000_000_000 + number}"
        "?gh_src=a1b2c3d4e5&utm_source=alerts&utm_medium=email",
        apply_url=f"https://job-boards.greenhouse.io/northwindquantumanalytics/jobs/{7_000_000_000 + number}"
        "/apply?gh_src=a1b2c3d4e5",
        posted_at=SHOWCASE_NOW - timedelta(days=number % 90),
    )


def _items(count: int = POSTINGS, extreme: bool = False) -> list[Delivery]:
    items = []
    for number in range(count):
        kind = KINDS[number % len(KINDS)]
        posting = _posting(number, extreme)
        changes = {}
        if kind == "updated":
            changes = {
                "salary": ["GBP 150,000-200,000 per year", posting.salary],
                "location": ["London, England, United Kingdom", posting.location],
            }
        reposts = None
        if kind == "opened" and number % 5 == 0:
            reposts = Repost(
                posting.board_key,
                f"{6_000_000_000 + number}",
                f"https://job-boards.greenhouse.io/northwindquantumanalytics/jobs/{6_000_000_000 + number}",
                SHOWCASE_NOW - timedelta(days=120),
                SHOWCASE_NOW - timedelta(days=3),
            )
        event = Event(
            kind,
            posting.board_key,
            posting.external_id,
            posting,
            changes,
            SHOWCASE_NOW - timedelta(minutes=POSTINGS - number),
            id=number + 1,
            first_seen_at=SHOWCASE_NOW - timedelta(days=10),
            reposts=reposts,
            chain=reposts,
        )
        subs = ("ml-infrastructure-london-and-remote", "senior-platform-roles-europe")
        items.append(Delivery(number + 1, "mail", event, subs))
    return items


def _email(items: list[Delivery], web_url: str | None = None):  # type: ignore[no-untyped-def]
    envelope = Envelope("mail", "Europe/London", True, SHOWCASE_NOW - timedelta(days=1), SHOWCASE_NOW,
                        "alerts.toml", web_url)  # fmt: skip
    (part,) = compose(items, target_for(MAIL_URL), now=SHOWCASE_NOW, envelope=envelope)
    return part


def test_an_email_of_500_postings_shows_40_and_stays_under_gmails_limit() -> None:
    items = _items()
    part = _email(items, "https://alerts.example.com/")
    html = part.message.body
    size = len(html.encode())
    print(f"500 postings: HTML {size} bytes, text part {len(part.text.encode())} bytes")
    assert size < GMAIL_CLIPS_AT
    assert html.count("<h2 ") == EMAIL_MAX_CARDS
    more = POSTINGS - EMAIL_MAX_CARDS
    assert f"…and {more} more</strong> not shown here" in html
    assert '<a href="https://alerts.example.com/" style="color:#1d4ed8;">the web page</a>' in html
    assert "alerts jobs" in html and "Sent by alerts." in html  # the footer is there, unclipped
    # Every posting is counted, in the title and the header, and every row goes out with it.
    assert part.message.title.startswith("200 new, 100 reposted, 100 updated, 100 closed: ")
    for count, word in ((200, "new"), (100, "reposted"), (100, "updated"), (100, "closed")):
        assert f"<strong>{count}</strong> {word}</span>" in html
    assert set(part.ids) == {item.id for item in items}
    # The text part says the same.
    assert part.text is not None and f"...and {more} more not shown here" in part.text
    assert "https://alerts.example.com/" in part.text and "200 new, 100 reposted" in part.text


def test_forty_cards_of_long_postings_fit_with_room_to_spare() -> None:
    """The cap is measured: a long card costs about 2.2 KB, so 40 come to about 90 KB."""
    whole = _email(_items(EMAIL_MAX_CARDS))
    size = len(whole.message.body.encode())
    print(f"{EMAIL_MAX_CARDS} long postings: HTML {size} bytes")
    assert "more</strong> not shown" not in whole.message.body
    assert size < GMAIL_CLIPS_AT * 0.9, size


def test_postings_longer_still_show_fewer_cards_rather_than_be_clipped() -> None:
    part = _email(_items(extreme=True))
    html = part.message.body
    cards = html.count("<h2 ")
    print(f"500 extreme postings: HTML {len(html.encode())} bytes, {cards} cards")
    assert len(html.encode()) <= EMAIL_MAX_BYTES and 30 <= cards < EMAIL_MAX_CARDS
    assert f"…and {POSTINGS - cards} more</strong> not shown here" in html and "Sent by alerts." in html


def test_without_a_web_page_the_email_points_to_the_commands() -> None:
    part = _email(_items(EMAIL_MAX_CARDS + 1))
    html = part.message.body
    assert "…and 1 more</strong> not shown here" in html and "the web page" not in html
    assert "alerts history" in html and part.message.title.startswith(
        "16 new, 9 reposted, 8 updated, 8 closed"
    )


def test_the_web_page_an_email_points_to_is_the_configs_public_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "alerts.toml"
    path.write_text(
        '[web]\npublic_url = "https://jobs.example.org/alerts/"\n'
        f'[channels.mail]\nurl = "{MAIL_URL}"\n'
        '[[subscriptions]]\nname = "s"\nboards = ["lever:acme"]\nchannels = ["mail"]\n'
    )
    envelope = envelope_for(load_config(path), "mail", None)
    assert envelope.web_url == "https://jobs.example.org/alerts"
    part = compose(_items(EMAIL_MAX_CARDS + 1), target_for(MAIL_URL), now=SHOWCASE_NOW, envelope=envelope)[0]
    assert (
        '<a href="https://jobs.example.org/alerts" style="color:#1d4ed8;">the web page</a>'
        in part.message.body
    )
