"""A worker's share of a distributed crawl run: its part row (host, pid, heartbeat, counters; the run's
counters are the sum of the parts), its presence in Redis, when it leaves (the crawl's queue stayed empty
for NEWSARCHIVE_CLUSTER_IDLE_SECONDS) and, for the last worker to leave, closing the run. A worker whose
Redis fails ends its part and the run failed itself (crawler/cluster/redisfailure.py): no worker can
close that crawl any more."""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy.orm import Session
from twisted.internet import reactor
from twisted.internet.task import deferLater

from crawler import dbfailure
from crawler.cluster import redisfailure
from crawler.cluster.finish import abandon_crawl, finish_crawl, live_workers, redis_ms
from crawler.cluster.keys import CrawlKeys, connect
from crawler.cluster.listings import SharedListingStatus
from crawler.extensions import CrawlRunExtension
from storage.db import migrate, transaction
from storage.runparts import open_part, record_part

logger = logging.getLogger(__name__)

LEAVE_POLL_SECONDS = 1.0


class ClusterRunExtension(CrawlRunExtension):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.server = connect(settings.get("NEWSARCHIVE_CLUSTER_REDIS"))
        self.prefix = settings.get("NEWSARCHIVE_CLUSTER_PREFIX")
        assert self.run_id is not None, "a worker joins a run seeded before it"
        self.keys = CrawlKeys(self.prefix, self.run_id)
        self.idle_seconds = settings.getfloat("NEWSARCHIVE_CLUSTER_IDLE_SECONDS", 30.0)
        # a worker not heard of for this long is gone (killed): it no longer holds up the run's end
        self.presence_ms = int(max(3 * self.flush_seconds, 5.0) * 1000)
        self.part_id: int | None = None
        self.worker_id = ""
        self.empty_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterRunExtension:
        ext = super().from_crawler(crawler)
        assert isinstance(ext, ClusterRunExtension)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        return ext

    def _open_run(self, spider: Spider) -> None:
        migrate(self.db_url)
        assert self.run_id is not None
        spider.listing_status = SharedListingStatus(self.server, self.keys, self.crawler)  # type: ignore[attr-defined]
        with transaction(self.db_url) as session:
            self.part_id = open_part(session, self.run_id, os.getpid())
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{self.part_id}"
        self._beat()

    def _beat(self) -> None:
        redisfailure.ask(self.crawler, lambda: self.server.hset(
            self.keys.workers, self.worker_id, redis_ms(self.server) + self.presence_ms), None)

    def flush(self) -> None:
        super().flush()
        self._beat()

    def _row(self) -> int | None:
        return self.part_id

    def _write(self, session: Session, row: int, **values: Any) -> None:
        record_part(session, row, **values)

    def outcome(self, spider: Spider, reason: str) -> tuple[str, str]:
        """The part's own outcome; the listings are judged for the whole crawl when it ends."""
        failed = redisfailure.failure(self.crawler)
        if failed is not None:
            return "failed", failed
        return self.closed_badly(reason) or ("finished", "")

    def spider_idle(self, spider: Spider) -> None:
        """Stay while the crawl's queue has requests, or has been empty for less than the idle time
        (another worker may be reading a listing that will fill it)."""
        queued = redisfailure.ask(self.crawler, lambda: int(self.server.zcard(self.keys.requests)), None)
        if queued is None:
            return  # Redis failed: the worker is ending
        if queued > 0:
            self.empty_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.empty_since is None:
            self.empty_since = now
        if now - self.empty_since < self.idle_seconds:
            raise DontCloseSpider

    async def spider_closed(self, spider: Spider, reason: str) -> None:  # type: ignore[override]
        super().spider_closed(spider, reason)
        if redisfailure.failure(self.crawler) is None:
            with redisfailure.guard(self.crawler):
                await self._leave()
        failed = redisfailure.failure(self.crawler)
        if failed is not None and dbfailure.failure(self.crawler) is None and self.part_id is not None:
            with dbfailure.guard(self.crawler):
                abandon_crawl(self.keys, self.part_id, failed, self.db_url)
            logger.info("distributed run %s failed (%s)", self.run_id, failed)

    async def _leave(self) -> None:
        """Once no other worker is present (they left, or stopped beating), the crawl is over: the first
        worker to see that closes the run (summed counters, listing health, lost workers)."""
        self.server.hdel(self.keys.workers, self.worker_id)
        while live_workers(self.server, self.keys):
            await maybe_deferred_to_future(deferLater(reactor, LEAVE_POLL_SECONDS, lambda: None))
        if dbfailure.failure(self.crawler) is not None:
            return  # the archive is failing: a worker that can reach it will close the run
        if not self.server.set(self.keys.finalized, b"1", nx=True, ex=7 * 86400):
            return
        status, why = finish_crawl(self.server, self.keys, self.db_url)
        logger.info("distributed run %s %s%s", self.run_id, status, f" ({why})" if why else "")
