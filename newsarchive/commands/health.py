"""`newsarchive health`: flag spiders that stopped producing; non-zero exit when any is flagged."""

from __future__ import annotations

import json
import sys

import click

from newsarchive.options import config_option, db_option

FLAGGED_EXIT = 3
"""Distinct from 1 (bad config or database) so monitoring can tell "unhealthy" from "broken"."""


@click.command(name="health")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@db_option
@config_option
def command(as_json: bool, db: str | None, config_path: str | None) -> None:
    """Check each scheduled job's recent runs (crawls and revisits); exit 3 if any is flagged."""
    from core.timewindow import now_kst
    from newsarchive.config import load_config
    from newsarchive.options import open_database
    from newsarchive.service.health import check_spider
    from newsarchive.service.timing import load_jobs
    from scheduler import recent_runs

    config = load_config(config_path)
    url = open_database(db, config_path)
    now = now_kst()
    reports = [check_spider(job, config.job_crons[job], trigger, recent_runs(url, job, limit=20), now)
               for job, trigger in load_jobs(config).items()]
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        for report in reports:
            if report.ok:
                click.echo(f"ok       {report.spider}")
            for flag in report.flags:
                click.echo(f"FLAGGED  {report.spider}: {flag}")
    if any(not r.ok for r in reports):
        sys.exit(FLAGGED_EXIT)
