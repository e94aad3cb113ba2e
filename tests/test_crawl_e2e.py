"""End to end: the real CLI crawls the local copies of etoday.co.kr and korea.kr through --mirror.

The crawls are the expensive part, and most tests only read what they left: one archive per backend is
crawled once per session (etoday, then korea_kr, then each again, then etoday with --retry-rejected), what
each crawl requested from the site is kept, and the tests check their facts against that archive. Only
a crawl with other options (a --since/--until window) has an archive of its own."""

from __future__ import annotations

import fcntl
import json
from dataclasses import asdict, dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from core.timewindow import KST
from newsarchive.demo.site import FURNITURE_MARKERS, Expected, build_expected, build_site
from newsarchive.demo.site.server import RunningSite, serve
from storage.db import migrate, transaction
from storage.models import Article, CrawlRun, Duplicate
from tests.conftest import create_pg_database, drop_at_session_end, shared_temp_root
from tests.crawl_helpers import FAST, kst_today, newsarchive

SPIDERS = ("etoday", "korea_kr")


def crawl(spider: str, db_url: str, site: RunningSite, *extra: str) -> str:
    result = newsarchive("crawl", spider, "--db", db_url, *site.mirror_args(), *FAST, *extra, check=True)
    return result.stderr


def article_pages(site: RunningSite) -> list[str]:
    return [path for _, path in site.hits if "/news/view/" in path or "pressReleaseView.do" in path]


@dataclass(frozen=True)
class Crawled:
    """An archive after the crawls, and what each crawl asked the site for."""

    db_url: str
    today: str
    first_summary: dict[str, str]
    """Each spider's first crawl: its summary (stderr)."""
    second_article_pages: dict[str, list[str]]
    """Each spider's second crawl of the unchanged site: the article pages it requested."""
    retried_article_pages: list[str]
    """etoday's third crawl, with --retry-rejected: the article pages it requested."""

    @property
    def expected(self) -> Expected:
        return build_expected(date.fromisoformat(self.today))


