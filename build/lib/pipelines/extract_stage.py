"""Stage 1, pure: a fetched page becomes an article record and its fingerprint, or is rejected with a
counted reason. Runs in the crawl's worker processes (pipelines/ingest.py)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from crawler.items import PageItem
from newsarchive.timewindow import KST
from pipelines.article import Article, NotAnArticle
from pipelines.extract import extract
from pipelines.messages import ExtractedItem, Policy
from pipelines.neardup import Fingerprint, fingerprint_of


class Rejected(Exception):
    """The page is not archived: `counter` (failed or skipped) and the reason it is counted under."""

    def __init__(self, counter: str, reason: str):
        super().__init__(reason)
        self.counter, self.reason = counter, reason


def extract_and_fingerprint(html: bytes, url: str, **kwargs: Any) -> tuple[Article, Fingerprint]:
    article = extract(html, url, **kwargs)
    return article, fingerprint_of(article.body)


def _more_precise(page: datetime | None, listed: datetime | None) -> datetime | None:
    """Pages that show only a day (korea.kr) get the minute from the listing (RSS pubDate) of that day."""
    if listed is None:
        return page
    if page is None:
        return listed.astimezone(KST)
    page_kst, listed_kst = page.astimezone(KST), listed.astimezone(KST)
    if page_kst.time() == time(0, 0) and listed_kst.date() == page_kst.date() and listed_kst.time() != time(0, 0):
        return listed_kst
    return page


def judge(page: PageItem, policy: Policy) -> ExtractedItem:
    """Extract the page and apply the crawl's policy; raises Rejected for a page not to archive."""
    try:
        article, fingerprint = extract_and_fingerprint(page.html, page.url, source=page.source,
                                                       encoding=page.encoding, fetched_at=page.fetched_at)
    except NotAnArticle as exc:
        raise Rejected("failed", f"not an article: {exc.reason}") from None
    except Exception as exc:  # a broken page must not stop the crawl; it is counted and recorded
        raise Rejected("failed", f"extraction error: {type(exc).__name__}: {exc}"[:200]) from None
    article.published_at = _more_precise(article.published_at, page.listed_at)
    for name in page.ministries:
        if name not in article.ministries:
            article.ministries.append(name)
    window = policy.window
    if window is not None and article.published_at is not None and not window.contains(article.published_at):
        raise Rejected("skipped", "out_of_window")
    if policy.requires_ministry and not article.ministries:
        raise Rejected("skipped", "no ministry named")
    return ExtractedItem(page, article, fingerprint)
