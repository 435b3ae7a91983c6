"""A detail that failed is never an update later: a new posting whose detail
fails is announced from its list entry alone, and when the detail arrives
at a later poll what it fills in (pay, place, date) is written silently,
for every kind that asks a detail per posting."""

from __future__ import annotations

from pathlib import Path

from cycle_worlds import BambooHR, Run, Workday, config
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


class FlakyDetailsBambooHR(BambooHR):
    """BambooHR whose detail requests fail (HTTP 500) while `down` is set."""

    down = False

    def _detail(self, request: Request) -> Response:
        if self.down:
            self.details += 1
            return Response("oops", status=500)
        return super()._detail(request)


def test_a_detail_that_failed_once_is_no_update_later(httpserver: HTTPServer, tmp_path: Path) -> None:
    world = FlakyDetailsBambooHR(httpserver)
    for number in range(3):
        world.open(number)
    run = Run(config(tmp_path, world, f"sqlite:///{tmp_path / 'a.db'}"), world)
    run()  # baseline
    world.open(7, "Staff Engineer")
    world.down = True
    opened, _ = run()  # announced from the list alone: no pay, no date
    world.down = False
    later, _ = run()  # the detail arrives
    assert [e[0] for e in opened] == ["opened"]
    # Nothing about the job changed: its pay was there all along. On main
    # the user gets "updated: salary None -> 50,000-60,000 USD a year".
    assert later == [], later


def test_a_workday_detail_that_failed_once_is_no_update_later(httpserver: HTTPServer, tmp_path: Path) -> None:
    world = Workday(httpserver)
    for number in range(3):
        world.open(number)
    run = Run(config(tmp_path, world, f"sqlite:///{tmp_path / 'a.db'}"), world)
    run()  # baseline
    world.open(7, "Staff Engineer")  # listed as "3 Locations": its places are in the detail
    world.tenant.refuse_details = Response("oops", status=500)
    opened, _ = run()
    assert [(kind, title) for kind, title, _ in opened] == [("opened", "Staff Engineer")]
    world.tenant.refuse_details = None
    later, asked = run()
    assert later == [] and asked == 1  # asked again once, and filled in silently
    assert run() == ([], 0)  # and not again
    world.open(7, "Principal Engineer")  # a real change is still an update
    events, _ = run()
    assert [(kind, changes) for kind, _, changes in events] == [
        ("updated", {"title": ["Staff Engineer", "Principal Engineer"]})
    ]
