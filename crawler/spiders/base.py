"""The base of every site spider: sources and rules as data; discovery, date window, de-duplication of
listing entries and page hand-off are done here once."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from core.items import PageItem
from core.rejections import Kind
from core.timewindow import DEFAULT_WINDOW_DAYS, Window, parse_day
from core.urls import canonical_url
from crawler import runstats
from crawler.listings import Entry, parse_feed, parse_list_page, parse_sitemap
from crawler.middlewares import ARTICLE_META, ORIGINAL_URL_META, RetryLater, UnmirroredHost
from crawler.neterrors import network_problem
from sites.model import FrameRule, ListSource

LISTING_META = "newsarchive_listing"
FRAME_META = "newsarchive_frame"  # (page url, page html, frame src) while a frame is being fetched
INNER_META = "newsarchive_inner_frame"


@dataclass
class ListingStatus:
    requested: int = 0
    succeeded: int = 0
    unreachable: dict[str, str] = field(default_factory=dict)
    """host -> the network problem that failed a listing on it (crawler.neterrors.network_problem)"""


class ArchiveSpider(scrapy.Spider):
    """Subclasses set `name`, their sources and `article_pattern` (matched against canonical URLs);
    crawler/spiders/registered.py makes one per site file in sites/."""

    # sources: class attributes from the Site, or set per instance (korea_kr's `ministries` argument)
    feeds: Sequence[str] = ()
    sitemaps: Sequence[str] = ()
    list_sources: Sequence[ListSource] = ()
    article_pattern: ClassVar[str] = r"$^"
    requires_ministry: ClassVar[bool] = True  # general outlets: keep only articles naming a ministry
    frame_rule: ClassVar[FrameRule | None] = None
    ministry: ClassVar[str] = ""  # a ministry's own site: every entry is attributed to it

    def __init__(self, since: str | None = None, until: str | None = None,
                 window_days: str | int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        days = int(window_days) if window_days else DEFAULT_WINDOW_DAYS
        self.window = Window.from_days(parse_day(since) if since else None,
                                       parse_day(until) if until else None, default_days=days)
        self.listing_status = ListingStatus()
        self._seen: set[str] = set()
        self._article_re = re.compile(self.article_pattern)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Without a window_days argument, the window is NEWSARCHIVE_WINDOW_DAYS days long."""
        if not kwargs.get("window_days"):
            kwargs["window_days"] = crawler.settings.getint("NEWSARCHIVE_WINDOW_DAYS")
        return super().from_crawler(crawler, *args, **kwargs)

    # --- discovery -------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        for request in self.listing_requests():
            yield request

    def listing_requests(self) -> Iterator[scrapy.Request]:
        for url in self.sitemaps:
            yield self._listing(url, self.parse_sitemap)
        for url in self.feeds:
            yield self._listing(url, self.parse_feed)
        for source in self.list_sources:
            yield self._listing(source.template.format(page=source.first_page), self.parse_list,
                                source=source, page=source.first_page)

    def _listing(self, url: str, callback: Any, **cb_kwargs: Any) -> scrapy.Request:
        self.listing_status.requested += 1
        return scrapy.Request(url, callback=callback, errback=self.listing_failed, cb_kwargs=cb_kwargs,
                              meta={LISTING_META: True}, priority=10)

    def listing_failed(self, failure: Failure) -> None:
        if failure.check(RetryLater):
            return
        url = _request_url(failure)
        problem = network_problem(failure.value)
        if problem:  # said once for all in the run's reason (CrawlRunExtension.outcome)
            self.listing_status.unreachable[urlsplit(url).hostname or url] = problem
        self.logger.log(logging.INFO if problem else logging.WARNING, "listing failed: %s (%s)", url,
                        failure.getErrorMessage())

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        self.listing_status.succeeded += 1
        entries, nested = parse_sitemap(response.body, response.url)
        for url in nested:
            yield self._listing(url, self.parse_sitemap)
        yield from self.follow_entries(entries)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        self.listing_status.succeeded += 1
        yield from self.follow_entries(self.feed_entries(response))

    def feed_entries(self, response: Response) -> list[Entry]:
        return parse_feed(response.body, response.url)

    def parse_list(self, response: Response, source: ListSource, page: int) -> Iterator[scrapy.Request]:
        self.listing_status.succeeded += 1
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        entries = parse_list_page(text, response.url, source.rule)
        yield from self.follow_entries(entries)
        dated = [e.listed_at for e in entries if e.listed_at]
        reached_older = bool(dated) and min(dated) < self.window.start
        max_pages = self.settings.getint("NEWSARCHIVE_MAX_LIST_PAGES", 20)
        if entries and not reached_older and page - source.first_page + 1 < max_pages:
            yield self._listing(source.template.format(page=page + 1), self.parse_list,
                                source=source, page=page + 1)

    def follow_entries(self, entries: list[Entry]) -> Iterator[scrapy.Request]:
        for entry in entries:
            request = self.consider(entry)
            if request is not None:
                yield request

    def consider(self, entry: Entry) -> scrapy.Request | None:
        """One listing entry: counted once per run, dropped when outside the window, else requested.

        Archived URLs are dropped after the listing is parsed, by SkipArchivedMiddleware."""
        canon = canonical_url(entry.url)
        if not self._article_re.match(canon) or canon in self._seen:
            return None
        self._seen.add(canon)
        if self.ministry and self.ministry not in entry.ministries:
            entry.ministries.append(self.ministry)
        stats = self.crawler.stats
        runstats.count(stats, "listed")
        if not self.window.contains(entry.listed_at):
            runstats.count(stats, "skipped", "out_of_window")
            return None
        return scrapy.Request(canon, callback=self.parse_article, errback=self.article_failed,
                              meta={ARTICLE_META: True, "entry": entry})

    # --- article pages ---------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        runstats.count(self.crawler.stats, "fetched")
        follow = self.frame_request(response)
        if follow is not None:
            yield follow
            return
        yield self.page_item(response, response.body)

    # --- content shown in frames (FrameRule) --------------------------------------------------------

    def frame_request(self, response: Response) -> scrapy.Request | None:
        """Where the body is only a placeholder, a request for the frame that shows the text."""
        rule = self.frame_rule
        if rule is None or not isinstance(response, TextResponse):
            return None
        body_text = "".join(response.css(f"{rule.body_css} ::text").getall()).strip()
        src = response.css(rule.frame_css).xpath("@src").get()
        if not src or len(body_text) > rule.placeholder_max_chars:
            return None
        # Only our own keys travel on: Scrapy's and the mirror's per-request meta must not be copied.
        meta = {"entry": response.meta.get("entry"), FRAME_META: (response.url, response.body, src)}
        return response.follow(src, callback=self.parse_frame, errback=self.frame_failed, meta=meta,
                               dont_filter=True)

    def inner_frame_url(self, response: Response) -> str | None:
        rule = self.frame_rule
        if rule is None or not rule.inner_css or not isinstance(response, TextResponse):
            return None
        return response.css(rule.inner_css).xpath("@src").get()

    def parse_frame(self, response: Response) -> Iterator[Any]:
        """The frame's page: follow its inner frame if it has one, else inline what it shows."""
        meta = {key: response.meta[key] for key in ("entry", FRAME_META)}
        inner = self.inner_frame_url(response) if not response.meta.get(INNER_META) else None
        if inner:
            yield scrapy.Request(response.urljoin(inner), callback=self.parse_frame, errback=self.frame_failed,
                                 meta={**meta, INNER_META: True}, dont_filter=True)
            return
        page_url, page_html, src = response.meta[FRAME_META]
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        body = Selector(text=text).css("body").get() or text
        inlined = (f'<div data-newsarchive-frame="{response.url}">'
                   f"{body.removeprefix('<body>').removesuffix('</body>')}</div>")
        yield self.page_item(response.replace(url=page_url), _inline_frame(page_html, src, inlined))

    def frame_failed(self, failure: Failure) -> None:
        """The viewer did not give the page's text (an error status, a timeout): the page is not stored,
        since its body is only the placeholder. It is counted as failed and recorded as a temporary
        rejection under its canonical URL, so the next crawl fetches it again."""
        if failure.check(RetryLater):  # the frame is fetched again later
            return
        request = getattr(failure, "request", None)
        assert request is not None
        page_url = request.meta[FRAME_META][0]
        response = getattr(failure.value, "response", None)
        why = f"HTTP {response.status}" if response is not None else type(failure.value).__name__
        frame_url = request.meta.get(ORIGINAL_URL_META) or request.url  # the real URL, not a mirror's
        self.logger.warning("frame failed for %s (%s: %s)", page_url, frame_url, why)
        runstats.count(self.crawler.stats, "failed", Kind.FRAME_FAILED.reason)
        self.crawler.signals.send_catch_log(runstats.page_failed, url=canonical_url(page_url),
                                            reason=Kind.FRAME_FAILED.describe(f"{why} from {frame_url}"))

    def page_item(self, response: Response, html: bytes) -> PageItem:
        entry: Entry = response.meta.get("entry") or Entry(url=response.url)
        encoding = None
        content_type = response.headers.get(b"Content-Type")
        if content_type:
            match = re.search(rb"charset=([\w-]+)", content_type, re.I)
            encoding = match.group(1).decode("ascii") if match else None
        listed = canonical_url(entry.url)
        return PageItem(url=response.url, html=html, source=self.name, fetched_at=datetime.now(UTC),
                        listed_url=listed if listed != canonical_url(response.url) else "",
                        encoding=encoding, listed_at=entry.listed_at, listed_title=entry.title,
                        ministries=list(entry.ministries), etag=_header(response, b"ETag"),
                        last_modified=_header(response, b"Last-Modified"))

    def article_failed(self, failure: Failure) -> None:
        """An article page that could not be fetched: counted and recorded under the URL it was listed
        as (canonical), not the mirror's or a redirect's, so the next crawl's check finds it."""
        if failure.check(RetryLater):
            return
        reason = fetch_failure_reason(failure)
        if reason == ROBOTS_REASON:
            runstats.count(self.crawler.stats, "skipped", reason)
            return
        runstats.count(self.crawler.stats, "failed", reason)
        self.crawler.signals.send_catch_log(runstats.page_failed, url=_listed_url(failure), reason=reason)


