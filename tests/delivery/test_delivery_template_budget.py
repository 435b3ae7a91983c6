"""A user's template that runs away (loops in loops writing nothing) is
stopped by the sandbox's budget: `validate` refuses it in one line naming the
file, and at delivery it fails that delivery, kept and retried, never the run."""

from __future__ import annotations

import pytest

from alerts.errors import ConfigError
from alerts.notify.checks import check_config

from delivery_support import job

RUNAWAY = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}ok"


def test_validate_refuses_a_runaway_template_naming_it(tmp_path, sqlite_world):
    (tmp_path / "slow.txt.j2").write_text(RUNAWAY)
    world = sqlite_world('[channels.hook]\nurl = "json://127.0.0.1:9/"\ntemplate = "slow.txt.j2"\n')
    with pytest.raises(ConfigError) as caught:
        check_config(world.config)
    said = str(caught.value)
    assert "slow.txt.j2" in said and "too much work" in said and "\n" not in said


def test_a_runaway_template_at_delivery_fails_that_delivery_and_keeps_it(tmp_path, sqlite_world, hook):
    # Runs away on real data only (more than the samples' postings), as
    # validate cannot see.
    (tmp_path / "slow.txt.j2").write_text(
        "{% if counts.total > 5 %}" + RUNAWAY + "{% else %}{{ counts.total }} changes{% endif %}"
    )
    world = sqlite_world(f'[channels.hook]\nurl = "{hook.url}"\ntemplate = "slow.txt.j2"\n')
    world.queue(*(job(str(n), f"Role {n}") for n in range(6)))
    result = world.deliverer().deliver_channel("hook")
    assert result is not None and result.sent == 0
    [error] = result.errors
    assert "slow.txt.j2" in error and "too much work" in error
    assert world.counts() == {("hook", "failed"): 6}  # kept (not dead), retried after its back-off
    assert hook.received == []
