"""Reporter credits in the forms Korean outlets write them, on the etoday fixture page: the credit goes,
and the sentence it is attached to stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract

PAGE = Path(__file__).resolve().parent / "fixtures" / "extraction" / "sites" / "etoday-2343297.html"
URL = "https://www.etoday.co.kr/news/view/2343297"
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
