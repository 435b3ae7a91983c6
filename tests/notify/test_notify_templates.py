from __future__ import annotations

import os
from pathlib import Path

import pytest

from alerts.errors import ConfigError
from alerts.notify import render_message, sample_items

SAMPLE_SUBJECT = "1 new, 1 reopened, 1 updated, 1 closed: OpenAI"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_template_gets_the_documented_context(tmp_path: Path) -> None:
    template = write(
        tmp_path,
        "mine.md.j2",
        "{{ format }}|{{ title }}|{{ counts.total }}/{{ counts.updated }}\n"
        "{% for g in groups %}{{ g.company }}:{% for e in g.events %}"
        " {{ e.kind }}={{ e.posting.external_id[:8] }}/{{ e.posting.link is not none }}"
        "/{{ e.subscriptions | join('+') }}{% for c in e.changes %}/{{ c.field }}{% endfor %}"
        "{% endfor %}{% endfor %}",
    )
    body = render_message(sample_items(), "markdown", template=template).body
    first, second = body.splitlines()
    assert first == f"markdown|{SAMPLE_SUBJECT}|4/1"
    assert second == (
        "OpenAI: opened=1d03b4ee/True/finance-hybrid+openai-everything"
        " reopened=1d03b4ee/True/finance-hybrid+openai-everything"
        " updated=1d03b4ee/True/finance-hybrid+openai-everything/team/work_model"
        " closed=1d03b4ee/True/finance-hybrid"
    )


def test_user_html_template_is_autoescaped(tmp_path: Path, hostile_items) -> None:
    template = write(
        tmp_path, "mine.html.j2", "{% for g in groups %}{{ g.events[0].posting.title }}{% endfor %}"
    )
    body = render_message(hostile_items, "html", template=template).body
    assert "<script>" not in body and "&lt;script&gt;" in body


def test_user_template_can_use_built_in_macros_and_own_partials(tmp_path: Path) -> None:
    write(tmp_path, "_mine.j2", "own partial")
    template = write(
        tmp_path,
        "mine.txt.j2",
        '{% from "_macros.j2" import details %}{% include "_mine.j2" %}: '
        "{{ details(groups[0].events[0].posting) }}",
    )
    body = render_message(sample_items(), "text", template=template).body
    assert body.strip() == "own partial: Finance · San Francisco · hybrid · full time"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ groups[0].nope }}", "template error"),
        ("{% for x in groups %}", "syntax error on line 1"),
        ("{{ ''.__class__.__mro__ }}", "template error"),
        ('{% include "missing.j2" %}', "missing file: missing.j2"),
    ],
)
def test_broken_user_templates_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    template = write(tmp_path, "bad.j2", text)
    with pytest.raises(ConfigError, match=message) as caught:
        render_message(sample_items(), "text", template=template)
    assert caught.value.file == str(template)


def test_missing_user_template_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read template"):
        render_message(sample_items(), "text", template=tmp_path / "nope.j2")


def test_a_user_template_is_compiled_once_and_reloaded_when_edited(tmp_path: Path, monkeypatch) -> None:
    from jinja2 import Environment

    compiled: list[str | None] = []
    original = Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", counting)
    template = write(tmp_path, "mine.txt.j2", "first: {{ counts.total }}")
    for _ in range(3):  # a pass renders it once per channel URL
        assert render_message(sample_items(), "text", template=template).body == "first: 4"
    assert compiled.count("mine.txt.j2") == 1

    template.write_text("second: {{ counts.total }}", encoding="utf-8")
    stat = template.stat()
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a later edit
    assert render_message(sample_items(), "text", template=template).body == "second: 4"


def test_a_template_changing_its_context_does_not_change_the_next_message(tmp_path: Path) -> None:
    # Escaped postings are cached per destination; each render gets copies.
    template = write(tmp_path, "mine.txt.j2", "{{ groups[0].events[0].posting.update({'title': 'X'}) }}")
    render_message(sample_items(), "text", template=template)
    body = render_message(sample_items(), "text").body
    assert sample_items()[0].event.posting.title in body
