"""What the crawl process and its workers hand each other: the crawl's Policy goes with every batch, an
Outcome comes back for every page, and a stored page goes on through Scrapy as an ExtractedItem.

Kept apart from the extraction and storage code so that the crawl process can use them without
importing what only the workers need (trafilatura, the near-duplicate hashing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.article import Article
from core.items import PageItem
from core.timewindow import Window

if TYPE_CHECKING:
    from pipelines.minhash import Fingerprint
    from storage.bulk import NewArticle


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
    database_failed: str | None = None  # why the database cannot be used: the crawl ends (storage.faults)
    permanent: bool = False  # a dropped page that a later fetch would not change (core.rejections)

    @classmethod
    def failure(cls, kind: str, exc: BaseException) -> Outcome:
        """A page lost to an error (`kind`: store error, worker error), counted by the error's type."""
        reason = f"{kind}: {type(exc).__name__}"
        return cls("failed", reason, dropped=f"{reason}: {exc}"[:250])

    @classmethod
    def lost_to_database(cls, reason: str) -> Outcome:
        """A page not stored because the database failed: not a bad page (it is not counted, nor recorded
        as rejected, so the next crawl fetches it again); the crawl fails with `reason`."""
        return cls("", database_failed=reason)


@dataclass
class ExtractedItem:
    """A page that became an article; carries the raw page, the body's fingerprint and the article's
    rows made ready to insert (pipelines.store.make_ready) on to storage."""

    page: PageItem
    article: Article
    fingerprint: Fingerprint | None = None
    ready: NewArticle | None = None

    @property
    def url(self) -> str:
        return self.page.url
