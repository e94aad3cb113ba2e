"""대한민국 정책브리핑 (korea.kr) press releases: every ministry's releases, from its RSS feed and the list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import Response

from crawler.listings import Entry, ListPageRule
from crawler.spiders.base import ArchiveSpider, FrameRule, ListSource

BASE = "https://www.korea.kr"
# feed code -> official ministry name (korea.kr/rss/dept_{code}.xml)
DEPARTMENTS = {
    "msit": "과학기술정보통신부", "mois": "행정안전부", "moef": "기획재정부", "fsc": "금융위원회",
    "molit": "국토교통부", "nts": "국세청", "moel": "고용노동부", "me": "환경부", "mcst": "문화체육관광부",
    "moe": "교육부", "ftc": "공정거래위원회", "pipc": "개인정보보호위원회", "motir": "산업통상부",
    "mcee": "기후에너지환경부",
}
# The body can be only "본 자료는 ○○부에서 배포한 자료입니다."; the text is in the document viewer:
# div.docConversion iframe -> skin page -> iframe[name=innerWrap] -> /docViewer/result/…/{id}.view.xhtml
VIEWER = FrameRule(body_css="div.view_cont", frame_css="div.docConversion iframe, iframe#content_press",
                   inner_css="iframe[name=innerWrap]")


class KoreaKrSpider(ArchiveSpider):
    name = "korea_kr"
    article_pattern = r"^https://www\.korea\.kr/briefing/pressReleaseView\.do\?newsId=\d+$"
    requires_ministry = False
    frame_rule = VIEWER

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

    def inner_frame_url(self, response: Response) -> str | None:
        """The viewer skin names its content frame; failing that, the `rs=` result folder gives it."""
        inner = super().inner_frame_url(response)
        if inner:
            return inner
        rs = parse_qs(urlsplit(response.url).query).get("rs", [""])[0].rstrip("/")
        doc_id = rs.rsplit("/", 1)[-1]
        return f"{rs}/{doc_id}.view.xhtml" if rs and doc_id else None
