"""What the crawl process and its workers hand each other: the crawl's Policy goes with every batch, an
Outcome comes back for every page, and a stored page goes on through Scrapy as an ExtractedItem.

Kept apart from the extraction and storage code so that the crawl process can use them without
importing what only the workers need (trafilatura, the near-duplicate hashing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.items import PageItem
from newsarchive.timewindow import Window
from pipelines.article import Article

if TYPE_CHECKING:
    from pipelines.neardup import Fingerprint


@dataclass(frozen=True)
class Policy:
    """What one crawl keeps and where it stores it."""

    db_url: str
    run_id: int | None = None
    window: Window | None = None
    requires_ministry: bool = False
    revisit: bool = False  # archived URLs are compared for revisions instead of skipped


@dataclass(frozen=True)
class Outcome:
    """What became of one page: the run counter and reason it is counted under, and, for a page that is
    not kept, why (recorded in rejected_pages; Scrapy drops the item with this message)."""

    counter: str
    reason: str | None = None
    dropped: str | None = None
    article: Article | None = None

    @classmethod
    def failure(cls, kind: str, exc: BaseException) -> Outcome:
        """A page lost to an error (`kind`: store error, worker error), counted by the error's type."""
        reason = f"{kind}: {type(exc).__name__}"
        return cls("failed", reason, dropped=f"{reason}: {exc}"[:250])


@dataclass
class ExtractedItem:
    """A page that became an article; carries the raw page and the body's fingerprint on to storage."""

    page: PageItem
    article: Article
    fingerprint: Fingerprint | None = None

    @property
    def url(self) -> str:
        return self.page.url
