"""When a distributed crawl's Redis fails (killed, its machine or the network gone, out of memory), a
worker cannot go on: the queue, the fingerprints and the listing status are there. It ends at once, as on a
database failure (crawler/dbfailure.py): the pages it has in hand are still judged and stored, requests
not yet sent are left for the next crawl (NotSent), nothing more is asked of Redis, and the worker's part
and the run are recorded failed with the cause in one line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from redis.exceptions import RedisError
from scrapy.crawler import Crawler

from crawler import dbfailure, runstats
from crawler.cluster.keys import safe_url
from crawler.middlewares import RetryLater

T = TypeVar("T")
D = TypeVar("D")
CLOSE_REASON = "redis failed"
_FAILURE = runstats.PREFIX + "redis_failure"


class NotSent(RetryLater):
    """A request that could not take its politeness slot because Redis failed: not fetched, not recorded
    (the spider's errbacks ignore it, as a RetryLater), so the next crawl fetches it."""


def failure(crawler: Crawler) -> str | None:
    """The cause, once Redis has failed in this worker."""
    return crawler.stats.get_value(_FAILURE) if crawler.stats is not None else None


def redis_failed(crawler: Crawler, exc: RedisError) -> None:
    url = safe_url(crawler.settings.get("NEWSARCHIVE_CLUSTER_REDIS") or "")
    dbfailure.end_crawl(crawler, _FAILURE, f"redis at {url} failed: {describe(exc)}", CLOSE_REASON)


def describe(exc: RedisError) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0][:200]


def ask(crawler: Crawler, call: Callable[[], T], default: D) -> T | D:
    """`call()`, a Redis command, unless Redis has failed in this worker; `default` when it has (now)."""
    if failure(crawler) is None:
        try:
            return call()
        except RedisError as exc:
            redis_failed(crawler, exc)
    return default


@contextmanager
def guard(crawler: Crawler) -> Iterator[None]:
    """`with guard(crawler):` around Redis calls whose failure ends the worker instead of raising."""
    try:
        yield
    except RedisError as exc:
        redis_failed(crawler, exc)
