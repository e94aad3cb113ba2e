"""`newsarchive schedule`: the nightly crawls as a foreground service (or `--list` the plan)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from newsarchive.options import config_option, db_option

if TYPE_CHECKING:
    from newsarchive.config import Config


@click.command(name="schedule")
@config_option
@db_option
@click.option("--list", "list_only", is_flag=True,
              help="Show each spider's cron, next run (KST) and last outcome, then exit.")
def command(config_path: str | None, db: str | None, list_only: bool) -> None:
    """Run the crawl schedule in the foreground until SIGTERM/SIGINT."""
    from newsarchive.config import load_config
    from newsarchive.options import open_database

    config = load_config(config_path)
    url = open_database(db, config_path, write=not list_only)
    if list_only:
        _print_plan(config, url)
        return
    from newsarchive.service.logs import setup_logging
    from scheduler import Service

    service = Service(config, url)
    setup_logging(config.log_file)
    sys.exit(service.serve())


def _print_plan(config: Config, url: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from core.timewindow import KST, now_kst
    from newsarchive.service.timing import load_jobs, next_fire
    from scheduler import recent_runs

    now = now_kst()
    table = Table("job", "cron", "next run (KST)", "last run", "outcome",
                  "stored", "reason", box=None)
    crons = config.job_crons
    for spider, trigger in load_jobs(config).items():
        upcoming = next_fire(trigger, now)
        runs = recent_runs(url, spider, limit=1)
        last = runs[0] if runs else None
        table.add_row(
            spider, crons[spider],
            upcoming.astimezone(KST).strftime("%Y-%m-%d %H:%M") if upcoming else "never",
            last.started_at.astimezone(KST).strftime("%Y-%m-%d %H:%M") if last else "never",
            last.status if last else "-", str(last.stored) if last else "-",
            (last.reason[:60] if last else ""))
    console = Console()
    if not console.is_terminal:  # piped or logged: do not squeeze the table into 80 columns
        console = Console(width=200)
    console.print(table)
