"""The local test site's serving: one server per host, lookup rules, hit recording, swapping pages, and
its command line is `newsarchive demo --serve-only` (test_demo.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest

from newsarchive.demo.site import build_site
from newsarchive.demo.site.etoday import RSS
from newsarchive.demo.site.etoday import WWW as ET
from newsarchive.demo.site.korea_kr import HOST as KR
from newsarchive.demo.site.server import HostPages, RunningSite, serve

TODAY = date(2026, 1, 7)


@pytest.fixture(scope="module")
def running() -> Iterator[RunningSite]:
    with serve(build_site(TODAY)) as site:
        yield site


def test_each_host_has_its_own_server_and_mirror_args(running: RunningSite) -> None:
    assert set(running.mirrors) == {ET, RSS, KR}
    assert len(set(running.mirrors.values())) == 3
    args = running.mirror_args()
    assert args[0::2] == ["--mirror"] * 3
    assert {a.split("=", 1)[0] for a in args[1::2]} == {ET, RSS, KR}
    for host in running.mirrors:
        status, ctype, body = running.get(host, "/robots.txt")
        assert status == 200 and ctype.startswith("text/plain") and b"Disallow: /admin/" in body


def test_lookup_rules(running: RunningSite) -> None:
    exact = running.get(ET, "/news/view/2572210")
    assert exact[0] == 200
    assert running.get(ET, "/news/view/2572210?utm_source=rss&utm_medium=x") == exact
    assert running.get(ET, "/news/view/2572210?Utm_Source=Naver&UTM_Medium=Referral") == exact
    listed = running.get(ET, "/news/section/subsection?MID=1200&page=2")
    assert running.get(ET, "/news/section/subsection?page=2&MID=1200&utm_source=a") == listed
    assert running.get(ET, "/news/section/subsection?MID=1200&page=99")[0] == 404
    view = running.get(KR, "/briefing/pressReleaseView.do?newsId=156741205")
    assert running.get(KR, "/briefing/pressReleaseView.do?newsId=156741205&call_from=rsslink") == view
    assert running.get(KR, "/briefing/pressReleaseView.do?pWise=mSub&newsId=156741205&pWiseSub=C7") == view
    assert running.get(KR, "/briefing/pressReleaseView.do?newsId=111111111")[0] == 404
    first = running.get(KR, "/briefing/pressReleaseList.do")
    junk = "/briefing/pressReleaseList.do?pageIndex=1&repCodeType=&repCode=&srchWord="
    assert running.get(KR, junk) == first
    assert running.get(KR, "/briefing/pressReleaseList.do?pageIndex=2")[1:] != first[1:]
    status, ctype, body = running.get(ET, "/no/such/page")
    assert status == 404 and ctype.startswith("text/html") and "찾을 수 없습니다".encode() in body


def test_fragment_is_ignored_by_lookup() -> None:
    pages = HostPages(build_site(TODAY)[ET])
    assert pages.lookup("/news/view/2572210?utm_source=x#comment_area") is pages.pages["/news/view/2572210"]


def test_hits_are_recorded_from_many_threads(running: RunningSite) -> None:
    running.clear_hits()
    targets = [f"/news/view/2572210?n={i}" for i in range(40)]
    threads = [threading.Thread(target=running.get, args=(ET, t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    running.get(KR, "/rss/dept_msit.xml")
    assert sorted(running.hits_for(ET)) == sorted(targets)
    assert running.hits_for(KR) == ["/rss/dept_msit.xml"]
    assert len(running.hits) == 41
    running.clear_hits()
    assert running.hits == []


def test_replace_swaps_pages_on_the_same_ports() -> None:
    with serve(build_site(TODAY)) as site:
        before = dict(site.mirrors)
        site.replace(build_site(date(2026, 1, 8)))
        assert site.mirrors == before
        _, _, body = site.get(ET, "/news/view/2572210")
        assert b"2026-01-08T06:10:00+09:00" in body
