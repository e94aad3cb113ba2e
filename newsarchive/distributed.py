"""The CLI side of distributed crawls: seeding one (`crawl --distributed`) and serving one
(`newsarchive worker`). The crawl itself is crawler/cluster/."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import click

from core.timewindow import Window
from crawler.cluster.finish import live_workers, remove_crawl
from crawler.cluster.keys import CrawlKeys, connect, safe_url
from crawler.cluster.spec import CrawlSpec, open_crawls
from newsarchive.service.launcher import reconcile_orphans
from storage import repository
from storage.db import transaction
from storage.runparts import parts_of

WAIT_POLL_SECONDS = 0.5


@contextmanager
def redis_errors(url: str) -> Iterator[None]:
    """A Redis that cannot be reached or refuses is one line, not a traceback."""
    from redis.exceptions import RedisError

    try:
        yield
    except RedisError as exc:
        raise click.ClickException(f"redis at {safe_url(url)}: {exc}") from None


def seed_crawl(redis_url: str, prefix: str, db_url: str, spider: str, window: Window,
               spider_args: dict[str, str], mirrors: dict[str, str], overrides: dict[str, Any]) -> None:
    from crawler.cluster.seed import promised_politeness, seed

    with redis_errors(redis_url):
        server = connect(redis_url)
        server.ping()
    reconcile_orphans(db_url, [spider], stale_after_seconds=6 * 3600)
    with transaction(db_url) as session:
        run_id = repository.create_run(session, spider, window.start, window.end).id
    try:
        delay, concurrency = promised_politeness(spider, overrides)
        spec = CrawlSpec(run_id=run_id, spider=spider, spider_args=spider_args, mirrors=mirrors,
                         overrides=overrides, domain_delay=delay, domain_concurrency=concurrency)
        with redis_errors(redis_url):
            count = seed(server, prefix, spec)
    except Exception as exc:  # the run must not stay `running` with no crawl behind it
        why = exc.message if isinstance(exc, click.ClickException) else str(exc)
        _unseed(server, CrawlKeys(prefix, run_id))
        with transaction(db_url) as session:
            repository.update_run(session, run_id, status="failed", reason=f"not seeded: {why}", finished=True)
        raise click.ClickException(f"{why} (run {run_id} not seeded, recorded failed)") from None
    click.echo(f"run {run_id} seeded: {count} listing requests for {spider} in {safe_url(redis_url)}; "
               f"start workers with: newsarchive worker --redis {safe_url(redis_url)} --db URL")


def _unseed(server: Any, keys: CrawlKeys) -> None:
    """What a failed seeding may have written, if Redis still answers."""
    from redis.exceptions import RedisError

    with suppress(RedisError):
        remove_crawl(server, keys)


def find_crawl(redis_url: str, prefix: str, db_url: str, run_id: int | None,
               wait_seconds: float) -> CrawlSpec | None:
    """The crawl to join (`run_id`'s, or the oldest open one), waiting up to `wait_seconds` for one. A crawl
    whose run has ended in the archive (its workers lost Redis, which came back with its data) is not
    joined, and is taken out of Redis once no worker serves it."""
    with redis_errors(redis_url):
        server = connect(redis_url)
        deadline = time.monotonic() + wait_seconds
        while True:
            crawls = [spec for spec in open_crawls(server, prefix) if run_id is None or spec.run_id == run_id]
            live = [spec for spec in crawls if not _ended(server, prefix, db_url, spec)]
            if live or time.monotonic() >= deadline:
                return live[0] if live else None
            time.sleep(WAIT_POLL_SECONDS)


def _ended(server: Any, prefix: str, db_url: str, spec: CrawlSpec) -> bool:
    with transaction(db_url) as session:
        run = repository.get_run(session, spec.run_id)
        if run is None or run.finished_at is None:
            return False  # running, or not this archive's run (the caller says so)
        status = run.status
    keys = CrawlKeys(prefix, spec.run_id)
    served = bool(live_workers(server, keys))
    if not served:
        _unseed(server, keys)
    click.echo(f"run {spec.run_id} ({spec.spider}) ended {status} in the archive: its crawl, left in Redis, "
               f"is not joined{'' if served else ' and was removed'}", err=True)
    return True


def no_crawl(redis_url: str, prefix: str, run_id: int | None, waited: float) -> str:
    """Why a worker leaves without joining a crawl."""
    which = f"run {run_id}'s crawl is" if run_id else "no distributed crawl is"
    return (f"{which} open in {safe_url(redis_url)} (prefix {prefix}; waited {waited:g}s): nothing to join; "
            f"seed one with: newsarchive crawl SPIDER --distributed {safe_url(redis_url)}")


def part_summary(db_url: str, run_id: int) -> tuple[str, str]:
    """(status, one line) of this process's part of the run."""
    from storage.repository import RUN_COUNTERS

    host, pid = socket.gethostname(), os.getpid()
    with transaction(db_url) as session:
        mine = [part for part in parts_of(session, run_id) if part.host == host and part.pid == pid]
        if not mine:
            return "failed", f"worker {host} pid {pid}: run {run_id}: no part recorded"
        part = mine[-1]
        counts = " ".join(f"{name}={getattr(part, name)}" for name in RUN_COUNTERS)
        why = f" ({part.reason})" if part.reason else ""
        return part.status, f"worker {host} pid {pid}: run {run_id} part {part.id} {part.status}{why}: {counts}"
