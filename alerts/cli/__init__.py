"""The command line. The only package that prints or exits.

Commands live in run.py (run, validate, db), boards.py (status, history,
boards), jobs.py (jobs), web.py (web), delivery.py (preview, test-notify,
retry), configfile.py (config init, config schema); this module adds each
to `main`, so no command module imports the package back.
"""

from __future__ import annotations

import click

from alerts import __version__
from alerts.cli import boards, configfile, delivery, jobs, run, web


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alerts")
def main() -> None:
    """Job-change alerts: watch job boards, get told what opened, changed or closed."""


for command in (
    run.run,
    run.validate,
    run.db,
    boards.status,
    boards.history,
    jobs.jobs,
    web.web,
    boards.boards,
    delivery.preview,
    delivery.test_notify,
    delivery.retry,
    configfile.config,
):
    main.add_command(command)
