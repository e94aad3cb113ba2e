"""Decoding by the bytes, not-an-article cases, and the `newsarchive extract` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.article import NotAnArticle
from pipelines.extract import extract
from pipelines.extraction.decode import decode_html

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extraction"
KOREAN = "과학기술정보통신부는 6G 핵심기술 개발에 4407억 원을 투입한다. 똠방각하 뷁"


def test_decodes_euc_kr_bytes_by_declaration_and_without_one() -> None:
    page = f'<html><head><meta charset="euc-kr"></head><body><p>{KOREAN[:34]}</p></body></html>'
    data = page.encode("euc-kr")
    text, used = decode_html(data)
    assert KOREAN[:34] in text and used == "cp949"
    bare = f"<html><body><p>{KOREAN[:34]}</p></body></html>".encode("euc-kr")
    assert KOREAN[:34] in decode_html(bare)[0]


def test_cp949_only_syllables_decode() -> None:
    data = f"<p>{KOREAN}</p>".encode("cp949")  # 똠, 뷁 are not in EUC-KR proper
    text, _ = decode_html(data, declared="euc-kr")
    assert KOREAN in text


def test_utf8_bytes_win_over_a_wrong_declaration() -> None:
    page = f'<html><head><meta charset="euc-kr"></head><body>{KOREAN}</body></html>'.encode()
    text, used = decode_html(page, declared="euc-kr")
    assert KOREAN in text and used == "utf-8"


def test_corpus_page_declaring_euc_kr_comes_out_korean() -> None:
    data = (FIXTURES / "corpus" / "daejonilbo-m-1412361.html").read_bytes()
    assert re.search(rb"charset=[\"']?euc-kr", data, re.I)
    article = extract(data, "http://m.daejonilbo.com/mnews.asp?pk_no=1412361", encoding="euc-kr")
    assert article.title == "코로나19 극복 성금 기탁 줄 잇는다"


def test_etoday_euc_kr_page_extracts_from_bytes_and_text() -> None:
    data = (FIXTURES / "sites" / "etoday-2349751-euckr.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    url = "https://www.etoday.co.kr/news/view/2349751"
    from_bytes = extract(data, url)
    from_text = extract(data.decode("cp949"), url)
    assert from_bytes.body == from_text.body and "행정안전부" in from_bytes.body


def test_list_page_is_not_an_article() -> None:
    data = (FIXTURES / "corpus" / "korea-kr-pressReleaseList-20260107.html").read_bytes()
    with pytest.raises(NotAnArticle) as info:
        extract(data, "https://www.korea.kr/briefing/pressReleaseList.do")
    assert info.value.reason == "list page"


def test_photo_item_without_text_is_not_an_article() -> None:
    """The saved chosun page carries its text in div.par; without it only the photo and caption remain."""
    html = (FIXTURES / "corpus" / "chosun-2020082704301-sports.html").read_text(encoding="utf-8")
    photo_only = re.sub(r'<div class="par">.*?</div>', "", html, flags=re.S)
    with pytest.raises(NotAnArticle) as info:
        extract(photo_only, "https://news.chosun.com/site/data/html_dir/2020/08/27/2020082704301.html")
    assert info.value.reason == "photo only"


@pytest.mark.parametrize("html", ["", "   ", "<html><body></body></html>"])
def test_empty_pages(html: str) -> None:
    with pytest.raises(NotAnArticle):
        extract(html, "https://www.etoday.co.kr/news/view/1")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args], capture_output=True, text=True, timeout=60
    )


def test_cli_prints_one_sorted_json_object() -> None:
    page = FIXTURES / "sites" / "korea-kr-156622001.html"
    result = _cli(
        "extract",
        str(page),
        "--url",
        "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156622001",
        "--source",
        "korea_kr",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == sorted(data)
    assert data["source"] == "korea_kr" and data["ministries"][0] == "과학기술정보통신부"
    assert "과학기술정보통신부" in result.stdout  # ensure_ascii=False
    assert data["published_at"] == "2024-04-05T00:00:00+09:00"


@pytest.mark.parametrize(
    "args, message",
    [
        (("extract", "/nonexistent/page.html", "--url", "https://x.kr/a"), "cannot read"),
        (
            (
                "extract",
                str(FIXTURES / "sites" / "etoday-9999999-error.html"),
                "--url",
                "https://www.etoday.co.kr/news/view/9999999",
            ),
            "not an article: error page",
        ),
    ],
)
def test_cli_failures_are_one_line(args: tuple[str, ...], message: str) -> None:
    result = _cli(*args)
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
