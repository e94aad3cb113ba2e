"""scrapy-redis's scheduler, for a worker that must survive its Redis failing: a failure ends the worker
(crawler/cluster/redisfailure.py) instead of raising into Scrapy's engine, which would log a traceback and
ask again for ever. A request that cannot be queued then is dropped: the next crawl lists it again."""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy_redis.scheduler import Scheduler

from crawler.cluster import redisfailure


class ClusterScheduler(Scheduler):
    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler

    def enqueue_request(self, request: Request) -> bool:
        if redisfailure.failure(self.crawler) is None:
            with redisfailure.guard(self.crawler):
                return bool(super().enqueue_request(request))
        return False

    def next_request(self) -> Request | None:
        if redisfailure.failure(self.crawler) is None:
            with redisfailure.guard(self.crawler):
                return super().next_request()  # type: ignore[no-any-return]
        return None

    def has_pending_requests(self) -> bool:
        if redisfailure.failure(self.crawler) is None:
            with redisfailure.guard(self.crawler):
                return bool(super().has_pending_requests())
        return False
