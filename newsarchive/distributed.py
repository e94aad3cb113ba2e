"""The CLI side of distributed crawls: seeding one (`crawl --distributed`) and serving one
(`newsarchive worker`). The crawl itself is crawler/cluster/."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from core.timewindow import Window
from crawler.cluster.keys import connect
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
        raise click.ClickException(f"redis at {_safe(url)}: {exc}") from None


def _safe(url: str) -> str:
    """The URL without a password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return url.replace(f":{parts.password}@", ":***@") if parts.password else url


def seed_crawl(redis_url: str, prefix: str, db_url: str, spider: str, window: Window,
               spider_args: dict[str, str], mirrors: dict[str, str], overrides: dict[str, Any]) -> None:
    from crawler.cluster.seed import promised_politeness, seed

    with redis_errors(redis_url):
        server = connect(redis_url)
        server.ping()
        reconcile_orphans(db_url, [spider], stale_after_seconds=6 * 3600)
        with transaction(db_url) as session:
            run_id = repository.create_run(session, spider, window.start, window.end).id
        delay, concurrency = promised_politeness(spider, overrides)
        spec = CrawlSpec(run_id=run_id, spider=spider, spider_args=spider_args, mirrors=mirrors,
                         overrides=overrides, domain_delay=delay, domain_concurrency=concurrency)
        count = seed(server, prefix, spec)
    click.echo(f"run {run_id} seeded: {count} listing requests for {spider} in {_safe(redis_url)}; "
               f"start workers with: newsarchive worker --redis {_safe(redis_url)} --db URL")


def find_crawl(redis_url: str, prefix: str, run_id: int | None, wait_seconds: float) -> CrawlSpec | None:
    """The crawl to join (`run_id`'s, or the oldest open one), waiting up to `wait_seconds` for one."""
    with redis_errors(redis_url):
        server = connect(redis_url)
        deadline = time.monotonic() + wait_seconds
        while True:
            crawls = [spec for spec in open_crawls(server, prefix) if run_id is None or spec.run_id == run_id]
            if crawls or time.monotonic() >= deadline:
                return crawls[0] if crawls else None
            time.sleep(WAIT_POLL_SECONDS)


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
