"""`newsarchive crawl SPIDER`: one crawl, in this process, with live progress and a summary."""

from __future__ import annotations

from datetime import date

import click

from core.timewindow import DEFAULT_WINDOW_DAYS, Window
from newsarchive.config import load_config, parse_mirrors
from newsarchive.options import config_option, db_option, open_database, since_option, until_option
from newsarchive.recorded_run import open_run, pairs, run_recorded


@click.command()
@click.argument("spider")
@since_option
@until_option
@click.option("--window-days", type=click.IntRange(1, 3650), default=None,
              help=f"Days covered when --since is not given (default {DEFAULT_WINDOW_DAYS}, or [crawl] window_days).")
@db_option
@config_option
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
            config_path: str | None, mirrors: tuple[str, ...], args: tuple[str, ...],
            overrides: tuple[str, ...], retry_rejected: bool, run_id: int | None, progress: bool | None,
            verbose: bool) -> None:
    """Crawl SPIDER's sources into the archive (by default the last --window-days days, KST)."""
    from crawler.process import CrawlRequest, spider_names

    names = spider_names()
    if spider not in names:
        raise click.UsageError(f"unknown spider {spider!r}; known: {', '.join(names)}")
    config = load_config(config_path)
    days = window_days or config.window_days
    try:
        window = Window.from_days(since, until, default_days=days)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since/--until") from None
    mirror_map = parse_mirrors(mirrors)
    spider_args = pairs(args, "--arg")
    scrapy_overrides = pairs(overrides, "--set")
    url = open_database(db, config_path, write=True)
    run_id = open_run(url, spider, run_id, window.start, window.end)
    spider_args.update(since=window.since_day.isoformat(), until=window.until_day.isoformat())
    request = CrawlRequest(spider=spider, database_url=url, run_id=run_id, spider_args=spider_args,
                           mirrors=mirror_map, log_level="INFO" if verbose else "WARNING",
                           overrides={**scrapy_overrides, "NEWSARCHIVE_WINDOW_DAYS": days,
                                      "NEWSARCHIVE_RETRY_REJECTED": retry_rejected})
    run_recorded(request, spider, progress)
