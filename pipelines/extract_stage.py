"""Stage 1, pure: a fetched page becomes an article record, its fingerprint and its rows ready to insert,
or is rejected with a counted reason. Runs in the crawl's worker processes (pipelines/ingest.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from core.article import Article, NotAnArticle
from core.items import PageItem
from core.rejections import Kind
from core.timewindow import KST
from pipelines.extract import extract
from pipelines.messages import ExtractedItem, Policy
from pipelines.minhash import Fingerprint, fingerprint_of
from pipelines.store import make_ready
from storage.db import get_engine


class Rejected(Exception):
    """The page is not archived: its kind (the counter it is counted under, whether it is permanent) and
    the reason it is counted and recorded under."""

    def __init__(self, kind: Kind, detail: str = ""):
        super().__init__(kind.describe(detail))
        self.kind, self.reason = kind, kind.describe(detail)

    @property
    def counter(self) -> str:
        return self.kind.counter


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


def apply_listing(article: Article, listed_at: datetime | None, ministries: Sequence[str]) -> None:
    """What the listing knew beyond the page: the minute of a page that shows only the day, and the
    ministries it filed the article under. The crawl applies it, and re-extraction again from what
    raw_pages kept of the listing."""
    article.published_at = _more_precise(article.published_at, listed_at)
    for name in ministries:
        if name not in article.ministries:
            article.ministries.append(name)


def judge(page: PageItem, policy: Policy) -> ExtractedItem:
    """Extract the page and apply the crawl's policy; raises Rejected for a page not to archive."""
    try:
        article, fingerprint = extract_and_fingerprint(page.html, page.url, source=page.source,
                                                       encoding=page.encoding, fetched_at=page.fetched_at)
    except NotAnArticle as exc:
        raise Rejected(exc.kind) from None
    except Exception as exc:  # a broken page must not stop the crawl; it is counted and recorded
        raise Rejected(Kind.EXTRACTION_ERROR, f"{type(exc).__name__}: {exc}"[:180]) from None
    apply_listing(article, page.listed_at, page.ministries)
    window = policy.window
    if window is not None and article.published_at is not None and not window.contains(article.published_at):
        raise Rejected(Kind.OUT_OF_WINDOW)
    if policy.requires_ministry and not article.ministries:
        raise Rejected(Kind.NO_MINISTRY)
    item = ExtractedItem(page, article, fingerprint)
    if not policy.revisit:  # a revisit compares an archived URL with its article instead of storing it anew
        try:
            item.ready = make_ready(item, get_engine(policy.db_url).dialect.name)
        except Exception:  # noqa: BLE001 - storing makes it again and meets the error there, counted
            item.ready = None
    return item
