"""Real crawls (the CLI, Scrapy, the workers, the database) of the hostile site: every fault is accounted
for under the URL it was listed as, nothing leaves the mirrors, nothing is stored twice, and a crawl after
the faults clear completes the archive without fetching a stored page again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import migrated_archive
from tests.crawl_helpers import kst_today
from tests.faults.crawls import Archive, crawl, reconcile
from tests.faults.hostile import HostileSite
from tests.faults.pages import BY_KIND, MOBILE, UNMIRRORED, article_url

WWW = "www.etoday.co.kr"


@dataclass
class TwoCrawls:
    site: HostileSite
    db_url: str
    first: Archive  # after the crawl with every fault on
    second: Archive  # after the next crawl, the network faults cleared
    first_hits: list[str]  # www paths requested by each crawl
    second_hits: list[str]
    leaks: list[str]  # requests that reached the trap proxy, in both crawls
    mobile_hits: list[str]  # requests the mirror of m.etoday.co.kr got in the first crawl


def crawl_twice(backend: str, directory: Path) -> Iterator[TwoCrawls]:
    with migrated_archive(backend, directory) as db_url, HostileSite(kst_today()) as site:
        crawl(site, db_url)
        first, first_hits = Archive.read(db_url), site.hits_for(WWW, "/news/view/")
        leaks, mobile_hits = site.leaks, site.hits_for(MOBILE)
        site.clear_hits()
        site.clear_faults()
        crawl(site, db_url)
        yield TwoCrawls(site, db_url, first, Archive.read(db_url), first_hits, site.hits_for(WWW, "/news/view/"),
                        leaks + site.leaks, mobile_hits)


SHARED = pytest.mark.xdist_group("fetch_faults")
"""On the tests that read the module's two crawls: one pytest-xdist worker crawls them, not every worker."""


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoCrawls]:
    yield from crawl_twice("sqlite", tmp_path_factory.mktemp("faults"))


def url(kind: str) -> str:
    return article_url(BY_KIND[kind].id)


def fetches(hits: list[str], kind: str) -> int:
    path = f"/news/view/{BY_KIND[kind].id}"
    return len([hit for hit in hits if hit == path or hit.startswith(path + "?")])


def check_reconciled(crawls: TwoCrawls) -> None:
    listed = crawls.site.listed()
    first_run, second_run = crawls.first.runs[0].id, crawls.second.runs[1].id
    after_faults = reconcile(listed, crawls.first, first_run)
    assert after_faults.lost == [] and after_faults.doubled == [], after_faults
    assert after_faults.stored + after_faults.recorded == after_faults.listed
    assert after_faults.recorded >= 10, "the faults were served"

    after_clearing = reconcile(listed, crawls.second, second_run)
    assert after_clearing.doubled == [], after_clearing
    not_stored = {u for u in listed if not crawls.second.kept(u)}
    # What is still not kept is a page that is not a ministry article (or too large) whatever the network does.
    for page in not_stored:
        reasons = crawls.second.reasons(page)
        assert reasons, f"{page} was neither stored nor recorded"
        assert any(r.startswith(("not an article", "no ministry", "too large", "duplicate of")) for r in reasons), \
            (page, reasons)
    for kind in ("always_503", "always_500", "not_found_404", "retry_after_long", "hang", "truncated", "reset",
                 "gzip_bomb", "redirect_loop", "redirect_unmirrored", "redirect_ftp", "redirect_js"):
        assert crawls.second.kept(url(kind)), f"{kind}: stored once the fault cleared"
    stored_before = {path for path in crawls.first_hits
                     if article_url(int(path.split("/")[3].split("?")[0])) in crawls.first.articles}
    assert not stored_before & set(crawls.second_hits), "the second crawl fetched no page stored by the first"


@SHARED
def test_a_faulty_crawl_loses_nothing_and_the_next_stores_the_rest(crawls: TwoCrawls) -> None:
    check_reconciled(crawls)


@pytest.mark.postgres
def test_the_same_on_postgresql(tmp_path: Path) -> None:
    for two in crawl_twice("postgresql", tmp_path):
        check_reconciled(two)


@SHARED
def test_no_request_leaves_the_mirrors(crawls: TwoCrawls) -> None:
    """A 301 to the real mobile host goes to its mirror; a redirect to a host without one is refused."""
    assert crawls.leaks == [], "requests reached a real host (the trap proxy)"
    assert crawls.mobile_hits, "the redirect to m.etoday.co.kr reached its mirror"
    assert crawls.first.kept(url("redirect_mobile"))
    assert crawls.first.reasons(url("redirect_unmirrored")) == [f"refused: no mirror for {UNMIRRORED}"]


@SHARED
def test_size_caps_and_huge_inline_images(crawls: TwoCrawls) -> None:
    assert crawls.first.reasons(url("gzip_bomb")) == ["too large"], "200 MiB once decompressed"
    assert crawls.first.reasons(url("page_50mb")) == ["too large"]
    assert crawls.first.kept(url("data_uri_10mb")), "a 10 MB inline image does not cost the page its text"


@SHARED
def test_fetch_failures_are_recorded_under_the_listed_url_with_what_happened(crawls: TwoCrawls) -> None:
    first = crawls.first
    assert first.reasons(url("redirect_loop")) == ["too many redirects"]
    assert first.reasons(url("always_503")) == ["http_503"]
    assert first.reasons(url("retry_after_long")) == ["http_429"]
    assert first.reasons(url("hang")) == ["fetch: DownloadTimeoutError"]
    assert "forbidden by robots.txt" not in first.runs[0].reasons
    assert all(u.startswith("https://www.etoday.co.kr/news/view/") for _, u, _ in first.rejected), \
        "no failure is recorded under a mirror's or a redirect's URL"


@SHARED
def test_a_url_redirecting_to_another_article_is_not_downloaded_again(crawls: TwoCrawls) -> None:
    alias, target = url("redirect_to_article"), url("plain")
    assert crawls.first.duplicates.get(alias) is not None and target in crawls.first.articles
    assert fetches(crawls.second_hits, "redirect_to_article") == 0


@SHARED
def test_retry_after_is_honoured(crawls: TwoCrawls) -> None:
    assert fetches(crawls.first_hits, "retry_after_long") == 1, "Retry-After: 3600 is not retried within the crawl"
    assert fetches(crawls.first_hits, "retry_after_short") == 2 and crawls.first.kept(url("retry_after_short"))
    assert crawls.first.kept(url("flaky_503")), "503 twice, then the page"
