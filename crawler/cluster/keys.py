"""Where a distributed crawl lives in Redis: every key of a crawl is under its run id, so a later crawl is
never filtered by an earlier one's fingerprints, nor served an earlier one's leftover queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_PREFIX = "newsarchive"


def connect(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, decode_responses=False)


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
