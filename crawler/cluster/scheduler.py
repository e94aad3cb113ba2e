"""scrapy-redis's scheduler, for a worker that must survive its Redis failing: a failure ends the worker
(crawler/cluster/redisfailure.py) instead of raising into Scrapy's engine, which would log a traceback and
ask again for ever. A request that cannot be queued then is dropped: the next crawl lists it again."""

from __future__ import annotations

from functools import partial
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
        return bool(redisfailure.ask(self.crawler, partial(super().enqueue_request, request), False))

    def next_request(self) -> Request | None:
        return redisfailure.ask(self.crawler, super().next_request, None)

    def has_pending_requests(self) -> bool:
        return bool(redisfailure.ask(self.crawler, super().has_pending_requests, False))
