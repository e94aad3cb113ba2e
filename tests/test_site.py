"""The local test site's content: charsets, feeds, list and page markup per SITES.md, and the expected
records agreeing with the pages they describe (its serving rules: test_site_server.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
from lxml import etree
from parsel import Selector

from newsarchive.demo.site import Expected, build_expected, build_site
from newsarchive.demo.site.etoday import RSS
from newsarchive.demo.site.etoday import WWW as ET
from newsarchive.demo.site.korea_kr import HOST as KR
from newsarchive.demo.site.server import RunningSite, serve
from tests.conftest import CORPUS_PAGES

TODAY = date(2026, 1, 7)


@pytest.fixture(scope="module")
def running() -> Iterator[RunningSite]:
    with serve(build_site(TODAY)) as site:
        yield site


@pytest.fixture(scope="module")
def expected() -> Expected:
    return build_expected(TODAY)


def target_of(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.path + ("?" + parts.query if parts.query else "")


def page(running: RunningSite, url: str) -> Selector:
    status, _, body = running.get(*target_of(url))
    assert status == 200, url
    return Selector(text=body.decode("utf-8"))


# -- charsets -------------------------------------------------------------------------------------


def test_euc_kr_article_is_really_euc_kr(running: RunningSite, expected: Expected) -> None:
    item = next(a for a in expected.etoday if a.served_charset == "euc-kr")
    status, ctype, body = running.get(*target_of(item.url))
    assert status == 200 and ctype == "text/html; charset=EUC-KR"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("euc_kr")
    assert 'charset=euc-kr"' in text and item.title in text and item.body[-1] in text
    assert item.title.encode("euc_kr") in body


def test_page_declaring_euc_kr_sends_utf8(running: RunningSite, expected: Expected) -> None:
    item = next(a for a in expected.etoday if a.declared_charset == "euc-kr" and a.served_charset == "utf-8")
    _, ctype, body = running.get(*target_of(item.url))
    assert "utf-8" not in ctype.lower()
    text = body.decode("utf-8")
    assert 'charset=euc-kr"' in text and item.title in text
    assert item.title not in body.decode("euc_kr", errors="replace")


# -- feeds ----------------------------------------------------------------------------------------


def feed_items(running: RunningSite, host: str, path: str) -> list[etree._Element]:
    status, _, body = running.get(host, path)
    assert status == 200, path
    return etree.fromstring(body).findall("./channel/item")


def test_every_feed_is_rss2_with_kst_dates(running: RunningSite) -> None:
    site = build_site(TODAY)
    feeds = [(RSS, p) for p in site[RSS]] + [(KR, p) for p in site[KR] if p.startswith("/rss/")]
    assert len(feeds) >= 5 + 15
    for host, path in feeds:
        for item in feed_items(running, host, path):
            assert item.findtext("title") and item.findtext("link", "").startswith("https://")
            offset = parsedate_to_datetime(item.findtext("pubDate", "")).utcoffset()
            assert offset is not None and offset.total_seconds() == 9 * 3600


def test_sitemap_is_google_news_urlset(running: RunningSite, expected: Expected) -> None:
    _, _, body = running.get(ET, "/rss/news_sitemap")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    urls = etree.fromstring(body).findall("s:url", ns)
    assert urls
    for url in urls:
        when = url.findtext("n:news/n:publication_date", namespaces=ns) or ""
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+09:00", when)
        item = next(a for a in expected.etoday if url.findtext("s:loc", namespaces=ns) in a.listed_as)
        assert item.published.isoformat() == when


def test_korea_kr_joint_release_is_in_two_dept_feeds(running: RunningSite, expected: Expected) -> None:
    links = {p: [i.findtext("link") for i in feed_items(running, KR, p)] for p in ("/rss/dept_msit.xml",
                                                                                    "/rss/dept_mois.xml")}
    joint = [a for a in expected.korea_kr
             if all(any(a.url + "&" in (x or "") for x in v) for v in links.values())]
    assert len(joint) == 1 and set(joint[0].ministries) == {"행정안전부", "과학기술정보통신부"}


# -- list pages -----------------------------------------------------------------------------------


def korea_kr_rows(sel: Selector) -> list[tuple[str, str, str, list[str]]]:
    rows = []
    for a in sel.css('div.list_type > ul > li > a[href^="/briefing/pressReleaseView.do?newsId="]'):
        rows.append((a.attrib["href"], a.css("span.text > strong::text").get("").strip(),
                     a.css("span.lead::text").get("").strip(),
                     [s.strip() for s in a.css("span.source > span::text").getall()]))
    return rows


def test_saved_korea_kr_list_page_matches_the_same_selectors() -> None:
    saved = (CORPUS_PAGES / "korea-kr-pressReleaseList-20260107.html").read_text(encoding="utf-8")
    rows = korea_kr_rows(Selector(text=saved))
    assert len(rows) == 20
    assert all(len(r[3]) == 2 and re.fullmatch(r"\d{4}\.\d\d\.\d\d", r[3][0]) for r in rows)


def test_korea_kr_list_pages_until_empty(running: RunningSite, expected: Expected) -> None:
    seen: list[str] = []
    for n in range(1, 20):
        sel = page(running, f"https://{KR}/briefing/pressReleaseList.do?pageIndex={n}")
        assert sel.css("div.paging")
        rows = korea_kr_rows(sel)
        if not rows:
            break
        for href, title, lead, (day, ministry) in rows:
            item = expected.by_url(f"https://{KR}/briefing/pressReleaseView.do?newsId=" +
                                   re.search(r"newsId=(\d+)", href)[1])  # type: ignore[index]
            assert title == item.title and lead.endswith("···") and item.published.strftime("%Y.%m.%d") == day
            assert ministry in item.ministries
            seen.append(item.url)
    assert n > 2 and len(seen) == len(set(seen))
    assert set(seen) == {a.url for a in expected.korea_kr if a.kind == "article"}


def test_etoday_section_list_pages_until_empty(running: RunningSite, expected: Expected) -> None:
    seen = []
    for n in range(1, 20):
        items = page(running, f"https://{ET}/news/section/subsection?MID=1200&page={n}").css("li.sp_newslist")
        if not items:
            break
        for li in items:
            href = li.css("#list_W > li > a::attr(href), a::attr(href)").get("")
            item = next(a for a in expected.etoday if re.search(r"/news/view/(\d+)", href)[0] in a.url)  # type: ignore[index]
            assert li.css(".cluster_text_headline21::text").get() == item.title
            assert li.css(".cluster_text_press21::text").get() == item.published.strftime("%Y-%m-%d %H:%M")
            seen.append(item.url)
    assert n > 2 and any("utm" in u.lower() and "#" in u for a in expected.etoday for u in a.listed_as)
    assert len(seen) == len(set(seen)) and any(not expected.by_url(u).in_window(TODAY, TODAY) for u in seen)


# -- article pages --------------------------------------------------------------------------------

ETODAY_CHROME = ("이투데이", "{title}", "입력 ", "@etoday.co.kr", "URL공유", "가장작게", "{first}", "좋아요",
                 "주요뉴스", "댓글", "e스튜디오", "많이 본 뉴스", "실시간 암호화폐 시세", "오늘의 상승종목")


def decoded(running: RunningSite, url: str) -> str:
    status, ctype, body = running.get(*target_of(url))
    assert status == 200
    return body.decode("euc_kr" if "EUC-KR" in ctype else "utf-8")


def is_subsequence(wanted: tuple[str, ...], found: list[str]) -> bool:
    rest = iter(found)
    return all(any(w == f for f in rest) for w in wanted)


def test_etoday_articles_follow_sites_md(running: RunningSite, expected: Expected) -> None:
    for item in (a for a in expected.etoday if a.kind == "article"):
        html = decoded(running, item.url)
        sel = Selector(text=html)
        assert sel.css("meta[property='og:title']::attr(content)").get() == item.title
        assert sel.css("h1.main_title::text").get() == item.title
        assert sel.css("title::text").get() == f"{item.title} - 이투데이"
        published = sel.css("meta[property='article:published_time']::attr(content)").get()
        assert published == item.published.isoformat()
        info = sel.css("div.newsinfo span::text").getall()
        assert info[0] == f"입력 {item.published:%Y-%m-%d %H:%M}"
        assert info[1:] == ([f"수정 {item.modified:%Y-%m-%d %H:%M}"] if item.modified else [])
        assert f"{item.authors[0]} 기자" in html
        paragraphs = sel.css("div.articleView[itemprop=articleBody] > p").xpath("string()").getall()
        assert is_subsequence(item.body, paragraphs), item.url
        text = " ".join(sel.xpath("//body//text()[not(ancestor::script)]").getall())
        marks = [m.format(title=item.title, first=item.body[0][:20]) for m in ETODAY_CHROME]
        positions = [text.find(m) for m in marks]
        assert -1 not in positions and positions == sorted(positions), (item.url, positions)
        if "ticker" in item.extras:
            assert sel.css("div.articleView table caption::text").get() == "실시간 시세"
            assert any(p.startswith("[관련기사]") and "▶" in p for p in paragraphs)
            assert any(p.startswith("<저작권자 ⓒ 이투데이") for p in paragraphs)
        if "furniture_inside" in item.extras:
            assert sel.css("div.articleView .recommend_btn") and sel.css("div.articleView .relation_newslist")
        for url, caption in item.images:
            assert sel.css(f"div.img_box_C img[src='{url}']") and caption.startswith("▲")


def test_etoday_non_articles(running: RunningSite, expected: Expected) -> None:
    kinds = {a.kind: a for a in expected.etoday if a.kind != "article"}
    missing = page(running, kinds["not_found"].url)
    assert "기사를 찾을 수 없습니다" in missing.get() and not missing.css("h1.main_title, div.articleView")
    photo = page(running, kinds["photo"].url)
    assert photo.css("div.articleView .img_box_C") and not photo.css("div.articleView > p")


def test_korea_kr_views_follow_sites_md(running: RunningSite, expected: Expected) -> None:
    for item in (a for a in expected.korea_kr if a.kind == "article"):
        sel = page(running, item.url)
        assert sel.css("h2.page_title strong::text").get() == item.title
        assert sel.css("div.info > span:first-child::text").get() == f"{item.published:%Y.%m.%d}"
        assert sel.css('a[href*="ministryNewsList"]::text').get() in item.ministries
        assert sel.css("meta[property='og:image']::attr(content)").get() == item.images[0][0]
        files = sel.css('a[href*="/common/download.do"]::text').getall()
        assert [f.rsplit(".", 1)[1] for f in files] == ["hwpx", "pdf"]
        for box in ("div.kogl", "div.satisfy", "div.prev_next"):
            assert sel.css(box), box
        lines = sel.css("div.view_cont p::text").getall()
        if "placeholder" in item.extras:
            assert lines == [f"본 자료는 {item.ministries[0]}에서 배포한 자료입니다."]
            lines = doc_viewer_lines(running, sel)
        assert lines == [*item.subtitle.splitlines(), *item.body, "<끝>"], item.url
        assert all(s.startswith("- ") and s.endswith(" -") for s in item.subtitle.splitlines())


def doc_viewer_lines(running: RunningSite, sel: Selector) -> list[str]:
    skin = sel.css("div.docConversion iframe#content_press::attr(src)").get("")
    assert re.fullmatch(r"/docViewer/iframe_skin/doc\.html\?fn=.+&rs=/docViewer/result/[\d.]+/\d+/\d+/", skin)
    inner = page(running, f"https://{KR}{skin}").css("iframe[name=innerWrap]::attr(src)").get("")
    assert re.fullmatch(r"/docViewer/result/\d{4}\.\d\d/\d\d/(\d+)/\1\.view\.xhtml", inner)
    status, ctype, body = running.get(KR, inner)
    assert status == 200 and ctype.startswith("application/xhtml+xml")
    doc = etree.fromstring(body)
    ps = doc.findall(".//{http://www.w3.org/1999/xhtml}p")
    return [p.text or "" for p in ps if p.get("class") != "title"]


def test_korea_kr_not_found_view_is_an_error_page(running: RunningSite, expected: Expected) -> None:
    item = next(a for a in expected.korea_kr if a.kind == "not_found")
    status, _, body = running.get(*target_of(item.url))
    sel = Selector(text=body.decode())
    assert status == 200 and "찾을 수 없습니다" in sel.get() and not sel.css("h2.page_title, div.view_cont")


# -- expected records -----------------------------------------------------------------------------


def test_expected_records_cover_the_cases_the_issue_names(running: RunningSite, expected: Expected) -> None:
    et = expected.etoday
    assert sum(a.kind == "article" for a in et) >= 12 and len(expected.korea_kr) >= 10
    assert sum(a.kind == "article" and not a.ministries for a in et) >= 2
    dup = next(a for a in et if a.duplicate_of)
    original = expected.by_url(dup.duplicate_of or "")
    assert dup.body == original.body and dup.url != original.url
    assert expected.duplicate_groups("etoday") == [frozenset({dup.url, original.url})]
    assert any(len(a.listed_as) > 1 and any("utm_" in u for u in a.listed_as) for a in et)
    since, until = date(2026, 1, 6), TODAY
    assert any(a.kind == "article" and a.ministries and not a.in_window(since, until) for a in et)
    assert {a.source for a in expected.archived()} == {"etoday", "korea_kr"}
    assert all(a.archived_in(since, until) for a in expected.archived())
    for item in expected.items():
        for url in item.listed_as:
            assert running.get(*target_of(url)) == running.get(*target_of(item.url)), url


def test_listed_urls_canonicalize_to_the_expected_url(expected: Expected) -> None:
    """Cross-check with the project's one canonical-URL function: every listing form names one article."""
    from core.urls import canonical_url

    for item in expected.items():
        assert {canonical_url(u) for u in item.listed_as} == {item.url}, item.url


def test_site_is_built_relative_to_today() -> None:
    a, b = build_expected(TODAY), build_expected(date(2026, 3, 1))
    assert [x.published.time() for x in a.items()] == [x.published.time() for x in b.items()]
    assert {(x.url, (TODAY - x.published.date()).days) for x in a.items()} == {
        (x.url, (date(2026, 3, 1) - x.published.date()).days) for x in b.items()}
