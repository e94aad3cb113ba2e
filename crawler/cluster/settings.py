"""The Scrapy settings of a worker of a distributed crawl: scrapy-redis's scheduler and dupefilter on the
crawl's own keys, the run-part extension instead of the run extension, and the cluster's politeness
instead of each process's own delay (which would let N workers send N times the promised rate)."""

from __future__ import annotations

from typing import Any

from crawler.cluster.keys import CrawlKeys, client_options
from crawler.cluster.spec import CrawlSpec
from crawler.process import project_settings

RUN_EXTENSION = "crawler.extensions.CrawlRunExtension"
PART_EXTENSION = "crawler.cluster.runpart.ClusterRunExtension"
POLITENESS = "crawler.cluster.politeness.ClusterPolitenessMiddleware"
POLITENESS_ORDER = 960  # after HostMirrorMiddleware (950): the request is final, its real host known


def worker_settings(spec: CrawlSpec, redis_url: str, prefix: str, idle_seconds: float) -> dict[str, Any]:
    keys = CrawlKeys(prefix, spec.run_id)
    project = project_settings()
    extensions = {**project.getdict("EXTENSIONS"), RUN_EXTENSION: None, PART_EXTENSION: 100}
    middlewares = {**project.getdict("DOWNLOADER_MIDDLEWARES"), POLITENESS: POLITENESS_ORDER}
    return {
        **spec.overrides,
        "SCHEDULER": "crawler.cluster.scheduler.ClusterScheduler",
        "SCHEDULER_PERSIST": True,  # a leaving worker must not clear the queue the others still serve
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": redis_url,
        "REDIS_PARAMS": client_options(),
        "EXTENSIONS": extensions,
        "DOWNLOADER_MIDDLEWARES": middlewares,
        "DOWNLOAD_DELAY": 0,  # the cluster's slot spaces the requests (crawler/cluster/politeness.py)
        "DOWNLOAD_DELAY_JITTER": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": spec.domain_concurrency,
        "NEWSARCHIVE_CLUSTER_REDIS": redis_url,
        "NEWSARCHIVE_CLUSTER_PREFIX": prefix,
        "NEWSARCHIVE_CLUSTER_IDLE_SECONDS": idle_seconds,
        "NEWSARCHIVE_CLUSTER_DOMAIN_DELAY": spec.domain_delay,
        "NEWSARCHIVE_CLUSTER_DOMAIN_CONCURRENCY": spec.domain_concurrency,
    }
