"""Never lose, never lie (issue 15), the extraction and pipeline side: crawls through the real CLI of the
local test site with faults put in its pages. A page that came incomplete (a document viewer that failed,
an empty or truncated response) is neither stored nor written off: it is recorded as a temporary failure
and the next crawl fetches it again; every row a worker writes carries its run; a duplicate names the
article it repeats."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from newsarchive.demo.site import Resource, Site, build_site
from newsarchive.demo.site.content_korea_kr import RELEASES, Release
from newsarchive.demo.site.korea_kr import HOST
from newsarchive.demo.site.korea_kr_view import BASE, skin_path, view_path, xhtml_path
from newsarchive.demo.site.server import RunningSite, serve
from storage.db import transaction
from storage.models import Article, CrawlRun, Duplicate, RejectedPage
from tests.crawl_helpers import FAST, kst_today, newsarchive

# No waiting between retries of a failing page: the faults here are in the pages, not in the timing.
QUICK = [*FAST, "--set", "NEWSARCHIVE_RETRY_BACKOFF_BASE=0"]
VIEWER_RELEASE = next(r for r in RELEASES if r.placeholder)  # its text is only in the document viewer
# in the msit feed and the default window, text on the page itself: the victims of the empty and truncated pages
PLAIN = [r for r in RELEASES if r.kind == "article" and "msit" in (r.dept, *r.also_in) and r.days_ago <= 1
         and not r.placeholder]


@pytest.fixture(scope="module")
def today():  # noqa: ANN201
    return kst_today()


@pytest.fixture
def running(today) -> Iterator[RunningSite]:  # noqa: ANN001
    with serve(build_site(today)) as site:
        yield site


def crawl_msit(db_url: str, site: RunningSite) -> str:
    """A korea.kr crawl of the ministry whose releases the faults hit (fewer pages than all of them)."""
    result = newsarchive("crawl", "korea_kr", "--arg", "ministries=msit", "--db", db_url, *site.mirror_args(),
                         *QUICK, check=True)
    return result.stderr


def url_of(release: Release) -> str:
    return BASE + view_path(release)


def stored(db_url: str, url: str) -> Article | None:
    with transaction(db_url) as session:
        return session.scalar(select(Article).where(Article.canonical_url == url))


def rejections(db_url: str, url: str) -> list[RejectedPage]:
    with transaction(db_url) as session:
        return list(session.scalars(select(RejectedPage).where(RejectedPage.url == url).order_by(RejectedPage.id)))


def last_run(db_url: str) -> CrawlRun:
    with transaction(db_url) as session:
        run = session.scalar(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1))
        assert run is not None
        return run


def _viewer_answers_500(site: Site, today) -> None:  # noqa: ANN001
    site[HOST][skin_path(VIEWER_RELEASE, today)] = Resource(b"<html><body>Internal Server Error</body></html>",
                                                            "text/html", status=500)


def _inner_document_404(site: Site, today) -> None:  # noqa: ANN001
    del site[HOST][xhtml_path(VIEWER_RELEASE, today)]  # the server answers its 404 page


def _inner_document_empty(site: Site, today) -> None:  # noqa: ANN001
    site[HOST][xhtml_path(VIEWER_RELEASE, today)] = Resource(
        b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body></body></html>',
        "application/xhtml+xml;charset=UTF-8")


@pytest.mark.parametrize("fault", [_viewer_answers_500, _inner_document_404, _inner_document_empty],
                         ids=["viewer 500", "inner document 404", "inner document empty"])
def test_a_failed_document_viewer_is_a_temporary_failure_not_an_article(
        sqlite_url: str, today, fault: Callable[[Site, object], None]) -> None:  # noqa: ANN001
    site = build_site(today)
    fault(site, today)
    url = url_of(VIEWER_RELEASE)
    with serve(site) as running:
        crawl_msit(sqlite_url, running)
        assert stored(sqlite_url, url) is None, "the placeholder must not be stored as the article"
        run = last_run(sqlite_url)
        [rejected] = rejections(sqlite_url, url)
        assert rejected.reason.startswith("frame failed"), rejected.reason
        assert not rejected.permanent and rejected.run_id == run.id
        assert run.failed >= 1 and any(reason.startswith("frame failed") for reason in run.reasons)

        running.replace(build_site(today))  # the viewer works again
        running.clear_hits()
        crawl_msit(sqlite_url, running)
        assert view_path(VIEWER_RELEASE) in running.hits_for(HOST), "the next crawl fetches the page again"
    article = stored(sqlite_url, url)
    assert article is not None
    assert VIEWER_RELEASE.paragraphs[0][2:30] in article.body and "배포한 자료입니다" not in article.body


def test_empty_and_truncated_pages_are_fetched_again_and_stored_once_whole(db_url: str, today) -> None:  # noqa: ANN001
    empty, truncated = PLAIN[:2]
    site = build_site(today)
    whole = site[HOST][view_path(truncated)]
    site[HOST][view_path(empty)] = Resource(b"", whole.content_type)
    cut = whole.body.index(b'<div class="view_cont">') + len(b'<div class="view_cont">') + 40  # mid-paragraph
    site[HOST][view_path(truncated)] = Resource(whole.body[:cut], whole.content_type)
    with serve(site) as running:
        crawl_msit(db_url, running)
        for release, reason in ((empty, "not an article: empty page"), (truncated, "not an article: no body")):
            assert stored(db_url, url_of(release)) is None
            [rejected] = rejections(db_url, url_of(release))
            assert (rejected.reason, rejected.permanent) == (reason, False)

        running.replace(build_site(today))
        running.clear_hits()
        crawl_msit(db_url, running)
        fetched = running.hits_for(HOST, "/briefing/pressReleaseView.do")
    assert sorted(fetched) == sorted([view_path(empty), view_path(truncated)]), "only the two are fetched again"
    for release in (empty, truncated):
        article = stored(db_url, url_of(release))
        assert article is not None and release.paragraphs[-1][2:30] in article.body


def test_rows_written_by_the_workers_carry_their_run_and_duplicates_name_their_original(
        db_url: str, running: RunningSite) -> None:
    newsarchive("crawl", "etoday", "--db", db_url, *running.mirror_args(), *QUICK, check=True)
    with transaction(db_url) as session:
        [run_id] = session.scalars(select(CrawlRun.id))
        articles = list(session.scalars(select(Article)))
        duplicates = list(session.scalars(select(Duplicate)))
        rejected = {row.url: row for row in session.scalars(select(RejectedPage))}
        originals = {row.id: row.canonical_url for row in articles}
    assert articles and duplicates and rejected, "the local site has articles, duplicates and rejected pages"
    assert {row.run_id for row in articles} == {run_id}
    assert {row.run_id for row in duplicates} == {run_id}
    assert {row.run_id for row in rejected.values()} == {run_id}
    for duplicate in duplicates:
        original = f"article {duplicate.article_id} {originals[duplicate.article_id]}"
        assert rejected[duplicate.canonical_url].reason == f"duplicate of an archived article: {original}"
        assert duplicate.canonical_url != originals[duplicate.article_id]
