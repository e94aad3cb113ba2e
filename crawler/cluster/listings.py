"""The crawl's listing status shared by its workers in Redis: which listings were asked for and fetched,
which hosts could not be reached, and which listed URLs were met, for the whole crawl at once."""

from __future__ import annotations

from functools import partial
from typing import Any

from scrapy.crawler import Crawler

from crawler.cluster import redisfailure
from crawler.cluster.keys import CrawlKeys
from crawler.listing_status import ListingStatus


class SharedListingStatus(ListingStatus):
    """In a worker (`crawler` given), a Redis failure ends the worker rather than the listing's parse, and
    the status is not asked for any more; when seeding, it raises."""

    def __init__(self, server: Any, keys: CrawlKeys, crawler: Crawler | None = None):
        super().__init__()
        self.server = server
        self.keys = keys
        self.crawler = crawler

    def _ask(self, default: Any, command: str, *args: Any) -> Any:
        call = partial(getattr(self.server, command), *args)
        return call() if self.crawler is None else redisfailure.ask(self.crawler, call, default)

    def listing_requested(self) -> None:
        self._ask(None, "hincrby", self.keys.listings, "requested", 1)

    def listing_succeeded(self) -> None:
        self._ask(None, "hincrby", self.keys.listings, "succeeded", 1)

    def listing_unreachable(self, host: str, problem: str) -> None:
        self._ask(None, "hset", self.keys.unreachable, host, problem)

    def first_sighting(self, canonical: str) -> bool:
        return bool(self._ask(True, "sadd", self.keys.seen, canonical))

    def snapshot(self) -> ListingStatus:
        counts = {key.decode(): int(value) for key, value in self.server.hgetall(self.keys.listings).items()}
        hosts = {key.decode(): value.decode() for key, value in self.server.hgetall(self.keys.unreachable).items()}
        return ListingStatus(requested=counts.get("requested", 0), succeeded=counts.get("succeeded", 0),
                             unreachable=hosts)
