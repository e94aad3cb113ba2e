"""How a crawl's listings went (the crawl's health), and which listed URLs it has met."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.neterrors import unreachable


@dataclass
class ListingStatus:
    """How the crawl's listings went, and which listed URLs it has met. One process's own; a distributed
    crawl shares one among its workers (crawler/cluster/listings.py), so the listings are judged for the
    crawl, not per worker."""

    requested: int = 0
    succeeded: int = 0
    unreachable: dict[str, str] = field(default_factory=dict)
    """host -> the network problem that failed a listing on it (crawler.neterrors.network_problem)"""
    seen: set[str] = field(default_factory=set)

    def listing_requested(self) -> None:
        self.requested += 1

    def listing_succeeded(self) -> None:
        self.succeeded += 1

    def listing_unreachable(self, host: str, problem: str) -> None:
        self.unreachable[host] = problem

    def first_sighting(self, canonical: str) -> bool:
        """True the first time this crawl meets a listed URL."""
        if canonical in self.seen:
            return False
        self.seen.add(canonical)
        return True

    def snapshot(self) -> ListingStatus:
        """The counts as they stand (a shared status reads them back)."""
        return self


def listing_verdict(listing: ListingStatus) -> tuple[str, str]:
    """(status, reason) the listings give a crawl that ran to its end: failed when none could be fetched,
    with the hosts that could not be reached named."""
    network = unreachable(listing.unreachable) if listing.unreachable else ""
    if listing.requested and listing.succeeded == 0:
        why = f"no listing could be fetched ({listing.requested} tried)"
        return "failed", f"{why}: {network}" if network else why
    return "finished", network
