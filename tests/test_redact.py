"""Review trust-b item 5c: secrets are masked in log lines without garbling
them: a value of six characters or more wherever it appears, a shorter one
("jobs", "1") only as a whole part of a URL."""

from __future__ import annotations

import logging

import pytest

from alerts.service.redact import MASK, RedactingFormatter, Redactor

SECRETS = ["jobs", "1", "abc", "s3cr3t-token-42", "hunter2"]


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        # Long values: anywhere.
        ("token s3cr3t-token-42 leaked", f"token {MASK} leaked"),
        ("password=hunter2;", f"password={MASK};"),
        ("https://h/x?key=s3cr3t-token-42&a=b", f"https://h/x?key={MASK}&a=b"),
        # Short values: inside URLs, as a whole part.
        (
            "POST json://user:abc@hooks.example.com/jobs?x=1",
            f"POST json://user:{MASK}@hooks.example.com/{MASK}?x={MASK}",
        ),
        ("to mailto://127.0.0.1/?to=1,abc done", f"to mailto://127.0.0.1/?to={MASK},{MASK} done"),
        # ... and nowhere else: the words and digits of the line stay.
        ("polled 11 boards: 1 failed, 214 jobs seen", "polled 11 boards: 1 failed, 214 jobs seen"),
        ("greenhouse:jobs answered 200", "greenhouse:jobs answered 200"),
        ("https://boards.example.com/jobsearch/abcdef", "https://boards.example.com/jobsearch/abcdef"),
        ("retry in 1m", "retry in 1m"),
    ],
)
def test_redaction_masks_what_it_must_and_nothing_else(line: str, shown: str) -> None:
    redactor = Redactor()
    redactor.add(SECRETS)
    assert redactor(line) == shown


def test_the_log_formatter_applies_it_to_the_finished_line() -> None:
    redactor = Redactor()
    redactor.add(SECRETS)
    formatter = RedactingFormatter(logging.Formatter("%(message)s"), redactor)
    record = logging.LogRecord(
        "alerts", logging.INFO, __file__, 1, "%d jobs via %s", (1, "json://h/jobs"), None
    )
    assert formatter.format(record) == f"1 jobs via json://h/{MASK}"


def test_a_config_error_takes_a_short_substituted_value_out_only_as_a_whole_word() -> None:
    from alerts.config.load import _without
    from alerts.errors import ConfigError

    error = ConfigError("unknown channel 'jobs' (known: jobs-alerts) at https://jobs.example.com", key="k")
    said = str(_without(error, {"jobs": "${CH}", "S3cr3tValue": "${X}"}))
    assert "unknown channel '<value of ${CH}>'" in said
    assert "jobs-alerts" in said and "https://jobs.example.com" in said
    error = ConfigError("bad value S3cr3tValue and xS3cr3tValuex", key="k")
    assert "S3cr3tValue" not in str(_without(error, {"S3cr3tValue": "${X}"}))


@pytest.mark.parametrize(
    "line",
    [
        "sent to https://hooks.example.com/ab12.",
        "delivery failed (https://hooks.example.com/ab12)",
        "json://hooks.example.com/ab12] refused",
        "gone: https://hooks.example.com/ab12!",
        "is it https://hooks.example.com/x?key=ab12?",
    ],
)
def test_a_short_secret_ending_a_url_before_punctuation_is_masked(line: str) -> None:
    # Prose around a URL: its closing period or bracket is not part of the secret.
    redactor = Redactor()
    redactor.add(["ab12"])
    assert "ab12" not in redactor(line) and MASK in redactor(line)


def test_a_config_error_takes_a_short_value_out_before_a_full_stop() -> None:
    from alerts.config.load import _without
    from alerts.errors import ConfigError

    error = ConfigError("cannot reach json://hooks.example.com/ab12.", key="k")
    said = str(_without(error, {"ab12": "${TOKEN}"}))
    assert "ab12" not in said and "/<value of ${TOKEN}>." in said
