"""Politeness for the whole cluster: the per-domain delay and concurrency one crawl promises hold across
all its workers, not per process (N workers with their own downloader slots would send N times as much).

Before a request leaves, its worker takes the domain's slot in Redis: one Lua script (atomic) admits it
when fewer than `concurrency` requests hold the domain and the domain's next-allowed time has come, and
then moves the next-allowed time `delay` on; otherwise it answers how long to wait, and the request waits
on a Twisted timer (the reactor is never blocked). A holder is released when its response or failure comes
back; each holding expires after a lease (the download timeout and a margin), so a killed worker's holdings
free themselves. Times are the Redis server's, one clock for every machine. When Redis fails, the worker
ends (crawler/cluster/redisfailure.py): a request waiting for its slot is not sent (NotSent), and a
response whose slot cannot be released is kept (the lease frees the slot)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from crawler.cluster import redisfailure
from crawler.cluster.keys import connect, domain_keys
from crawler.middlewares import ORIGINAL_URL_META

SLOT_META = "newsarchive_cluster_slot"  # (holders key, token) while the request holds its domain
FULL_POLL_MS = 50  # how soon to ask again when the domain's concurrency is used up
LEASE_MARGIN_SECONDS = 2.0

ACQUIRE = """
local holders, next_key = KEYS[1], KEYS[2]
local limit, delay_ms, lease_ms = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', holders, '-inf', now)
local wait = 0
local next_allowed = tonumber(redis.call('GET', next_key) or '0')
if next_allowed > now then wait = next_allowed - now end
if redis.call('ZCARD', holders) >= limit then wait = math.max(wait, tonumber(ARGV[5])) end
if wait > 0 then return wait end
redis.call('ZADD', holders, now + lease_ms, ARGV[4])
redis.call('PEXPIRE', holders, lease_ms)
if delay_ms > 0 then redis.call('SET', next_key, now + delay_ms, 'PX', delay_ms) end
return 0
"""


class ClusterPolitenessMiddleware:
    def __init__(self, crawler: Crawler, server: Any, prefix: str, delay: float, concurrency: int, lease: float):
        self.crawler = crawler
        self.server = server
        self.prefix = prefix
        self.delay_ms = int(round(delay * 1000))
        self.concurrency = concurrency
        self.lease_ms = int(lease * 1000)
        self.acquire = server.register_script(ACQUIRE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterPolitenessMiddleware:
        settings = crawler.settings
        url = settings.get("NEWSARCHIVE_CLUSTER_REDIS")
        if not url:
            raise NotConfigured
        return cls(crawler, connect(url), settings.get("NEWSARCHIVE_CLUSTER_PREFIX"),
                   settings.getfloat("NEWSARCHIVE_CLUSTER_DOMAIN_DELAY"),
                   max(1, settings.getint("NEWSARCHIVE_CLUSTER_DOMAIN_CONCURRENCY")),
                   settings.getfloat("DOWNLOAD_TIMEOUT") + LEASE_MARGIN_SECONDS)

    async def process_request(self, request: Request) -> None:
        real = request.meta.get(ORIGINAL_URL_META) or request.url
        holders, next_key = domain_keys(self.prefix, (urlsplit(real).hostname or "").lower())
        token = uuid.uuid4().hex
        while True:
            wait_ms = redisfailure.ask(self.crawler, lambda: int(self.acquire(keys=[holders, next_key], args=[
                self.concurrency, self.delay_ms, self.lease_ms, token, FULL_POLL_MS])), None)
            if wait_ms is None:
                raise redisfailure.NotSent(f"not sent, redis failed: {request.url}")
            if wait_ms <= 0:
                break
            await maybe_deferred_to_future(deferLater(reactor, wait_ms / 1000, lambda: None))
        request.meta[SLOT_META] = (holders, token)

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        held = request.meta.pop(SLOT_META, None)
        if held is not None:
            redisfailure.ask(self.crawler, lambda: self.server.zrem(*held), None)