ROBOTS_REASON = "forbidden by robots.txt"


def fetch_failure_reason(failure: Failure) -> str:
    """Why a request failed, as a run reason: its HTTP status, a refusal of ours, or the error's type."""
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"http_{response.status}"
    if failure.check(UnmirroredHost):
        return f"refused: {failure.getErrorMessage()}"
    message = failure.getErrorMessage()
    if failure.check(DownloadCancelledError) or "DOWNLOAD_MAXSIZE" in message:
        return "too large"  # more than DOWNLOAD_MAXSIZE, as sent or once decompressed
    if failure.check(IgnoreRequest):
        if "max redirections" in message:
            return "too many redirects"
        if "robots.txt" in message:
            return ROBOTS_REASON
        return f"ignored: {message[:80]}"
    return f"fetch: {type(failure.value).__name__}"


def _listed_url(failure: Failure) -> str:
    """The canonical URL a failed article request was listed under."""
    request = getattr(failure, "request", None)
    if request is None:
        return "?"
    entry = request.meta.get("entry")
    return canonical_url(entry.url if isinstance(entry, Entry) else request.meta.get(ORIGINAL_URL_META, request.url))


def _inline_frame(page_html: bytes, src: str, inlined: str) -> bytes:
    """Put the frame's content in the page, just before the iframe tag that showed it."""
    data = inlined.encode("utf-8")
    at = page_html.find(src.encode("utf-8"))
    if at == -1:
        at = page_html.find(src.replace("&", "&amp;").encode("utf-8"))
    if at == -1:
        return page_html.replace(b"</body>", data + b"</body>", 1)
    tag_start = page_html.rfind(b"<iframe", 0, at)
    return page_html[:tag_start] + data + page_html[tag_start:] if tag_start != -1 else page_html + data


def _request_url(failure: Failure) -> str:
    """Scrapy attaches the failed request to the failure it hands an errback."""
    request = getattr(failure, "request", None)
    return request.url if request is not None else "?"


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    text = value.decode("latin-1").strip() if value else ""
    return text or None
