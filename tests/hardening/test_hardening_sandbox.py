"""Issue 11: a user's template can take neither the memory nor the output of
the process: sizes are bounded in the sandbox, and any error is one line
naming the template."""

from __future__ import annotations

import pytest

from alerts.errors import ConfigError
from alerts.notify import render_message, sample_items

OVERSIZED = {
    "repeat": '{{ "x" * 10**9 }}',
    "power": "{{ 2 ** 100000 }}",
    "ljust": '{{ "".ljust(10**10) }}',
    "format-width": '{{ "{:>9999999999}".format(1) }}',
    "format-computed-width": '{{ "{0:>{1}}".format(1, 10**10) }}',
    "percent-width": '{{ "%9999999999d" % 1 }}',
    "format-filter": '{{ "%9999999999d"|format(1) }}',
    "center-filter": '{{ "x"|center(10**10) }}',
    "indent-filter": '{{ "x"|indent(10**10) }}',
    "replace-filter": '{% set s = "x" * 999999 %}{{ s|replace("x", s) }}',
    "loops": "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxx{% endfor %}{% endfor %}",
    "range": "{{ range(10**10)|list }}",
    "recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "lookup": '{{ "x".encode("rot13") }}',
}


@pytest.mark.parametrize("template", OVERSIZED.values(), ids=OVERSIZED.keys())
def test_oversized_or_raising_templates_are_one_config_error(tmp_path, template):
    path = tmp_path / "mine.txt.j2"
    path.write_text(template)
    with pytest.raises(ConfigError) as caught:
        render_message(sample_items(), "text", template=path)
    message = str(caught.value)
    assert "mine.txt.j2" in message and "template error" in message and "\n" not in message


def test_ordinary_templates_still_render(tmp_path):
    path = tmp_path / "mine.txt.j2"
    path.write_text(
        '{{ "%5d|%s" % (3, "a") }} {{ "{:>4}".format(1) }} {{ "ab" * 2 }} {{ 2 ** 10 }} {{ "a-b"|replace("-", "+") }}'
    )
    assert (
        render_message(sample_items(), "text", template=path).body == "3|a    1 abab 1024 a+b"
    )  # the body is stripped


# Review trust-b item 3: work with no output, and text made up on demand.
RUNAWAY = {
    "silent nested loops": "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "set in a loop": '{% for a in range(100000) %}{% set y = "x" * (900000 + a) %}{% endfor %}',
    "filter in a loop": "{% for a in range(100000) %}{% set s = range(100000)|sum %}{% endfor %}",
    "loop over a long string in a loop": (
        '{% set s = "x" * 999999 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}'
    ),
    "join": '{{ range(100000)|join("x" * 999999) }}',
    "str.join": '{{ ("x" * 999999).join(range(100000)|map("string")) }}',
    "str.replace": '{% set s = "x" * 999999 %}{{ s.replace("x", s) }}',
    "slice": "{{ [1]|slice(10**10)|list|length }}",
    "batch": "{{ [1]|batch(10**10, 'x')|list|length }}",
    "doubling a list": "{% set l = [1] %}{% for i in range(64) %}{% set _ = l.extend(l) %}{% endfor %}",
    "lipsum": "{{ lipsum(10**6) }}",
}


@pytest.mark.parametrize("template", RUNAWAY.values(), ids=RUNAWAY.keys())
def test_runaway_templates_stop_with_one_line_naming_the_file(tmp_path, template):
    path = tmp_path / "mine.txt.j2"
    path.write_text(template)
    with pytest.raises(ConfigError) as caught:
        render_message(sample_items(), "text", template=path)
    message = str(caught.value)
    assert "mine.txt.j2" in message and "template error" in message and "\n" not in message


def test_the_budget_says_what_stopped_it(tmp_path):
    path = tmp_path / "mine.txt.j2"
    path.write_text(RUNAWAY["silent nested loops"])
    with pytest.raises(ConfigError, match="too much work"):
        render_message(sample_items(), "text", template=path)
    path.write_text("{{ lipsum() }}")
    with pytest.raises(ConfigError, match="lipsum"):
        render_message(sample_items(), "text", template=path)


def test_loops_filters_and_namespaces_still_work(tmp_path):
    path = tmp_path / "mine.txt.j2"
    path.write_text(
        "{% set ns = namespace(n=0) %}{% for g in groups %}{% for e in g.events %}"
        "{% set ns.n = ns.n + 1 %}{% endfor %}{% endfor %}{{ ns.n }} "
        "{{ range(3)|join(',') }} {{ ', '.join(['a', 'b']) }} {{ [1, 2, 3]|batch(2)|list|length }}"
        "{% for x in [1, 2] recursive %}{{ x }}{% endfor %}"
    )
    body = render_message(sample_items(), "text", template=path).body
    assert body == f"{len(sample_items())} 0,1,2 a, b 212"


def test_a_digest_of_thousands_sorted_into_lists_by_append_renders(tmp_path):
    # The Jinja idiom for sorting items into lists ({% set _ = l.append(x) %})
    # over a big digest: each append is one step, not the list's length.
    from dataclasses import replace
    from datetime import UTC, datetime

    from alerts.model import Delivery, Event, Posting, diff_tracked

    now = datetime(2026, 11, 23, 8, tzinfo=UTC)
    items = []
    for n in range(2000):
        old = Posting("greenhouse", "acme", str(n), f"Role {n}", company=f"Co{n % 50}", location="London, UK")
        new = replace(old, title=f"Role {n} II", location="Berlin, Germany")
        event = Event(
            "updated", "greenhouse:acme", str(n), new, diff_tracked(old, new), now, first_seen_at=now
        )
        items.append(Delivery(n, "c", event, ("s",)))
    path = tmp_path / "mine.txt.j2"
    path.write_text(
        "{% set changes = [] %}{% set moved = [] %}"
        "{% for g in groups %}{% for e in g.events %}{% for c in e.changes %}"
        "{% set _ = changes.append(c) %}"
        '{% if c.label == "location" %}{% set _ = moved.append(e) %}{% endif %}'
        "{% endfor %}{% endfor %}{% endfor %}"
        "{{ changes|length }} changes, {{ moved|length }} moved"
    )
    assert render_message(items, "text", template=path, now=now).body == "4000 changes, 2000 moved"
