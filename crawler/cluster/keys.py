"""Where a distributed crawl lives in Redis: every key of a crawl is under its run id, so a later crawl is
never filtered by an earlier one's fingerprints, nor served an earlier one's leftover queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_PREFIX = "newsarchive"


# A Redis that stops answering (killed, its machine or the network gone) fails a command within seconds,
# instead of hanging the worker: short socket timeouts, and two quick retries to ride out a blip. The URL's
# own query arguments (?socket_timeout=30) take precedence.
SOCKET_TIMEOUT_SECONDS = 5.0
RETRIES = 2


def client_options() -> dict[str, Any]:
    """The redis-py client arguments of every connection of a cluster (ours and scrapy-redis's)."""
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    return {"socket_timeout": SOCKET_TIMEOUT_SECONDS, "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
            "retry": Retry(ExponentialBackoff(cap=1.0, base=0.25), RETRIES)}


def connect(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, decode_responses=False, **client_options())


def safe_url(url: str) -> str:
    """The URL without its password, to be shown."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return url.replace(f":{parts.password}@", ":***@") if parts.password else url


def crawls_key(prefix: str) -> str:
    """Sorted set of the run ids of the crawls open to workers, scored by when they were seeded."""
    return f"{prefix}:crawls"


def domain_keys(prefix: str, domain: str) -> tuple[str, str]:
    """(holders, next-allowed time) of a domain's politeness slot, shared by every crawl under `prefix`."""
    return f"{prefix}:polite:{domain}:holders", f"{prefix}:polite:{domain}:next"


@dataclass(frozen=True)
class CrawlKeys:
    prefix: str
    run_id: int

    @property
    def base(self) -> str:
        return f"{self.prefix}:run:{self.run_id}"

    @property
    def spec(self) -> str:
        return f"{self.base}:spec"  # the crawl's spider, arguments, mirrors and settings (JSON)

    @property
    def requests(self) -> str:
        return f"{self.base}:requests"  # scrapy-redis's priority queue

    @property
    def dupefilter(self) -> str:
        return f"{self.base}:dupefilter"  # scrapy-redis's request fingerprints

    @property
    def listings(self) -> str:
        return f"{self.base}:listings"  # hash: requested, succeeded

    @property
    def unreachable(self) -> str:
        return f"{self.base}:unreachable"  # hash: host -> network problem

    @property
    def seen(self) -> str:
        return f"{self.base}:seen"  # set of the canonical URLs the listings gave

    @property
    def workers(self) -> str:
        return f"{self.base}:workers"  # hash: worker id -> alive until (ms, Redis clock)

    @property
    def finalized(self) -> str:
        return f"{self.base}:finalized"  # set once, by the worker that closes the run

    def transient(self) -> list[str]:
        """Deleted when the crawl ends."""
        return [self.spec, self.requests, self.dupefilter, self.listings, self.unreachable, self.seen,
                self.workers]
