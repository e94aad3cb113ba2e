"""Furniture in the other forms pages write it, put into real fixture pages: reporter credits as Korean
outlets write them (the credit goes, the sentence it ends stays), and the tail of a government release
without its <끝> mark (licence and contact lines go)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract

SITES = Path(__file__).resolve().parent / "fixtures" / "extraction" / "sites"
PAGE = SITES / "etoday-2343297.html"
URL = "https://www.etoday.co.kr/news/view/2343297"
RELEASE = SITES / "korea-kr-156622001.html"
RELEASE_URL = "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156622001"
RELEASE_END = "<p>&lt;끝&gt;</p><p>붙임 1. 세부 추진계획</p></div>"
CREDIT = "<p>김나은 기자 naeun@etoday.co.kr</p>"  # the fixture's own credit paragraph
LAST = "70%대로 반영됐다.</p>"  # the end of the last body paragraph


def body_of(html: str) -> str:
    return extract(html.encode("utf-8"), URL, source="etoday").body


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


@pytest.mark.parametrize("credit", [
    "[이투데이/김나은 기자(naeun@etoday.co.kr)]",
    "[이투데이 김나은 기자(naeun@etoday.co.kr)]",
    "김나은 기자 (naeun@etoday.co.kr)",
    "김나은 기자 &lt;naeun@etoday.co.kr&gt;",
    "/김나은 기자 naeun@etoday.co.kr",
])
def test_a_credit_paragraph_is_dropped(page: str, credit: str) -> None:
    assert CREDIT in page
    body = body_of(page.replace(CREDIT, f"<p>{credit}</p>"))
    assert body == body_of(page)
    assert "naeun@" not in body and "기자" not in body


@pytest.mark.parametrize("credit", [
    " 김나은 기자 naeun@etoday.co.kr",
    " 김나은 기자 (naeun@etoday.co.kr)",
    "[이투데이/김나은 기자(naeun@etoday.co.kr)]",
    " 세종=김나은 기자 naeun@etoday.co.kr",
])
def test_a_credit_ending_the_last_paragraph_leaves_the_paragraph(page: str, credit: str) -> None:
    # This used to drop the whole paragraph: the line rule for "…기자 a@b" ran before the credit was cut.
    html = page.replace(CREDIT, "").replace(LAST, f"70%대로 반영됐다.{credit}</p>")
    body = body_of(html)
    assert body.endswith("70%대로 반영됐다.")
    assert body == body_of(page)


def test_a_sentence_ending_without_a_period_keeps_its_last_word(page: str) -> None:
    html = page.replace(CREDIT, "").replace(LAST, "70%대로 반영됐다고 말했다 김나은 기자 naeun@etoday.co.kr</p>")
    assert body_of(html).endswith("70%대로 반영됐다고 말했다")


@pytest.mark.parametrize("tail", [
    "<p>정책브리핑의 정책뉴스자료는 공공누리 제1유형 : 출처표시 조건에 따라 이용할 수 있습니다.</p>",
    "<p>문의 : 과학기술정보통신부 전파정책기획과(044-202-6000)</p>",
    "<p>담당 부서 : 전파정책국 전파정책기획과 | 담당자 : 김민수 사무관 | 전화 : 044-202-6000</p>",
    "<p>&lt;저작권자 ⓒ 대한민국 정책브리핑 무단전재 및 재배포 금지&gt;</p>",
])
def test_a_release_without_its_end_mark_loses_its_tail_lines(tail: str) -> None:
    page = RELEASE.read_text(encoding="utf-8")
    assert RELEASE_END in page

    def body(html: str) -> str:
        return extract(html.encode("utf-8"), RELEASE_URL, source="korea_kr").body

    assert body(page.replace(RELEASE_END, tail + "</div>")) == body(page)
