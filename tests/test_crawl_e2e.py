"""End to end: the real CLI crawls the local copies of etoday.co.kr and korea.kr through --mirror."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from core.timewindow import KST
from newsarchive.demo.site import FURNITURE_MARKERS, Expected, build_expected, build_site
from newsarchive.demo.site.server import RunningSite, serve
from storage.db import transaction
from storage.models import Article, CrawlRun, Duplicate
from tests.crawl_helpers import FAST, kst_today, newsarchive


@pytest.fixture(scope="module")
def today():  # noqa: ANN201
    return kst_today()


@pytest.fixture
def site(today) -> Iterator[RunningSite]:  # noqa: ANN001
    with serve(build_site(today)) as running:
        yield running


@pytest.fixture
def expected(today) -> Expected:  # noqa: ANN001
    return build_expected(today)


def crawl(spider: str, db_url: str, site: RunningSite, *extra: str) -> str:
    result = newsarchive("crawl", spider, "--db", db_url, *site.mirror_args(), *FAST, *extra, check=True)
    return result.stderr


def article_pages(site: RunningSite) -> list[str]:
    return [path for _, path in site.hits if "/news/view/" in path or "pressReleaseView.do" in path]


@pytest.mark.parametrize("spider", ["etoday", "korea_kr"])
def test_crawl_archives_each_ministry_article_once_then_fetches_listings_only(
        spider: str, db_url: str, site: RunningSite, expected: Expected) -> None:
    summary = crawl(spider, db_url, site)
    assert "finished" in summary

    wanted = {a.url: a for a in expected.archived(spider)}
    with transaction(db_url) as session:
        rows = {row.canonical_url: row for row in session.scalars(select(Article))}
        dup_urls = set(session.scalars(select(Duplicate.canonical_url)))
    # Same-body groups: whichever copy came first is stored, the other is recorded as its duplicate.
    groups = {a.url: a.duplicate_of for a in expected.duplicates(spider)}
    for copy, original in groups.items():
        if copy in rows and original in wanted:
            wanted.pop(original)
            wanted[copy] = expected.by_url(copy)
            assert original in dup_urls
    assert set(rows) == set(wanted), "archive holds exactly the in-window ministry articles, once each"

    for url, row in rows.items():
        truth = wanted[url]
        assert row.title == truth.title
        assert row.published_at is not None
        assert row.published_at.astimezone(KST) == truth.published.astimezone(KST), url
        assert set(truth.ministries) <= set(row.ministries), url
        assert truth.body[0][:20] in row.body and truth.body[-1][-20:] in row.body, url
        leaked = [m for m in FURNITURE_MARKERS if m in row.body]
        assert not leaked, f"furniture in {url}: {leaked}"

    site.clear_hits()
    crawl(spider, db_url, site)
    assert article_pages(site) == [], "a second crawl of an unchanged site fetches listings only"
    with transaction(db_url) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == len(rows)
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
        assert [r.status for r in runs] == ["finished", "finished"]
        assert runs[0].stored == len(rows) and runs[1].stored == 0 and runs[1].fetched == 0
        assert runs[1].skipped >= len(rows)


def test_etoday_duplicates_non_ministry_and_encodings(sqlite_url: str, site: RunningSite,
                                                      expected: Expected) -> None:
    crawl("etoday", sqlite_url, site)
    with transaction(sqlite_url) as session:
        stored = set(session.scalars(select(Article.canonical_url)))
        duplicates = list(session.scalars(select(Duplicate)))
        run = session.scalars(select(CrawlRun)).one()
    items = expected.items("etoday")
    assert not any(a.url in stored for a in items if not a.ministries), "non-ministry articles are not kept"
    assert any(a.served_charset.lower() in ("euc-kr", "cp949") and a.url in stored for a in items)
    assert len(duplicates) == len([a for a in expected.duplicates("etoday")
                                   if a.in_window(*_window(expected))])
    assert run.reasons.get("no ministry named", 0) >= 1


def _window(expected: Expected) -> tuple:  # type: ignore[type-arg]
    from newsarchive.demo.site import default_window

    return default_window(expected.today)


def test_since_until_bound_what_is_archived(sqlite_url: str, site: RunningSite, expected: Expected) -> None:
    from datetime import timedelta

    day = expected.today - timedelta(days=3)
    crawl("korea_kr", sqlite_url, site, "--since", day.isoformat(), "--until", day.isoformat())
    with transaction(sqlite_url) as session:
        stored = set(session.scalars(select(Article.canonical_url)))
    assert stored == {a.url for a in expected.archived("korea_kr", since=day, until=day)}


def test_export_jsonl_has_the_fields_and_kst_dates(sqlite_url: str, site: RunningSite) -> None:
    crawl("korea_kr", sqlite_url, site)
    out = newsarchive("export", "--db", sqlite_url, "--format", "jsonl", check=True).stdout
    records = [json.loads(line) for line in out.splitlines()]
    assert records
    for record in records:
        assert {"url", "canonical_url", "source", "title", "subtitle", "body", "published_at", "modified_at",
                "authors", "section", "images", "language", "ministries", "fetched_at",
                "content_hash"} <= set(record)
        assert record["published_at"].endswith("+09:00") and record["source"] == "korea_kr"
    csv_out = newsarchive("export", "--db", sqlite_url, "--format", "csv", "--source", "korea_kr", check=True)
    assert csv_out.stdout.splitlines()[0].startswith("\ufeffid,url,canonical_url,source,title")
    assert len(csv_out.stdout.splitlines()) > len(records)  # header + rows (bodies span lines)


def test_rejected_pages_are_not_fetched_again_unless_asked(sqlite_url: str, site: RunningSite,
                                                          expected: Expected) -> None:
    crawl("etoday", sqlite_url, site)
    since, until = _window(expected)
    rejected = {a.url for a in expected.items("etoday")
                if a.in_window(since, until) and (a.kind != "article" or not a.ministries)}
    assert rejected, "the local site has in-window pages that are not kept"
    site.clear_hits()
    crawl("etoday", sqlite_url, site)
    assert article_pages(site) == []
    site.clear_hits()
    crawl("etoday", sqlite_url, site, "--retry-rejected")
    assert {"https://www.etoday.co.kr" + path for path in article_pages(site)} == rejected


@pytest.mark.parametrize("word", ["재난", "교류", "디지털정부"])
def test_search_finds_every_crawled_article_containing_the_word(db_url: str, site: RunningSite,
                                                                 expected: Expected, word: str) -> None:
    for spider in ("etoday", "korea_kr"):
        crawl(spider, db_url, site)
    with transaction(db_url) as session:
        containing = {row.id for row in session.scalars(select(Article))
                      if word in row.title or word in row.body or word in row.subtitle}
        mois = {row.id for row in session.scalars(select(Article)) if "행정안전부" in row.ministries}
    assert containing, f"the local site has articles with {word}"
    hits = json.loads(newsarchive("search", word, "--json", "--limit", "100", "--db", db_url, check=True).stdout)
    assert {h["id"] for h in hits} == containing
    filtered = json.loads(newsarchive("search", word, "--ministry", "행안부", "--json", "--limit", "100",
                                      "--db", db_url, check=True).stdout)
    assert {h["id"] for h in filtered} == containing & mois
    for hit in hits:
        assert f"[{word}]" in hit["snippet"] or word in hit["title"]
