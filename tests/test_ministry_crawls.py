"""End to end: `newsarchive crawl msit|mois` as a real process against the local ministry sites, then the
archive rows are compared with the releases the sites publish (newsarchive/demo/site_ministries/content.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from newsarchive.demo.site.server import RunningSite, serve
from newsarchive.demo.site_ministries import MOIS_HOST, MSIT_HOST, build_site
from newsarchive.demo.site_ministries.content import KST, MOIS, MSIT, Release, releases
from newsarchive.demo.site_ministries.pages import MOIS_BOARD, MSIT_BOARD, mois_article_path
from storage.db import transaction
from storage.models import Article, CrawlRun
from tests.crawl_helpers import newsarchive

TODAY = datetime.now(KST).date()


@pytest.fixture(scope="module")
def site() -> Iterator[RunningSite]:
    running = serve(build_site(TODAY))
    yield running
    running.stop()


def crawl(spider: str, db_url: str, site: RunningSite, since: date,
          until: date) -> subprocess.CompletedProcess[str]:
    return newsarchive("crawl", spider, "--db", db_url, *site.mirror_args(), "--since", since.isoformat(),
                       "--until", until.isoformat(), "--no-progress")


def article_url(release: Release) -> str:
    if release.site == "msit":
        return f"https://www.msit.go.kr/bbs/view.do?{MSIT_BOARD}&nttSeqNo={release.post_id}"
    return f"https://www.mois.go.kr{mois_article_path(release)}"


def attachment_urls(release: Release) -> list[dict[str, str]]:
    if release.site == "msit":
        return [{"name": name, "url": f"https://www.msit.go.kr/ssm/file/fileDown.do?atchFileNo={key}&fileOrd={n}"}
                for n, (name, key) in enumerate(release.files, start=1)]
    return [{"name": name, "url": f"https://www.mois.go.kr/cmm/fms/FileDown.do?atchFileId={key}&fileSn={n}"}
            for n, (name, key) in enumerate(release.files)]


@pytest.mark.parametrize(("spider", "ministry", "host"),
                         [("msit", MSIT, MSIT_HOST), ("mois", MOIS, MOIS_HOST)])
def test_crawl_archives_the_window(spider: str, ministry: str, host: str, db_url: str,
                                   site: RunningSite) -> None:
    since = TODAY - timedelta(days=1)
    site.clear_hits()
    result = crawl(spider, db_url, site, since, TODAY)
    assert result.returncode == 0, result.stderr[-3000:]

    wanted = [r for r in releases(spider) if r.days_ago <= 1]
    with transaction(db_url) as session:
        stored = session.scalars(select(Article).where(Article.source == spider))
        rows = {row.canonical_url: row for row in stored}
        run = session.scalars(select(CrawlRun).where(CrawlRun.spider == spider)).one()
        assert run.status == "finished"
        assert sorted(rows) == sorted(article_url(r) for r in wanted)
        for release in wanted:
            row = rows[article_url(release)]
            assert row.title == release.title
            assert row.published_at == release.published(TODAY)
            assert row.ministries == [ministry]
            assert row.attachments == attachment_urls(release)
            assert row.body.startswith("□ " + release.paragraphs[0])
            assert row.body.endswith(release.paragraphs[-1])
            for furniture in ("만족", "공공누리", "이전글", "담당 부서", "바로보기", "Copyright"):
                assert furniture not in row.body

    old = [r for r in releases(spider) if r.days_ago > 1]
    fetched = [urlsplit(t).query for t in site.hits_for(host)]
    for release in old:  # listed, but outside the window: never downloaded
        assert not any(str(release.post_id) in q for q in fetched), release.post_id
    if spider == "msit":  # page 2 reaches older rows, so paging stops there
        pages = [t for t in site.hits_for(host, "/bbs/list.do")]
        assert [p.rsplit("pageIndex=", 1)[1] for p in pages] == ["1", "2"]
    else:  # the feed and the list name the same releases: each fetched once
        views = site.hits_for(host, "/frt/bbs/type010/commonSelectBoardArticle.do")
        assert len(views) == len(wanted)
        assert MOIS_BOARD in views[0]


def test_second_crawl_skips_archived_pages(sqlite_url: str, site: RunningSite) -> None:
    since = TODAY - timedelta(days=1)
    first = crawl("msit", sqlite_url, site, since, TODAY)
    assert first.returncode == 0, first.stderr[-3000:]
    site.clear_hits()
    second = crawl("msit", sqlite_url, site, since, TODAY)
    assert second.returncode == 0, second.stderr[-3000:]
    assert site.hits_for(MSIT_HOST, "/bbs/view.do") == []
    with transaction(sqlite_url) as session:
        assert len(list(session.scalars(select(Article)))) == 3
