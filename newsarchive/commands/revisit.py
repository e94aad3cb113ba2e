"""`newsarchive revisit SPIDER`: fetch SPIDER's recent articles again (conditional requests) and keep
changes as revisions."""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta

import click

from newsarchive.commands.crawl import ORPHAN_AFTER_SECONDS
from newsarchive.config import parse_mirrors
from newsarchive.options import db_option, open_database, since_option, until_option
from newsarchive.progress import CrawlProgress
from newsarchive.service.launcher import reconcile_orphans
from newsarchive.timewindow import now_kst
from storage import repository
from storage.db import transaction


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="--set")
        pairs[key.strip()] = val.strip()
    return pairs


@click.command()
@click.argument("spider")
@click.option("--days", type=click.IntRange(1, 365), default=3, show_default=True,
              help="Revisit articles published in the last N days (KST, today included).")
@since_option
@until_option
@db_option
@click.option("--mirror", "mirrors", multiple=True, metavar="HOST=URL",
              help="Send requests for HOST to URL (repeatable; also $NEWSARCHIVE_MIRROR).")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=0.")
@click.option("--run-id", type=int, default=None, hidden=True)
@click.option("--progress/--no-progress", default=None,
              help="Live progress (default: when stderr is a terminal).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
def command(spider: str, days: int, since: date | None, until: date | None, db: str | None,
            mirrors: tuple[str, ...], overrides: tuple[str, ...], run_id: int | None,
            progress: bool | None, verbose: bool) -> None:
    """Revisit SPIDER's articles of the last --days days (or since --since): unchanged pages answer 304
    and are not re-extracted; a changed title or body becomes a new revision (see `show ID --revisions`).

    --until is accepted so the scheduler's launcher can start revisits like crawls; pages are always
    fetched as they are now."""
    from crawler.process import spider_names
    from crawler.spiders.revisit import RevisitRequest, revisit_name, run_revisit

    names = spider_names()
    if spider not in names:
        raise click.UsageError(f"unknown spider {spider!r}; known: {', '.join(names)}")
    today = now_kst().date()
    first = since or (today - timedelta(days=days - 1))
    if first > today or (until is not None and until < first):
        raise click.BadParameter(f"nothing to revisit from {first} to {until or today}", param_hint="--since")
    mirror_map = parse_mirrors(mirrors)
    settings = _pairs(overrides)
    url = open_database(db)
    name = revisit_name(spider)
    reconcile_orphans(url, [name], stale_after_seconds=ORPHAN_AFTER_SECONDS)
    with transaction(url) as session:
        if run_id is None:
            run_id = repository.create_run(session, name, pid=os.getpid()).id
        elif repository.get_run(session, run_id) is None:
            raise click.BadParameter(f"no crawl run {run_id}", param_hint="--run-id")
    show = sys.stderr.isatty() if progress is None else progress
    display = CrawlProgress(name, enabled=show)
    request = RevisitRequest(spider=spider, database_url=url, run_id=run_id, since=first, mirrors=mirror_map,
                             log_level="INFO" if verbose else "WARNING", overrides=settings)
    with display:
        error = run_revisit(request, on_crawler=display.attach)
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
