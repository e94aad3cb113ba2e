"""Broken listings and pages, read by the pure functions a crawl uses (the crawls themselves are in
test_fetch_faults.py)."""

from __future__ import annotations

from datetime import date

from crawler.listings import parse_sitemap
from newsarchive.demo.site.etoday import WWW, build_etoday
from pipelines.extract import extract
from tests.faults.pages import BY_KIND, FAULTS, fault_page, fault_story, sitemap

TODAY = date(2026, 12, 3)


def test_a_sitemap_with_an_unclosed_element_keeps_every_url() -> None:
    original = build_etoday(TODAY)[WWW]["/rss/news_sitemap"].body
    broken = sitemap(original, TODAY, FAULTS, faults_on=True)
    assert b"<news:title><b>" in broken
    entries, _ = parse_sitemap(broken, "https://www.etoday.co.kr/rss/news_sitemap")
    assert len(entries) == broken.count(b"<loc>") == len(parse_sitemap(original, "https://x/")[0]) + len(FAULTS) + 2
    assert all(entry.listed_at is not None for entry in entries)


def test_a_page_with_a_10_mb_inline_image_keeps_its_text() -> None:
    fault = BY_KIND["data_uri_10mb"]
    page = fault_page(fault, TODAY, faults_on=True)
    assert len(page.body) > 10_000_000
    article = extract(page.body, f"https://www.etoday.co.kr/news/view/{fault.id}", source="etoday")
    story = fault_story(fault)
    assert article.title == story.title
    assert story.paragraphs[0][:30] in article.body and story.paragraphs[-1][-30:] in article.body
