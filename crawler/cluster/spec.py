"""A distributed crawl's description, kept in Redis by the command that seeds it and read by every worker
that joins it: the run, the spider and its arguments, the mirrors, the Scrapy settings given with --set,
and the politeness the crawl promises each domain (one crawl's, whatever the number of workers)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from crawler.cluster.keys import CrawlKeys, crawls_key


@dataclass
class CrawlSpec:
    run_id: int
    spider: str
    spider_args: dict[str, str] = field(default_factory=dict)
    mirrors: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)
    domain_delay: float = 1.0  # seconds between two requests to one domain, for the whole crawl
    domain_concurrency: int = 2  # requests in flight to one domain, for the whole crawl

    def dumps(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def loads(cls, data: bytes) -> CrawlSpec:
        return cls(**json.loads(data))


def open_crawls(server: Any, prefix: str) -> list[CrawlSpec]:
    """The crawls waiting for workers, oldest first."""
    found = []
    for member in server.zrange(crawls_key(prefix), 0, -1):
        data = server.get(CrawlKeys(prefix, int(member)).spec)
        if data is not None:
            found.append(CrawlSpec.loads(data))
    return found
