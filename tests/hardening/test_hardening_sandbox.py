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
