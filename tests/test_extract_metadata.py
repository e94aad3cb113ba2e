"""Subtitle, authors and captions on the real fixture pages (tests/fixtures/extraction/, tests/spiders/).

Every article fixture states all three in its expected JSON (test_extract.py compares them field by
field); here: that none is missing, that a photo credit is a caption and never a subtitle or body line,
and the page shapes behind each rule (etoday's deck under the headline, a bare credit after an image,
caption boxes beside photo boxes, signatures, press-release departments)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.article import Article
from pipelines.extract import extract
from pipelines.extraction.media import is_photo_credit

TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "fixtures" / "extraction"


def _cases() -> list[tuple[Path, dict[str, Any]]]:
    cases = []
    for path in sorted(GOLDEN.rglob("*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        if "not_an_article" not in expected:
            cases.append((path.with_suffix(".html"), expected))
    for path in sorted(TESTS.glob("spiders/*/*.expected.json")):
        if path.name != "listing.expected.json":
            page = path.with_name(path.name.removesuffix(".expected.json") + ".html")
            cases.append((page, json.loads(path.read_text(encoding="utf-8"))))
    return cases


CASES = _cases()
IDS = [f"{page.parent.name}/{page.stem}" for page, _ in CASES]


def _extract(name: str) -> Article:
    page, expected = next((p, e) for p, e in CASES if p.stem == name)
    return extract(page.read_bytes(), expected["url"])


@pytest.mark.parametrize(("page", "expected"), CASES, ids=IDS)
def test_every_fixture_states_and_gets_its_metadata(page: Path, expected: dict[str, Any]) -> None:
    stated = {"subtitle", "authors"} if "spiders" in page.parts else {"subtitle", "authors", "image_captions"}
    assert stated <= set(expected), f"{page.name}: expected JSON lacks {sorted(stated - set(expected))}"
    article = extract(page.read_bytes(), expected["url"])
    assert article.subtitle == expected["subtitle"]
    assert article.authors == expected["authors"]
    if "spiders" not in page.parts or "image_captions" in expected:
        assert [i.caption for i in article.images if i.caption] == expected["image_captions"]


@pytest.mark.parametrize(("page", "expected"), CASES, ids=IDS)
def test_a_photo_credit_is_never_subtitle_or_body(page: Path, expected: dict[str, Any]) -> None:
    article = extract(page.read_bytes(), expected["url"])
    assert not [line for line in article.subtitle.splitlines() if is_photo_credit(line)]
    assert not [line for line in article.body.splitlines() if is_photo_credit(line)]
    for image in article.images:
        if image.caption:
            assert image.caption not in article.subtitle.splitlines()
            assert image.caption not in article.body.splitlines()


def test_etoday_deck_under_the_headline_and_a_bare_credit_after_the_photo() -> None:
    """The issue's MSIT story: `h2.sub_title` with two lines joined by <br> outside div.articleView, and
    `<img><br>(사진제공=과기정통부)` at the top of the body (it used to become the subtitle)."""
    article = _extract("etoday-2412380-msit")
    assert article.subtitle.splitlines() == [
        "전 부처 전략적 협업 과제 41개 중 13개로 가장 많이 참여",
        "중앙부처 간 인사교류직위 24개 중 국장급 2개, 과장급 1개로 가장 많이 시행",
    ]
    [image] = article.images
    assert image.url.endswith("20240405140300_2412380_600_400.jpg")
    assert image.caption == "(사진제공=과기정통부)"
    assert "사진제공" not in article.body and article.body.startswith("과학기술정보통신부가 올해")
    assert article.authors == ["홍길동"]  # the reporter box's `홍길동 기자` + e-mail: the name only


@pytest.mark.parametrize(
    ("folder", "name", "department", "contact"),
    [
        ("sites", "korea-kr-156622001", "과학기술정보통신부 전파정책국 전파정책기획과", "김민수"),
        ("sites", "korea-kr-156622450-placeholder", "행정안전부 자연재난대응과", "박지훈"),
        ("msit", "press-release", "과학기술정보통신부 전파정책기획과", "홍길동"),
        ("mois", "press-release", "행정안전부 주민과", "홍길동"),
    ],
)
def test_press_release_author_is_the_issuing_department(folder: str, name: str, department: str,
                                                        contact: str) -> None:
    """No byline on a press release: `<ministry> <담당 부서>`; the contact person is not an author."""
    page, expected = next((p, e) for p, e in CASES if p.parent.name == folder and p.stem == name)
    article = extract(page.read_bytes(), expected["url"])
    assert article.authors == [department]
    assert department.split()[0] in article.ministries
    assert contact in page.read_text(encoding="utf-8") and not any(contact in a for a in article.authors)


def test_a_bullet_of_a_release_is_body_text_not_a_caption() -> None:
    """`▲` opens etoday's captions, and it is a bullet of government releases."""
    bullet = "▲ 초고주파 대역 무선통신 ▲ 저궤도 위성통신 ▲ 오픈랜 등 3대 분야를 중점 지원한다."
    assert bullet in _extract("korea-kr-156622001").body.splitlines()


def test_caption_box_beside_the_photo_box() -> None:
    """한국일보 `div.editor-img-box > div.img-box > img` + `div.caption`, KBS `div.photo` + `p.cap`."""
    hankook = _extract("hankookilbo-A2026071220290000630")
    assert all(image.caption for image in hankook.images) and len(hankook.images) == 4
    assert hankook.images[1].caption.endswith("정견 발표에서 인사하고 있다. 뉴스1")
    assert _extract("kbsworld-en-181595").images[0].caption == "Photo : YONHAP News"


def test_related_article_thumbnails_are_not_the_articles_images() -> None:
    """한국일보's series box links thumbnails of other articles inside the body container."""
    article = _extract("hankookilbo-A2025051516330004328")
    assert len(article.images) == 3 and all(image.caption for image in article.images)


def test_signature_closing_the_text_names_the_author() -> None:
    """동아일보 2013: no byline element, the text ends `최윤호 기자 uknow@donga.com`."""
    article = _extract("donga-20131023-58406128")
    assert article.authors == ["최윤호"] and "uknow@donga.com" not in article.body


def test_caption_line_of_a_government_release_goes_to_the_photo() -> None:
    """강진군: the photo sits outside the text, which ends `*사진설명 : …`."""
    article = _extract("gangjin-go-kr-press-detail")
    assert article.images[0].caption.startswith("남도해양열차와 연계한 부산 관광객 초청 팸투어")
    assert "사진설명" not in article.body


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("(사진제공=과기정통부)", True),
        ("(연합뉴스)", True),
        ("[사진 출처 = 연합뉴스]", True),
        ("(이투데이DB)", True),
        ("사진=뉴시스", True),
        ("▲ 반지하 주택 침수 방지시설 설치 지원 확대", False),  # a bullet of a government release
        ("전 부처 전략적 협업 과제 41개 중 13개로 가장 많이 참여", False),
        ("- 통신 3사·장비업체·연구기관 참여, 2028년 국제표준 제안 목표 -", False),
        ("(보도참고) 과기정통부, 6G 핵심기술 개발", False),
        ("(종합)", False),
    ],
)
def test_photo_credit_lines(line: str, credit: bool) -> None:
    assert is_photo_credit(line) is credit
