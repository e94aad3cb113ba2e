"""`newsarchive new-spider` and `newsarchive check-spider` as a user runs them (real processes)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from crawler.urls import canonical_url
from tests.conftest import REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "spiders"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-m", "newsarchive", *args], capture_output=True, text=True,
                          timeout=60, env=env, cwd=REPO_ROOT)


def project(tmp_path: Path) -> Path:
    (tmp_path / "crawler" / "spiders").mkdir(parents=True)
    return tmp_path


def load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"generated_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return next(v for k, v in vars(module).items() if k.endswith("Spider") and k != "ArchiveSpider")


def test_new_spider_from_a_feed_writes_a_working_spider_and_fixture_folder(tmp_path: Path) -> None:
    root = project(tmp_path)
    article = "https://www.molit.go.kr/USR/NEWS/m_71/dtl.jsp?lcmspage=1&id=95091234"
    result = cli("new-spider", "molit", "--url", article, "--feed", "https://www.korea.kr/rss/dept_molit.xml",
                 "--project-dir", str(root))
    assert result.returncode == 0, result.stderr
    spider_file = root / "crawler" / "spiders" / "molit.py"
    readme = root / "tests" / "spiders" / "molit" / "README.txt"
    assert readme.exists() and "check-spider molit" in readme.read_text(encoding="utf-8")
    cls = load(spider_file)
    assert cls.name == "molit" and cls.feeds == ["https://www.korea.kr/rss/dept_molit.xml"]
    pattern = re.compile(cls.article_pattern)
    assert pattern.match(canonical_url(article))
    assert pattern.match(canonical_url(article.replace("95091234", "95091300")))
    assert not pattern.match("https://www.molit.go.kr/USR/NEWS/m_71/lst.jsp")


def test_new_spider_from_a_list_page_puts_the_page_placeholder(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = cli("new-spider", "kdi", "--url", "https://www.kdi.re.kr/news/view?idx=10231",
                 "--list", "https://www.kdi.re.kr/news/list?type=press&page=3", "--project-dir", str(root))
    assert result.returncode == 0, result.stderr
    source = load(root / "crawler" / "spiders" / "kdi.py").list_sources[0]
    assert source.template == "https://www.kdi.re.kr/news/list?type=press&page={page}"
    assert "TODO" in source.rule.row  # the user must fill in the row selector


def test_new_spider_refuses_bad_requests(tmp_path: Path) -> None:
    root = project(tmp_path)
    feed = ("--feed", "https://example.go.kr/rss.xml")
    cases = [
        (("new-spider", "Bad-Name", "--url", "https://example.go.kr/a/1", *feed), "Python identifier"),
        (("new-spider", "msit", "--url", "https://example.go.kr/a/1", *feed), "already exists"),
        (("new-spider", "newsite", "--url", "example.go.kr/a/1", *feed), "http(s) URL"),
        (("new-spider", "newsite", "--url", "https://example.go.kr/a/1"), "exactly one listing"),
    ]
    for args, message in cases:
        result = cli(*args, "--project-dir", str(root))
        assert result.returncode != 0 and message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list((root / "crawler" / "spiders").iterdir()) == []
    request = ("new-spider", "newsite", "--url", "https://example.go.kr/a/1", *feed,
               "--project-dir", str(root))
    first = cli(*request)
    assert first.returncode == 0, first.stderr
    again = cli(*request)
    assert again.returncode == 1 and "not overwriting" in again.stderr


def test_check_spider_prints_fields_of_a_clean_page() -> None:
    result = cli("check-spider", "mois", str(FIXTURES / "mois" / "press-release.html"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "주민등록 사실조사 결과 발표" in result.stdout
    assert "FileDown.do?atchFileId=FILE_000000000126501&fileSn=1" in result.stdout
    assert "no suspected furniture" in result.stdout


def test_check_spider_flags_furniture_left_in_the_body(tmp_path: Path) -> None:
    page = (FIXTURES / "mois" / "press-release.html").read_text(encoding="utf-8")
    # a licence sentence in a wording the extractor's line rules do not know
    leftover = ("<p>이 자료는 공공누리 출처표시 조건에 따라 누구나 자유롭게 이용할 수 있으며 "
                "상업적 이용과 변경이 가능합니다 - 행정안전부 홈페이지</p>")
    saved = tmp_path / "page.html"
    saved.write_text(page.replace("<p>&lt;끝&gt;</p>", leftover + "<p>&lt;끝&gt;</p>"), encoding="utf-8")
    url = "https://www.mois.go.kr/frt/bbs/type010/commonSelectBoardArticle.do?bbsId=BBSMSTR_000000000008&nttId=1"
    result = cli("check-spider", "mois", str(saved), "--url", url)
    assert result.returncode == 1
    assert "licence box" in result.stderr and "공공누리 출처표시" in result.stderr


def test_check_spider_scores_subtitle_and_authors_against_the_expected_json(tmp_path: Path) -> None:
    folder = FIXTURES / "etoday"
    page = tmp_path / "etoday-2343297.html"
    page.write_bytes((folder / "etoday-2343297.html").read_bytes())
    expected = json.loads((folder / "etoday-2343297.expected.json").read_text(encoding="utf-8"))
    (tmp_path / "etoday-2343297.expected.json").write_text(json.dumps(expected), encoding="utf-8")
    right = cli("check-spider", "etoday", str(page))
    assert right.returncode == 0, right.stderr
    assert "expected fields: 5/5 match (title, subtitle, authors, published_at, ministries)" in right.stdout
    wrong = {**expected, "authors": ["김나은", "이투데이"], "subtitle": "(로이터연합뉴스)"}
    (tmp_path / "etoday-2343297.expected.json").write_text(json.dumps(wrong), encoding="utf-8")
    result = cli("check-spider", "etoday", str(page))
    assert result.returncode == 1
    assert "subtitle differs from etoday-2343297.expected.json: expected '(로이터연합뉴스)'" in result.stderr
    assert "authors differs" in result.stderr and "expected fields: 3/5 match" in result.stdout


def test_check_spider_needs_a_url_and_a_known_spider(tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_text("<html><body><p>본문</p></body></html>", encoding="utf-8")
    no_url = cli("check-spider", "mois", str(saved))
    assert no_url.returncode != 0 and "--url" in no_url.stderr and "Traceback" not in no_url.stderr
    unknown = cli("check-spider", "nosuch", str(saved), "--url", "https://x.go.kr/1")
    assert unknown.returncode != 0 and "unknown spider" in unknown.stderr
