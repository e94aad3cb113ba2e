from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares import ORIGINAL_URL_META, HostMirrorMiddleware, UnmirroredHost


def mirror(settings: dict[str, object]) -> HostMirrorMiddleware:
    return HostMirrorMiddleware.from_crawler(get_crawler(settings_dict=settings))


def test_mirror_sends_path_and_query_to_the_base_and_restores_the_real_url() -> None:
    mw = mirror({"NEWSARCHIVE_MIRROR": {"www.korea.kr": "http://127.0.0.1:8001/replay/"}})
    request = Request("https://www.korea.kr/briefing/pressReleaseView.do?newsId=156612345", meta={"x": 1})
    mirrored = mw.process_request(request)
    assert mirrored is not None
    assert mirrored.url == "http://127.0.0.1:8001/replay/briefing/pressReleaseView.do?newsId=156612345"
    assert mirrored.meta["x"] == 1 and mirrored.meta[ORIGINAL_URL_META] == request.url
    assert mw.process_request(mirrored) is None, "a mirrored request is not mirrored twice"
    redirected = HtmlResponse(url="http://127.0.0.1:8001/replay/briefing/other.do?id=2", body=b"<html/>")
    assert mw.process_response(mirrored, redirected).url == "https://www.korea.kr/briefing/other.do?id=2"
    with pytest.raises(UnmirroredHost):  # with mirrors on, a host without one is refused, never fetched
        mw.process_request(Request("https://www.etoday.co.kr/"))


def test_mirror_reads_the_setting_only_and_is_off_without_any(monkeypatch: pytest.MonkeyPatch) -> None:
    # $NEWSARCHIVE_MIRROR is resolved by whoever starts the crawl (tests/test_scrapy_crawl.py), not here
    monkeypatch.setenv("NEWSARCHIVE_MIRROR", "www.etoday.co.kr=http://127.0.0.1:9")
    with pytest.raises(NotConfigured):
        mirror({})
    mw = mirror({"NEWSARCHIVE_MIRROR": {"RSS.etoday.co.kr": "http://127.0.0.1:10/"}})
    mirrored = mw.process_request(Request("https://rss.etoday.co.kr/eto/etoday_news_all.xml"))
    assert mirrored is not None and mirrored.url == "http://127.0.0.1:10/eto/etoday_news_all.xml"
