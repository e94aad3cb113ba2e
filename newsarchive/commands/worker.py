"""`newsarchive worker`: serve a distributed crawl (seeded by `crawl --distributed`) until its queue stays
empty, storing into the shared archive."""

from __future__ import annotations

import warnings

import click

from newsarchive.options import config_option, db_option, open_database


@click.command()
@click.option("--redis", "redis_url", required=True, metavar="URL", help="The crawl's Redis, redis://HOST:6379/0.")
@db_option
@config_option
@click.option("--run", "run_id", type=click.IntRange(min=1), default=None,
              help="Join this run's crawl (default: the oldest open one).")
@click.option("--idle-seconds", type=click.FloatRange(0.5, 86400), default=30.0, show_default=True,
              help="Leave when the crawl's queue has stayed empty this long (also how long to wait for a crawl).")
@click.option("--prefix", default="newsarchive", show_default=True, help="Prefix of the cluster's Redis keys.")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
def command(redis_url: str, db: str | None, config_path: str | None, run_id: int | None, idle_seconds: float,
            prefix: str, verbose: bool) -> None:
    """Take requests from a distributed crawl and store into the archive (any number, on any machine)."""
    from crawler.cluster.settings import worker_settings
    from crawler.process import CrawlRequest, run_crawl
    from newsarchive.distributed import find_crawl, no_crawl, part_summary, redis_errors
    from storage import repository
    from storage.db import transaction

    # scrapy-redis 0.9 calls Scrapy APIs that Scrapy 2.13+ deprecates: the user can do nothing about it
    warnings.filterwarnings("ignore", module=r"scrapy_redis\.")
    url = open_database(db, config_path, write=True)
    spec = find_crawl(redis_url, prefix, url, run_id, idle_seconds)
    if spec is None:
        click.echo(no_crawl(redis_url, prefix, run_id, idle_seconds), err=True)
        return
    with transaction(url) as session:
        run = repository.get_run(session, spec.run_id)
        if run is None or run.spider != spec.spider:
            raise click.ClickException(f"run {spec.run_id} ({spec.spider}) is not in this archive: give the "
                                       "--db the crawl was seeded into")
    request = CrawlRequest(spider=spec.spider, database_url=url, run_id=spec.run_id,
                           spider_args=spec.spider_args, mirrors=spec.mirrors,
                           log_level="INFO" if verbose else "WARNING",
                           overrides=worker_settings(spec, redis_url, prefix, idle_seconds))
    with redis_errors(redis_url):
        error = run_crawl(request)
    if error:
        raise click.ClickException(f"worker could not start: {error}")
    status, line = part_summary(url, spec.run_id)
    if status != "finished":
        raise click.ClickException(line)
    click.echo(line, err=True)
