"""The web explorer in a real browser (Playwright driving Debian's Chromium, no browser download), as a
person uses it: type a query, filter, page, open an article, follow its story cluster, see the chart.

Chromium comes from `apt-get install chromium` (.ci/run installs it). Without it these tests fail in CI
($CI set) and are skipped elsewhere. With $NEWSARCHIVE_SCREENSHOTS=DIR they also save the README's
screenshots there."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from storage import repository as repo
from storage.db import get_engine, migrate, transaction
from tests.search_fixtures import make_record
from tests.web_archive import BRIEFINGS, WebArchive, build_web_archive
from tests.web_server import serving

pytestmark = pytest.mark.xdist_group("browser")  # one worker builds the archive and starts Chromium, once

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    problem = None if path else "chromium is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "the playwright package is not installed (pip install -e '.[test]')"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need Chromium and Playwright in CI: {problem}")
        pytest.skip(problem)
    assert path is not None
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, WebArchive]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'archive.db'}"
    migrate(url)
    archive = build_web_archive(url)
    get_engine(url).dispose()
    with serving(url) as base:
        yield base, archive


@pytest.fixture(scope="module")
def browser(site: tuple[str, WebArchive]) -> Iterator[Any]:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="ko-KR")
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def shoot(page: Any, name: str) -> None:
    folder = os.environ.get("NEWSARCHIVE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"web-{name}.png"), full_page=False)


def test_search_filter_page_open_and_follow_cluster(site: tuple[str, WebArchive], page: Any) -> None:
    base, archive = site
    page.goto(base + "/")
    page.fill("#q", "브리핑")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    assert f"{BRIEFINGS} articles match" in page.inner_text("#summary")
    assert page.locator("li.result").count() == 20
    assert page.locator("li.result mark").first.inner_text() == "브리핑"
    shoot(page, "search")
    page.click("#next")
    assert "page=2" in page.url and page.locator("li.result").count() == BRIEFINGS - 20
    # a filter, by abbreviation: the URL keeps the whole query
    page.fill("input[name=ministry]", "행안부")
    page.press("input[name=ministry]", "Enter")
    assert "ministry=" in page.url and f"{BRIEFINGS // 3} articles match" in page.inner_text("#summary")
    # a story cluster: collapsed, then opened, then its other member followed
    page.fill("#q", "양자컴퓨터")
    page.fill("input[name=ministry]", "")
    page.check("input[name=collapse]")
    page.press("#q", "Enter")
    assert page.locator("li.result").count() == 1 and "2 copies" in page.inner_text("li.result .meta")
    page.click("li.result a.title")
    first = page.inner_text("#title")
    assert page.locator("#cluster li").count() == 1
    page.click("#cluster li a")
    assert page.inner_text("#title") != first and page.locator("#cluster li a").inner_text() == first
    ids = {archive.ids["wire"], archive.ids["republished"]}
    assert int(page.url.rsplit("/", 1)[1]) in ids
    assert page.dialogs == []


def test_chart_compares_queries(site: tuple[str, WebArchive], page: Any) -> None:
    base, _ = site
    page.goto(base + "/search?q=브리핑")
    page.click("#timeline-link")
    assert page.locator("#chart svg polyline").count() == 1
    page.fill("#q2", "행정안전부")
    page.fill("input[name=since]", "2026-01-01")
    page.select_option("#interval", "week")
    page.press("#q2", "Enter")
    assert page.locator("#chart svg polyline").count() == 2
    weeks = [label for label in page.locator("#chart svg text").all_text_contents() if "-" in label]
    assert weeks[0] == "2025-12-29"  # the Monday of the week holding since=2026-01-01
    assert page.locator(".legend li").all_inner_texts()[0].startswith("브리핑")
    assert "q=%EB%B8%8C%EB%A6%AC%ED%95%91" in page.url and "interval=week" in page.url
    shoot(page, "timeline")
    with page.expect_download() as download:
        page.click("#csv")
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("query,week,key,articles")


def test_script_in_an_article_is_shown_as_text(site: tuple[str, WebArchive], page: Any) -> None:
    base, archive = site
    page.goto(f"{base}/articles/{archive.ids['scripted']}")
    assert "<script>alert(1)</script>" in page.inner_text("#title")
    assert "<script>alert(1)</script>" in page.inner_text("#body")
    assert "<img src=x onerror=alert(2)>" in page.inner_text("#body")
    assert page.locator("main script, main img").count() == 0
    page.goto(f"{base}/search?q=보안 점검")
    assert "<script>alert(1)</script>" in page.inner_text("li.result a.title")
    assert page.dialogs == []


def test_bad_input_gets_a_page_that_says_what_was_wrong(site: tuple[str, WebArchive], page: Any) -> None:
    base, _ = site
    page.goto(base + "/search")
    page.fill("#q", "재난")
    page.fill("input[name=ministry]", "없는부")
    page.press("#q", "Enter")
    assert "unknown ministry" in page.inner_text("#error")
    response = page.goto(base + "/articles/12345678")
    assert response is not None and response.status == 404 and "no article" in page.inner_text("#error")
    page.goto(base + "/runs")
    assert page.locator("#runs tbody tr").count() == 2 and "FLAGGED" in page.inner_text("#health")


def test_a_reload_shows_what_a_crawl_stored_meanwhile(site: tuple[str, WebArchive], page: Any) -> None:
    """The server (another process) keeps the page it answered; an article stored after it, as by a
    crawl running beside the server, shows on the next reload."""
    base, archive = site
    page.goto(base + "/search?q=해양플랜트")
    page.reload()  # answered again, from the server's cache or the browser's revalidation
    assert page.locator("li.result").count() == 0 and page.locator("li.none").count() == 1
    body = "산업통상자원부는 해양플랜트 기자재 국산화 지원 사업을 시작한다고 밝혔다."
    with transaction(archive.url) as session:
        repo.add_article(session, make_record(9101, "해양플랜트 기자재 국산화 지원", body,
                                              datetime(2026, 2, 25, 1, 0, tzinfo=UTC), ["산업통상자원부"]),
                         f"<html><body><p>{body}</p></body></html>".encode(), "utf-8")
    get_engine(archive.url).dispose()
    page.reload()
    assert page.locator("li.result").count() == 1
    assert page.inner_text("li.result a.title") == "해양플랜트 기자재 국산화 지원"