def _crawl_archive(db_url: str) -> Crawled:
    today = kst_today()
    with serve(build_site(today)) as site:
        first = {spider: crawl(spider, db_url, site) for spider in SPIDERS}
        second = {}
        for spider in SPIDERS:
            site.clear_hits()
            crawl(spider, db_url, site)
            second[spider] = article_pages(site)
        site.clear_hits()
        crawl("etoday", db_url, site, "--retry-rejected")
        return Crawled(db_url, today.isoformat(), first, second, article_pages(site))


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def crawled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    """Crawled once per backend and session: pytest-xdist's workers share it (the first to need it crawls,
    the others wait on a lock), as they share the demo archive. The PostgreSQL database is dropped when
    the session ends (tests/conftest.py: drop_at_session_end)."""
    root = shared_temp_root(tmp_path_factory)
    record = root / f"crawled-{request.param}.json"
    with open(root / f"crawled-{request.param}.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            if request.param == "sqlite":
                db_url = f"sqlite:///{root / 'crawled.db'}"
            else:
                db_url = create_pg_database()
                drop_at_session_end(tmp_path_factory, db_url)
            migrate(db_url)
            record.write_text(json.dumps(asdict(_crawl_archive(db_url))), encoding="utf-8")
    return Crawled(**json.loads(record.read_text(encoding="utf-8")))


def _runs(db_url: str, spider: str) -> list[CrawlRun]:
    with transaction(db_url) as session:
        return list(session.scalars(select(CrawlRun).where(CrawlRun.spider == spider).order_by(CrawlRun.id)))


@pytest.mark.parametrize("spider", SPIDERS)
def test_crawl_archives_each_ministry_article_once_then_fetches_listings_only(
        spider: str, crawled: Crawled) -> None:
    db_url, expected = crawled.db_url, crawled.expected
    assert "finished" in crawled.first_summary[spider]

    wanted = {a.url: a for a in expected.archived(spider)}
    with transaction(db_url) as session:
        rows = {row.canonical_url: row for row in session.scalars(select(Article).where(Article.source == spider))}
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

    assert crawled.second_article_pages[spider] == [], "a second crawl of an unchanged site fetches listings only"
    with transaction(db_url) as session:
        assert session.scalar(select(func.count()).select_from(Article).where(Article.source == spider)) == len(rows)
    runs = _runs(db_url, spider)[:2]  # the first and second crawls (etoday has a third, --retry-rejected)
    assert [r.status for r in runs] == ["finished", "finished"]
    assert runs[0].stored == len(rows) and runs[1].stored == 0 and runs[1].fetched == 0
    assert runs[1].skipped >= len(rows)


def test_etoday_duplicates_non_ministry_and_encodings(crawled: Crawled) -> None:
    expected = crawled.expected
    with transaction(crawled.db_url) as session:
        stored = set(session.scalars(select(Article.canonical_url)))
        duplicates = list(session.scalars(select(Duplicate).where(Duplicate.source == "etoday")))
    run = _runs(crawled.db_url, "etoday")[0]
    items = expected.items("etoday")
    assert not any(a.url in stored for a in items if not a.ministries), "non-ministry articles are not kept"
    assert any(a.served_charset.lower() in ("euc-kr", "cp949") and a.url in stored for a in items)
    assert len(duplicates) == len([a for a in expected.duplicates("etoday")
                                   if a.in_window(*_window(expected))])
    assert run.reasons.get("no ministry named", 0) >= 1


def _window(expected: Expected) -> tuple:  # type: ignore[type-arg]
    from newsarchive.demo.site import default_window

    return default_window(expected.today)


def test_since_until_bound_what_is_archived(sqlite_url: str) -> None:
    from datetime import timedelta

    today = kst_today()
    expected = build_expected(today)
    day = expected.today - timedelta(days=3)
    with serve(build_site(today)) as site:
        crawl("korea_kr", sqlite_url, site, "--since", day.isoformat(), "--until", day.isoformat())
    with transaction(sqlite_url) as session:
        stored = set(session.scalars(select(Article.canonical_url)))
    assert stored == {a.url for a in expected.archived("korea_kr", since=day, until=day)}


def test_export_jsonl_has_the_fields_and_kst_dates(crawled: Crawled) -> None:
    db_url = crawled.db_url
    out = newsarchive("export", "--db", db_url, "--format", "jsonl", "--source", "korea_kr", check=True).stdout
    records = [json.loads(line) for line in out.splitlines()]
    assert records
    for record in records:
        assert {"url", "canonical_url", "source", "title", "subtitle", "body", "published_at", "modified_at",
                "authors", "section", "images", "language", "ministries", "fetched_at",
                "content_hash"} <= set(record)
        assert record["published_at"].endswith("+09:00") and record["source"] == "korea_kr"
    csv_out = newsarchive("export", "--db", db_url, "--format", "csv", "--source", "korea_kr", check=True)
    assert csv_out.stdout.splitlines()[0].startswith("\ufeffid,url,canonical_url,source,title")
    assert len(csv_out.stdout.splitlines()) > len(records)  # header + rows (bodies span lines)


def test_rejected_pages_are_not_fetched_again_unless_asked(crawled: Crawled) -> None:
    expected = crawled.expected
    since, until = _window(expected)
    rejected = {a.url for a in expected.items("etoday")
                if a.in_window(since, until) and (a.kind != "article" or not a.ministries)}
    assert rejected, "the local site has in-window pages that are not kept"
    assert crawled.second_article_pages["etoday"] == []
    assert {"https://www.etoday.co.kr" + path for path in crawled.retried_article_pages} == rejected


@pytest.mark.parametrize("word", ["재난", "교류", "디지털정부"])
def test_search_finds_every_crawled_article_containing_the_word(crawled: Crawled, word: str) -> None:
    db_url = crawled.db_url
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
