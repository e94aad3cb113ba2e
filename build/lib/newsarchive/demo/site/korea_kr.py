"""Local copy of www.korea.kr built from content_korea_kr.RELEASES.

Pages: `/rss/pressrelease.xml` and `/rss/dept_{code}.xml` for every code in DEPTS (empty channels for
ministries without releases), the list `/briefing/pressReleaseList.do[?pageIndex=N][&repCode=…]`
(PAGE_SIZE rows, then one empty page), views `/briefing/pressReleaseView.do?newsId=…`, the document
viewer (`/docViewer/iframe_skin/doc.html?fn=…&rs=…` and `/docViewer/result/…/{id}.view.xhtml`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from email.utils import format_datetime
from html import escape

from newsarchive.demo.site.content_korea_kr import DEPTS, RELEASES, Release
from newsarchive.demo.site.expected import ExpectedArticle, kst
from newsarchive.demo.site.korea_kr_view import (
    BASE,
    error_html,
    list_row_html,
    og_image,
    paging_html,
    skin_html,
    skin_path,
    view_html,
    view_path,
    xhtml,
    xhtml_path,
)
from newsarchive.demo.site.resources import Resource

HOST = "www.korea.kr"
PAGE_SIZE = 6  # the real list shows 20 rows; fewer here so that paging is exercised
HTML = "text/html;charset=UTF-8"
XHTML = "application/xhtml+xml;charset=UTF-8"
LIST = "/briefing/pressReleaseList.do"


def _newest_first(releases: list[Release] | tuple[Release, ...]) -> list[Release]:
    return sorted(releases, key=lambda r: (-r.days_ago, r.time, r.id), reverse=True)


def _feed_link(r: Release, feed: str) -> str:
    junk = "&pWise=mSub&pWiseSub=C7" if r.also_in and feed == f"dept_{r.also_in[0]}" else "&call_from=rsslink"
    return f"{BASE}{view_path(r)}{junk}"


def _feed(feed: str, title: str, releases: list[Release], today: date) -> str:
    items = []
    for r in _newest_first(releases):
        teaser = " ".join(r.subtitle + r.paragraphs[:1])[:150] or r.title
        items.append(
            f"<item><title><![CDATA[{r.title}]]></title><link>{escape(_feed_link(r, feed))}</link>"
            f"<description><![CDATA[{teaser}]]></description>"
            f"<pubDate>{format_datetime(kst(today, r.days_ago, r.time))}</pubDate>"
            f"<author>{DEPTS[r.dept][0]}</author><guid>{escape(_feed_link(r, feed))}</guid></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
            f"<title>정책브리핑 - {escape(title)}</title><link>{BASE}</link>"
            f"<description>대한민국 정책브리핑 {escape(title)}</description><language>ko</language>"
            f"<pubDate>{format_datetime(kst(today, 0, '14:30'))}</pubDate>\n"
            + "\n".join(items) + "\n</channel>\n</rss>\n")


def _feeds(today: date) -> Iterator[tuple[str, str]]:
    yield "/rss/pressrelease.xml", _feed("pressrelease", "보도자료", list(RELEASES), today)
    for code, (name, _) in DEPTS.items():
        listed = [r for r in RELEASES if r.dept == code or code in r.also_in]
        yield f"/rss/dept_{code}.xml", _feed(f"dept_{code}", f"보도자료({name})", listed, today)


def _row_href(r: Release, page: int, today: date) -> str:
    return (f"{view_path(r)}&pageIndex={page}&repCodeType=&repCode=&startDate={today - timedelta(days=365)}"
            f"&endDate={today}&srchWord=&period=")


def _row(r: Release, page: int, today: date) -> str:
    lead = "".join(r.subtitle + r.paragraphs)[:140] + "···"
    day = f"{kst(today, r.days_ago, r.time):%Y.%m.%d}"
    return list_row_html(_row_href(r, page, today), r.title, lead, day, DEPTS[r.dept][0])


def _list_page(rows: list[Release], page: int, last: int, total: int, rep_code: str, today: date) -> str:
    body = "".join(_row(r, page, today) for r in rows)
    empty = "" if rows else '<p class="no_data">검색 결과가 없습니다.</p>'
    return f"""<!DOCTYPE html><html lang="ko"><head>
	<title>보도자료 | 브리핑룸 | 대한민국 정책브리핑</title>
