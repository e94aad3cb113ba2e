"""`newsarchive crawl SPIDER`: one crawl, in this process, with live progress and a summary."""

from __future__ import annotations

import os
import sys
from datetime import date

import click

from newsarchive.config import load_config, parse_mirrors
from newsarchive.options import db_option, open_database, since_option, until_option
from newsarchive.progress import CrawlProgress
from newsarchive.service.launcher import reconcile_orphans
from newsarchive.timewindow import Window
from storage import repository
from storage.db import transaction

ORPHAN_AFTER_SECONDS = 6 * 3600  # a run with no pid this old was never started by anyone


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {value!r}", param_hint=option)
        pairs[key.strip()] = val.strip()
    return pairs


@click.command()
@click.argument("spider")
@since_option
@until_option
@click.option("--window-days", type=click.IntRange(1, 3650), default=None,
              help="Days covered when --since is not given (default 2, or [crawl] window_days).")
@db_option
@click.option("--mirror", "mirrors", multiple=True, metavar="HOST=URL",
              help="Send requests for HOST to URL (repeatable; also $NEWSARCHIVE_MIRROR).")
@click.option("--arg", "args", multiple=True, metavar="KEY=VALUE",
              help="Spider argument, e.g. --arg ministries=msit,mois for korea_kr.")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=0 for a local replay server.")
@click.option("--retry-rejected", is_flag=True,
              help="Fetch again pages an earlier crawl rejected (not an article, no ministry).")
@click.option("--run-id", type=int, default=None, hidden=True)
@click.option("--progress/--no-progress", default=None, help="Live progress (default: when stderr is a terminal).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
def command(spider: str, since: date | None, until: date | None, window_days: int | None, db: str | None,
            mirrors: tuple[str, ...], args: tuple[str, ...],
            overrides: tuple[str, ...], retry_rejected: bool, run_id: int | None, progress: bool | None,
            verbose: bool) -> None:
    """Crawl SPIDER's sources into the archive (default window: the last 2 days, KST)."""
    from crawler.process import CrawlRequest, run_crawl, spider_names

    names = spider_names()
    if spider not in names:
        raise click.UsageError(f"unknown spider {spider!r}; known: {', '.join(names)}")
    config = load_config()
    days = window_days or config.window_days
    try:
        window = Window.from_days(since, until, default_days=days)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since/--until") from None
    mirror_map = parse_mirrors(mirrors)
    spider_args = _pairs(args, "--arg")
    scrapy_overrides = _pairs(overrides, "--set")
    url = open_database(db)
    reconcile_orphans(url, [spider], stale_after_seconds=ORPHAN_AFTER_SECONDS)
    with transaction(url) as session:
        if run_id is None:
            run_id = repository.create_run(session, spider, window.start, window.end, pid=os.getpid()).id
        elif repository.get_run(session, run_id) is None:
            raise click.BadParameter(f"no crawl run {run_id}", param_hint="--run-id")
    show = sys.stderr.isatty() if progress is None else progress
    display = CrawlProgress(spider, enabled=show)
    request = CrawlRequest(spider=spider, database_url=url, run_id=run_id, since=window.since_day,
                           until=window.until_day, window_days=days, mirrors=mirror_map,
                           spider_args=spider_args, log_level="INFO" if verbose else "WARNING",
                           overrides={**scrapy_overrides, "NEWSARCHIVE_RETRY_REJECTED": retry_rejected})
    with display:
        error = run_crawl(request, on_crawler=display.attach)
    with transaction(url) as session:
        if error:
            repository.update_run(session, run_id, status="failed", reason=f"could not start: {error}",
                                  finished=True)
        run = repository.get_run(session, run_id)
        assert run is not None
        summary = repository.run_summary(run)
    display.summary(summary)
    if summary["status"] != "finished":
        sys.exit(1)
