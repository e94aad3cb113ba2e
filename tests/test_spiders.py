"""Every registered site (sites/*.py, and the user's site files) must ship saved pages with expected
output in its fixture folder (`Site.fixtures`, tests/spiders/<name>/ by default):

- at least one article page `<stem>.html` with `<stem>.expected.json`: extraction must give that title,
  subtitle, authors, date, ministries and attachments, a body with that start and end, and none of the
  furniture strings;
- one saved listing `listing.<ext>` (feed, sitemap or list page) with `listing.expected.json`: the spider's
  own parse method, run on the saved bytes, must request exactly those article URLs.

A site without them fails here, by design: see "Add a spider in five steps" in README.md."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.process import spider_class, spider_names
from crawler.spiders.base import ArchiveSpider, ListSource
from pipelines.extract import extract
from sites.registry import all_sites, fixtures_dir, site_named

SITES = [site.name for site in all_sites()]
ARTICLE_KEYS = {"url", "title", "subtitle", "authors", "published_at", "ministries", "attachments", "body_start",
                "body_end", "must_not_contain"}


def _fixture_dir(name: str) -> Path:
    site = site_named(name)
    assert site is not None
    folder = fixtures_dir(site)
    if not folder.is_dir():
        pytest.fail(f"site {name!r} has no fixture folder {folder} (see 'Add a spider in five steps' in README.md)")
    return folder


def test_every_registered_site_is_a_scrapy_spider() -> None:
    assert spider_names() == SITES
    for name in SITES:
        assert getattr(spider_class(name), "site", None) is site_named(name)


def _article_cases(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.expected.json") if p.name != "listing.expected.json")


def _listing_file(folder: Path) -> Path:
    saved = [p for p in folder.glob("listing.*") if not p.name.endswith(".json")]
    if len(saved) != 1:
        pytest.fail(f"{folder}: expected one saved listing (listing.xml or listing.html), found {saved}")
    return saved[0]


def _spider(cls: type[ArchiveSpider], **kwargs: Any) -> ArchiveSpider:
    crawler = get_crawler(cls)
    crawler._apply_settings()
    spider: ArchiveSpider = cls.from_crawler(crawler, **kwargs)
    crawler.spider = spider
    return spider


def _list_source(spider: ArchiveSpider, url: str) -> tuple[ListSource, int] | None:
    for source in spider.list_sources:
        for page in range(source.first_page, source.first_page + 50):
            if source.template.format(page=page) == url:
                return source, page
    return None


def discover(spider: ArchiveSpider, url: str, body: bytes) -> list[scrapy.Request]:
    """Run the spider's own callback for the source `url` on the saved bytes; the article requests."""
    produced: Iterator[scrapy.Request]
    if url in spider.sitemaps or url in spider.feeds:
        xml = XmlResponse(url=url, body=body)
        produced = spider.parse_sitemap(xml) if url in spider.sitemaps else spider.parse_feed(xml)
    else:
        found = _list_source(spider, url)
        if found is None:
            pytest.fail(f"{url} is not one of {spider.name}'s sources (feeds, sitemaps, list_sources)")
        source, page = found
        response = HtmlResponse(url=url, body=body, encoding="utf-8")
        produced = spider.parse_list(response, source=source, page=page)
    return [r for r in produced if r.callback == spider.parse_article]


@pytest.mark.parametrize("name", SITES)
def test_spider_discovers_its_saved_listing(name: str) -> None:
    folder = _fixture_dir(name)
    saved = _listing_file(folder)
    expected_file = folder / "listing.expected.json"
    if not expected_file.exists():
        pytest.fail(f"{expected_file} is missing")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    spider = _spider(spider_class(name), since=expected["since"], until=expected["until"],
                     **expected.get("arguments", {}))
    requests = discover(spider, expected["url"], saved.read_bytes())
    assert [r.url for r in requests] == [a["url"] for a in expected["articles"]]
    for request, article in zip(requests, expected["articles"], strict=True):
        assert request.meta["entry"].ministries == article["ministries"], request.url


@pytest.mark.parametrize("name", SITES)
def test_spider_extracts_its_saved_articles(name: str) -> None:
    folder = _fixture_dir(name)
    cases = _article_cases(folder)
    if not cases:
        pytest.fail(f"{folder} has no saved article page with <stem>.expected.json")
    for case in cases:
        expected = json.loads(case.read_text(encoding="utf-8"))
        missing = ARTICLE_KEYS - set(expected)
        assert not missing, f"{case.name} lacks {sorted(missing)}"
        page = case.with_name(case.name.removesuffix(".expected.json") + ".html")
        article = extract(page.read_bytes(), expected["url"], source=name)
        assert article.title == expected["title"], case.name
        assert article.subtitle == expected["subtitle"], case.name
        assert article.authors == expected["authors"], case.name
        published = article.published_at.isoformat() if article.published_at else None
        assert published == expected["published_at"], case.name
        assert article.ministries == expected["ministries"], case.name
        attachments = [{"name": a.name, "url": a.url} for a in article.attachments]
        assert attachments == expected["attachments"], case.name
        assert article.body.startswith(expected["body_start"]), (case.name, article.body[:200])
        assert article.body.endswith(expected["body_end"]), (case.name, article.body[-200:])
        for text in expected["must_not_contain"]:
            assert text not in article.body, (case.name, text)
