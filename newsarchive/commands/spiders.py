"""`newsarchive spiders`: each spider with its sources, schedule, last run and health, in one table."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from newsarchive.options import config_option, db_option


@click.command()
@db_option
@config_option
def command(db: str | None, config_path: str | None) -> None:
    """List the spiders: where each discovers articles, when it runs, how its last run went."""
    from core.jobs import revisit_name
    from core.timewindow import KST, now_kst
    from crawler.process import spider_class, spider_names
    from crawler.spidergen import describe_sources
    from newsarchive.config import load_config
    from newsarchive.options import open_database
    from newsarchive.service.health import check_spider
    from newsarchive.service.timing import load_jobs
    from scheduler import recent_runs
    from storage.db import DatabaseError

    config = load_config(config_path)
    crons = config.job_crons
    triggers = load_jobs(config)
    try:
        url: str | None = open_database(db, config_path)
    except DatabaseError as exc:
        click.echo(f"warning: {exc}; run history not shown", err=True)
        url = None
    table = Table("spider", "sources", "schedule (KST)", "last run", "health", show_lines=True)
    table.columns[1].overflow = "fold"
    for name in spider_names():
        sources = "\n".join(line.replace("https://", "").replace("http://", "")
                            for line in describe_sources(spider_class(name)()))
        runs = recent_runs(url, name, limit=20) if url else []
        done = [run for run in runs if run.status != "running"]
        last = "never"
        if done:
            run = done[0]
            last = (f"{run.status} {run.started_at.astimezone(KST):%Y-%m-%d %H:%M}\n"
                    f"stored {run.stored} of {run.listed} listed")
        schedule, flags = [], []
        for job, label in ((name, "crawl"), (revisit_name(name), "revisit")):
            if job not in triggers:
                continue
            schedule.append(f"{label} {crons[job]}")
            job_runs = runs if job == name else (recent_runs(url, job, limit=20) if url else [])
            report = check_spider(job, crons[job], triggers[job], job_runs, now_kst())
            flags += [f"{label}: {flag}" for flag in report.flags]
        health = "not scheduled" if not schedule else "FLAGGED: " + "; ".join(flags) if flags else "ok"
        table.add_row(name, sources, "\n".join(schedule) or "—", last, health)
    Console(width=160).print(table)
