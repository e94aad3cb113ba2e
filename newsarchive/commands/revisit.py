"""`newsarchive revisit SPIDER`: fetch SPIDER's recent articles again (conditional requests) and keep
changes as revisions."""

from __future__ import annotations

from datetime import date, timedelta

import click

from core.timewindow import now_kst
from newsarchive.config import parse_mirrors
from newsarchive.options import config_option, db_option, open_database, since_option, until_option
from newsarchive.recorded_run import open_run, pairs, run_recorded


@click.command()
@click.argument("spider")
@click.option("--days", type=click.IntRange(1, 365), default=3, show_default=True,
              help="Revisit articles published in the last N days (KST, today included).")
@since_option
@until_option
@db_option
@config_option
@click.option("--mirror", "mirrors", multiple=True, metavar="HOST=URL",
              help="Send requests for HOST to URL (repeatable; also $NEWSARCHIVE_MIRROR).")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=0.")
@click.option("--run-id", type=int, default=None, hidden=True)
@click.option("--progress/--no-progress", default=None,
              help="Live progress (default: when stderr is a terminal).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
def command(spider: str, days: int, since: date | None, until: date | None, db: str | None, config_path: str | None,
            mirrors: tuple[str, ...], overrides: tuple[str, ...], run_id: int | None,
            progress: bool | None, verbose: bool) -> None:
    """Revisit SPIDER's articles of the last --days days (or since --since): unchanged pages answer 304
    and are not re-extracted; a changed title or body becomes a new revision (see `show ID --revisions`).

    --until is accepted so the scheduler's launcher can start revisits like crawls; pages are always
    fetched as they are now."""
    from core.jobs import revisit_name
    from crawler.process import CrawlRequest, spider_class, spider_names
    from crawler.spiders.revisit import revisit_spider

    names = spider_names()
    if spider not in names:
        raise click.UsageError(f"unknown spider {spider!r}; known: {', '.join(names)}")
    today = now_kst().date()
    first = since or (today - timedelta(days=days - 1))
    if first > today or (until is not None and until < first):
        raise click.BadParameter(f"nothing to revisit from {first} to {until or today}", param_hint="--since")
    mirror_map = parse_mirrors(mirrors)
    settings = pairs(overrides, "--set")
    url = open_database(db, config_path, write=True)
    name = revisit_name(spider)
    run_id = open_run(url, name, run_id)
    request = CrawlRequest(spider=revisit_spider(spider_class(spider)), database_url=url, run_id=run_id,
                           spider_args={"since": first.isoformat()}, mirrors=mirror_map,
                           log_level="INFO" if verbose else "WARNING", overrides=settings)
    run_recorded(request, name, progress)