<meta charset="UTF-8">
<link rel="canonical" href="{BASE}{LIST}">
<meta property="og:title" content="">
</head><body>
<section class="area_contents" id="container"><div class="article_wrap"><div class="container">
<form id="mainForm" name="mainForm" method="post" action="{LIST}" onsubmit="">
<input type="hidden" id="pageIndex" name="pageIndex" value="{page}">
<input type="hidden" id="repCodeType" name="repCodeType" value="{rep_code[:1]}">
<input type="hidden" id="repCode" name="repCode" value="{rep_code}">
<input type="hidden" id="startDate" name="startDate" value="{today - timedelta(days=365)}">
<input type="hidden" id="endDate" name="endDate" value="{today}">
</form>
<div class="article_body"><h2><strong>보도자료</strong></h2>
<div class="sch_brief"><div class="result"> 총 <strong>{total}</strong>건</div></div>
						<div class="list_type">
							<ul>{body}
							</ul>
						</div>{empty}
						<!-- S: paging -->
						{paging_html(page, last)}
</div></div></div></section></body></html>
"""


def _lists(today: date) -> Iterator[tuple[str, str]]:
    filters = [("", list(RELEASES))] + [
        (rep, [r for r in RELEASES if r.dept == code]) for code, (_, rep) in DEPTS.items()]
    for rep_code, chosen in filters:
        listed = _newest_first([r for r in chosen if r.in_list])
        chunks = [listed[i:i + PAGE_SIZE] for i in range(0, len(listed), PAGE_SIZE)]
        last = max(len(chunks), 1)
        for page, rows in enumerate([*chunks, []], 1):
            html = _list_page(rows, page, last, len(listed), rep_code, today)
            query = f"pageIndex={page}" + (f"&repCode={rep_code}" if rep_code else "")
            yield f"{LIST}?{query}", html
            if page == 1:
                yield LIST + (f"?repCode={rep_code}" if rep_code else ""), html


def build_korea_kr(today: date) -> dict[str, dict[str, Resource]]:
    pages: dict[str, Resource] = {}
    for key, text in [*_feeds(today), *_lists(today)]:
        ctype = "text/xml;charset=UTF-8" if key.startswith("/rss/") else HTML
        pages[key] = Resource(text.encode(), ctype)
    ordered = _newest_first([r for r in RELEASES if r.kind == "article"])
    for i, r in enumerate(ordered):
        if r.kind != "article":
            continue
        newer = ordered[i - 1] if i > 0 else None
        older = ordered[i + 1] if i + 1 < len(ordered) else None
        pages[view_path(r)] = Resource(view_html(r, today, older, newer).encode(), HTML)
        if r.doc_viewer or r.placeholder:
            pages[skin_path(r, today)] = Resource(skin_html(r, today).encode(), HTML)
            pages[xhtml_path(r, today)] = Resource(xhtml(r, today).encode(), XHTML)
    for r in RELEASES:
        if r.kind == "not_found":
            pages[view_path(r)] = Resource(error_html().encode(), HTML)
    return {HOST: pages}


def _listed_as(r: Release, today: date) -> tuple[str, ...]:
    feeds = ["pressrelease", f"dept_{r.dept}", *(f"dept_{c}" for c in r.also_in)]
    urls = [_feed_link(r, f) for f in feeds]
    if r.in_list:
        listed = _newest_first([x for x in RELEASES if x.in_list])
        page = listed.index(r) // PAGE_SIZE + 1
        urls.append(BASE + _row_href(r, page, today))
    return tuple(dict.fromkeys(urls))


def expected_korea_kr(today: date) -> tuple[ExpectedArticle, ...]:
    return tuple(
        ExpectedArticle(
            source="korea_kr", url=BASE + view_path(r), title=r.title,
            published=kst(today, r.days_ago, r.time), kind=r.kind, ministries=r.ministries,
            subtitle="\n".join(r.subtitle), body=r.paragraphs,
            listed_as=_listed_as(r, today), page_date_only=True, section="보도자료",
            images=((og_image(r, today), ""),) if r.kind == "article" else (),
            extras=frozenset({"placeholder"} if r.placeholder else set()) | (
                {"doc_viewer"} if r.doc_viewer or r.placeholder else set()))
        for r in _newest_first(RELEASES))
