"""sites/: the registry (built-in and user site files) and what the crawler reads from a Site beyond
its sources: per-ministry feeds, the frame rule's fallback address, the canonical-URL rule."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.utils.test import get_crawler

from core import urls
from crawler.process import spider_class
from crawler.spiders.registered import SiteSpider
from pipelines.extraction.profiles import profile_for
from sites import registry
from sites.registry import SiteFileError, all_sites, load_site_file, site_for_url
from tests.conftest import REPO_ROOT
from tests.crawl_helpers import forget_site_files

USER_SITE = '''from sites.model import CanonicalRule, Site, SiteProfile

SITE = Site(
    name="{name}",
    hosts=("example.go.kr",),
    feeds=("https://www.example.go.kr/rss.xml",),
    article_pattern=r"^https://www\\.example\\.go\\.kr/news/view\\.do\\?id=\\d+$",
    canonical=CanonicalRule(path=r"^/news/view\\.do", keys=("id",), base="https://www.example.go.kr"),
    profile=SiteProfile(container=(".story",)),
)
'''


def spider(name: str, **kwargs: str) -> SiteSpider:
    cls = cast("type[SiteSpider]", spider_class(name))
    crawler = get_crawler(cls)
    crawler._apply_settings()
    made: SiteSpider = cls.from_crawler(crawler, **kwargs)
    crawler.spider = made
    return made


@pytest.fixture
def user_sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user's site folder, read by this process's registry for the length of a test."""
    folder = tmp_path / "sites"
    folder.mkdir()
    monkeypatch.setenv(registry.SITES_DIR_ENV, str(folder))
    yield folder
    monkeypatch.delenv(registry.SITES_DIR_ENV)
    forget_site_files()


def test_a_user_site_file_is_read_by_canonical_url_and_profile_for(user_sites: Path) -> None:
    url = "https://example.go.kr/news/view.do;jsessionid=AB12?menu=7&id=42&page=3"
    generic = "https://example.go.kr/news/view.do;jsessionid=AB12?id=42&menu=7&page=3"
    forget_site_files()
    assert urls.canonical_url(url) == generic  # the folder is read while still empty
    (user_sites / "example.py").write_text(USER_SITE.format(name="example"), encoding="utf-8")
    assert urls.canonical_url(url) == generic  # read once per process: the new file is not seen yet
    forget_site_files()
    assert [s.name for s in all_sites()] == ["etoday", "example", "korea_kr", "mois", "msit"]
    assert urls.canonical_url(url) == "https://www.example.go.kr/news/view.do?id=42"
    site = site_for_url(url)
    assert site is not None and site.name == "example" and profile_for(url) is site.profile
    assert registry.fixtures_dir(site) == user_sites.parent / "tests" / "spiders" / "example"


def test_site_files_that_cannot_be_used_are_named_in_one_line(user_sites: Path) -> None:
    misnamed = user_sites / "other.py"
    misnamed.write_text(USER_SITE.format(name="example"), encoding="utf-8")
    with pytest.raises(SiteFileError, match="must be named example.py"):
        load_site_file(misnamed)
    misnamed.unlink()
    (user_sites / "mois.py").write_text(USER_SITE.format(name="mois"), encoding="utf-8")
    registry.reload()
    with pytest.raises(SiteFileError, match="a site named 'mois' is already defined"):
        all_sites()
    (user_sites / "mois.py").write_text("SITE = Site(\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run([sys.executable, "-m", "newsarchive", "crawl", "mois"], capture_output=True,
                            text=True, timeout=60, env=env, cwd=REPO_ROOT)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"error: {user_sites / 'mois.py'}: SyntaxError: "
                                     "'(' was never closed (mois.py, line 1)")


def test_korea_kr_ministries_argument_picks_feeds_and_ministries() -> None:
    every = spider("korea_kr")
    assert len(every.feeds) == 15 and every.feeds[-1] == "https://www.korea.kr/rss/pressrelease.xml"
    chosen = spider("korea_kr", ministries="msit, mois")
    assert chosen.feeds == ["https://www.korea.kr/rss/dept_msit.xml", "https://www.korea.kr/rss/dept_mois.xml"]
    feed = b"""<rss><channel><item><link>https://www.korea.kr/briefing/pressReleaseView.do?newsId=1</link>
    </item></channel></rss>"""
    [entry] = chosen.feed_entries(XmlResponse(url="https://www.korea.kr/rss/dept_mois.xml", body=feed))
    assert entry.ministries == ["행정안전부"]
    entry.ministries = ["국토교통부"]
    assert list(chosen.follow_entries([entry])) == []  # another ministry's release is not followed
    with pytest.raises(ValueError, match=r"unknown korea.kr ministry code\(s\) nope; known: msit, mois"):
        spider("korea_kr", ministries="msit,nope")
    with pytest.raises(ValueError, match="etoday has no per-ministry feeds"):
        spider("etoday", ministries="msit")


def test_frame_rule_builds_the_content_address_when_the_viewer_names_no_inner_frame() -> None:
    korea = spider("korea_kr")
    skin = "https://www.korea.kr/docViewer/iframe_skin/doc.html?fn=156.hwpx&rs=/docViewer/result/2026.03/03/156/"
    bare = HtmlResponse(url=skin, body=b"<html><body><div id='contentWrap'></div></body></html>")
    assert korea.inner_frame_url(bare) == "/docViewer/result/2026.03/03/156/156.view.xhtml"
    named = HtmlResponse(url=skin, body=b"<html><body><iframe name='innerWrap' src='/x.xhtml'></iframe></body></html>")
    assert korea.inner_frame_url(named) == "/x.xhtml"
    assert spider("etoday").inner_frame_url(bare) is None  # no frame rule


def test_the_readme_worked_example_is_the_mois_site_file() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("### Worked example", 1)[1]
    code = example.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["SITE"] == registry.site_named("mois")


def test_a_registered_site_without_fixtures_fails_the_spider_suite(tmp_path: Path) -> None:
    folder = tmp_path / "sites"
    folder.mkdir()
    (folder / "example.py").write_text(USER_SITE.format(name="example"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), registry.SITES_DIR_ENV: str(folder)}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/test_spiders.py", "-k", "example"], capture_output=True, text=True,
                            timeout=120, env=env, cwd=REPO_ROOT)
    assert result.returncode == 1, result.stdout
    assert "2 failed" in result.stdout and f"has no fixture folder {tmp_path}/tests/spiders/example" in result.stdout
