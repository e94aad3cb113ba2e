"""The crawl's listing status shared by its workers in Redis: which listings were asked for and fetched,
which hosts could not be reached, and which listed URLs were met, for the whole crawl at once."""

from __future__ import annotations

from typing import Any

from crawler.cluster.keys import CrawlKeys
from crawler.listing_status import ListingStatus


class SharedListingStatus(ListingStatus):
    def __init__(self, server: Any, keys: CrawlKeys):
        super().__init__()
        self.server = server
        self.keys = keys

    def listing_requested(self) -> None:
        self.server.hincrby(self.keys.listings, "requested", 1)

    def listing_succeeded(self) -> None:
        self.server.hincrby(self.keys.listings, "succeeded", 1)

    def listing_unreachable(self, host: str, problem: str) -> None:
        self.server.hset(self.keys.unreachable, host, problem)

    def first_sighting(self, canonical: str) -> bool:
        return bool(self.server.sadd(self.keys.seen, canonical))

    def snapshot(self) -> ListingStatus:
        counts = {key.decode(): int(value) for key, value in self.server.hgetall(self.keys.listings).items()}
        hosts = {key.decode(): value.decode() for key, value in self.server.hgetall(self.keys.unreachable).items()}
        return ListingStatus(requested=counts.get("requested", 0), succeeded=counts.get("succeeded", 0),
                             unreachable=hosts)
