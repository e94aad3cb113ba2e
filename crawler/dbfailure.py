"""When the database fails during a crawl (a full disk, a lost connection, a lock or statement timeout:
storage.faults), the crawl ends at once and its run is recorded failed with the cause in one line, instead
of every remaining page being counted as failed, or a traceback per page."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from crawler import runstats
from storage.faults import fatal_reason

CLOSE_REASON = "database failed"
_FAILURE = runstats.PREFIX + "database_failure"
log = logging.getLogger(__name__)


def failure(crawler: Crawler) -> str | None:
    """The cause, once the database has failed in this crawl."""
    return crawler.stats.get_value(_FAILURE) if crawler.stats is not None else None


def database_failed(crawler: Crawler, reason: str) -> None:
    """Record the cause (the first one counts) and close the spider."""
    end_crawl(crawler, _FAILURE, reason, CLOSE_REASON)


def end_crawl(crawler: Crawler, stat: str, reason: str, close_reason: str) -> None:
    """What the failure of a service the whole crawl needs (the archive; a distributed crawl's Redis) does:
    the cause is kept in the stats under `stat` (the first one counts) and the spider is closed: nothing
    new starts, and Scrapy lets the requests and pages in hand finish."""
    assert crawler.stats is not None
    if crawler.stats.get_value(stat):
        return
    crawler.stats.set_value(stat, reason)
    log.info("%s (%s): ending the crawl", close_reason, reason)
    engine = crawler.engine
    if engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=close_reason))


def handled(crawler: Crawler, exc: BaseException) -> bool:
    """True when `exc` is a database failure, now recorded (the caller carries on without the database);
    False for any other error, which the caller re-raises."""
    reason = fatal_reason(exc)
    if reason is None:
        return False
    database_failed(crawler, reason)
    return True


@contextmanager
def guard(crawler: Crawler) -> Iterator[None]:
    """`with guard(crawler):` around a database call whose failure should end the crawl, not raise."""
    try:
        yield
    except Exception as exc:
        if not handled(crawler, exc):
            raise
