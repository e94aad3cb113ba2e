"""Seeding a distributed crawl: its listing requests go into the crawl's shared queue once, its
description into Redis; the workers (`newsarchive worker`) do the rest."""

from __future__ import annotations

import time
from typing import Any

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

from crawler.cluster.keys import CrawlKeys, crawls_key
from crawler.cluster.listings import SharedListingStatus
from crawler.cluster.spec import CrawlSpec
from crawler.process import project_settings, spider_class


def promised_politeness(spider: str, overrides: dict[str, Any]) -> tuple[float, int]:
    """(delay, concurrency) per domain that a crawl of `spider` with these settings promises."""
    cls = spider_class(spider)
    settings = project_settings()
    settings.setdict(getattr(cls, "custom_settings", None) or {}, priority="spider")
    settings.setdict(overrides, priority="cmdline")
    return settings.getfloat("DOWNLOAD_DELAY"), max(1, settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))


def seed(server: Any, prefix: str, spec: CrawlSpec) -> int:
    """Put the crawl's listing requests in its queue and open it to workers; returns how many."""
    cls = spider_class(spec.spider)
    if not hasattr(cls, "listing_requests"):
        raise ValueError(f"{spec.spider} cannot be crawled distributed (it has no listings)")
    keys = CrawlKeys(prefix, spec.run_id)
    spider = cls(**spec.spider_args)
    spider.listing_status = SharedListingStatus(server, keys)
    queue = PriorityQueue(server=server, spider=spider, key=keys.requests)
    seen = RFPDupeFilter(server, key=keys.dupefilter)
    count = 0
    for request in spider.listing_requests():
        if not seen.request_seen(request):
            queue.push(request)
            count += 1
    server.set(keys.spec, spec.dumps())
    server.zadd(crawls_key(prefix), {str(spec.run_id): time.time()})
    return count
