"""대한민국 정책브리핑 (korea.kr) press releases: every ministry's releases, from its RSS feed and the list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import Response

from crawler.listings import Entry, ListPageRule
from crawler.spiders.base import ArchiveSpider, ListSource

BASE = "https://www.korea.kr"
# feed code -> official ministry name (korea.kr/rss/dept_{code}.xml)
DEPARTMENTS = {
    "msit": "과학기술정보통신부", "mois": "행정안전부", "moef": "기획재정부", "fsc": "금융위원회",
    "molit": "국토교통부", "nts": "국세청", "moel": "고용노동부", "me": "환경부", "mcst": "문화체육관광부",
    "moe": "교육부", "ftc": "공정거래위원회", "pipc": "개인정보보호위원회", "motir": "산업통상부",
    "mcee": "기후에너지환경부",
}
PLACEHOLDER_MAX_CHARS = 120
FRAME_META = "newsarchive_frame"


class KoreaKrSpider(ArchiveSpider):
    name = "korea_kr"
    article_pattern = r"^https://www\.korea\.kr/briefing/pressReleaseView\.do\?newsId=\d+$"
    requires_ministry = False

    def __init__(self, ministries: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        codes = [c.strip() for c in (ministries or "").split(",") if c.strip()]
        unknown = [c for c in codes if c not in DEPARTMENTS]
        if unknown:
            raise ValueError(f"unknown korea.kr ministry code(s) {', '.join(unknown)}; "
                             f"known: {', '.join(DEPARTMENTS)}")
        self.departments = codes or list(DEPARTMENTS)
        self.restricted = bool(codes)
        feeds = [f"{BASE}/rss/dept_{code}.xml" for code in self.departments]
        # the all-ministries feed only when every ministry is wanted
        self.feeds = feeds if self.restricted else [*feeds, f"{BASE}/rss/pressrelease.xml"]
        rule = ListPageRule(row="div.list_type > ul > li", link="a::attr(href)", title="span.text > strong",
                            date="span.source > span:first-child", ministry="span.source > span:nth-child(2)")
        self.list_sources = [ListSource(f"{BASE}/briefing/pressReleaseList.do?pageIndex={{page}}", rule)]

    def feed_entries(self, response: Response) -> list[Entry]:
        entries = super().feed_entries(response)
        code = urlsplit(response.url).path.rsplit("/", 1)[-1].removeprefix("dept_").removesuffix(".xml")
        if code in DEPARTMENTS:
            for entry in entries:
                entry.ministries = [DEPARTMENTS[code]]
        return entries

    def follow_entries(self, entries: list[Entry]) -> Iterator[scrapy.Request]:
        if self.restricted:
            wanted = {DEPARTMENTS[c] for c in self.departments}
            entries = [e for e in entries if set(e.ministries) & wanted]
        yield from super().follow_entries(entries)

    # --- the document-viewer frame ---------------------------------------------------------------

    def frame_request(self, response: Response) -> scrapy.Request | None:
        """Where the body is only the placeholder sentence, fetch the viewer frame holding the text."""
        page = Selector(text=response.text)
        body_text = "".join(page.css("div.view_cont ::text").getall()).strip()
        src = page.css("div.docConversion iframe::attr(src), iframe#content_press::attr(src)").get()
        if not src or len(body_text) > PLACEHOLDER_MAX_CHARS:
            return None
        # Only our own keys travel on: Scrapy's and the mirror's per-request meta must not be copied.
        meta = {"entry": response.meta.get("entry"), FRAME_META: (response.url, response.body, src)}
        return response.follow(src, callback=self.parse_frame_skin, errback=self.frame_failed, meta=meta,
                               dont_filter=True)

    def parse_frame_skin(self, response: Response) -> Iterator[Any]:
        inner = Selector(text=response.text).css("iframe[name=innerWrap]::attr(src)").get()
        if not inner:
            rs = parse_qs(urlsplit(response.url).query).get("rs", [""])[0].rstrip("/")
            doc_id = rs.rsplit("/", 1)[-1]
            inner = f"{rs}/{doc_id}.view.xhtml" if rs and doc_id else None
        if not inner:
            yield self._page_without_frame(response)
            return
        meta = {key: response.meta[key] for key in ("entry", FRAME_META)}
        yield scrapy.Request(urljoin(response.url, inner), callback=self.parse_frame_content,
                             errback=self.frame_failed, meta=meta, dont_filter=True)

    def parse_frame_content(self, response: Response) -> Iterator[Any]:
        page_url, page_html, src = response.meta[FRAME_META]
        body = Selector(text=response.text).css("body").get() or response.text
        inlined = (f'<div data-newsarchive-frame="{response.url}">'
                   f"{body.removeprefix('<body>').removesuffix('</body>')}</div>")
        html = _inline_frame(page_html, src, inlined)
        yield self.page_item(response.replace(url=page_url), html)

    def frame_failed(self, failure: Any) -> Iterator[Any]:
        self.logger.warning("document viewer failed for %s: %s", failure.request.url, failure.getErrorMessage())
        page_url, page_html, _ = failure.request.meta[FRAME_META]
        response = scrapy.http.HtmlResponse(url=page_url, body=page_html, request=failure.request)
        yield self.page_item(response, page_html)

    def _page_without_frame(self, response: Response) -> Any:
        page_url, page_html, _ = response.meta[FRAME_META]
        return self.page_item(response.replace(url=page_url, body=page_html), page_html)


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
