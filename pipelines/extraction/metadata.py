"""Title, section and language of a page (authors: authors.py)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from pipelines.extraction.furniture import might_match, selector, text_of
from pipelines.extraction.profiles import SiteProfile

_TAIL = re.compile(r"^(?P<head>.+)(?:\s[-–—|:·]\s|\s?[|ㅣ]\s?|\s?::\s?)(?P<tail>[^|ㅣ:]{1,30}?)\s*$")
_SECTION_TAIL = re.compile(r"^(?P<head>.+?)(?:\s[-–—|:·]\s|-)(?P<tail>[^\s|ㅣ:-]{1,6})\s*$")
SECTION_WORDS = {
    "뉴스",
    "정치",
    "경제",
    "사회",
    "국제",
    "세계",
    "문화",
    "스포츠",
    "연예",
    "오피니언",
    "사설",
    "칼럼",
    "IT",
    "산업",
    "증권",
    "금융",
    "부동산",
    "전국",
    "지역",
    "생활",
    "라이프",
    "기업",
    "과학",
    "정책",
    "보도자료",
    "종합",
    "속보",
    "news",
    "News",
}
_HEAD = re.compile(r"^(?P<head>[^|ㅣ:]{1,25}?)(?:\s?::\s?|\s[|ㅣ]\s)(?P<rest>.+)$")
_HEADLINE_CSS = (
    "h1.main_title",
    "h2.news_ttl",
    "h2#title_area",
    "h1.headline",
    "h3.heading",
    "h1.title",
    "h2.title",
    "h1.tit",
    "h2.tit",
    ".article-head-title",
    ".article_title",
    ".news_title",
    ".view_title",
    ".title_area h1",
    ".tit_view",
    "h1",
    "h2.sub_tit",
    "h3.tit",
    ".view_titlebox h3",
    ".board_view_head h4",
    ".title_txt",
    "h4.title",
    "h2.page_title strong",
)


def meta(doc: HtmlElement, *keys: str) -> list[str]:
    wanted = {k.lower() for k in keys}
    return [
        el.get("content", "").strip()
        for el in doc.iter("meta")
        if (el.get("property") or el.get("name") or el.get("itemprop") or "").lower() in wanted
        and (el.get("content") or "").strip()
    ]


def site_names(doc: HtmlElement, url: str, profile: SiteProfile | None) -> list[str]:
    found = meta(doc, "og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:site")
    host = (urlsplit(url).hostname or "").removeprefix("www.").removeprefix("m.")
    found.append(host.split(".")[0])
    if profile is not None:
        found.extend(profile.site_names)
    return [n.lstrip("@") for n in found if n]


def strip_site(title: str, sites: list[str]) -> str:
    """The headline without the site: `제목 - 매일경제`, `… | 한국일보`, `…-정치ㅣ한국일보`,
    `대전일보 모바일 :: 제목`."""
    title = re.sub(r"\s+", " ", title).strip()
    lowered = [s.lower() for s in sites if len(s) >= 2]

    def is_site(part: str) -> bool:
        part = part.strip().lower()
        return bool(part) and any(s in part or part in s for s in lowered)

    for _ in range(3):
        tail = _TAIL.match(title)
        if tail and is_site(tail.group("tail")):
            title = tail.group("head").strip()
            section = _SECTION_TAIL.match(title)
            if (
                section and section.group("tail") in SECTION_WORDS
            ):  # "…-정치ㅣ한국일보", "… : 뉴스 : 동아닷컴"
                title = section.group("head").strip()
            continue
        head = _HEAD.match(title)
        if head and is_site(head.group("head")):
            title = head.group("rest").strip()
            continue
        break
    return title


def _headline_element(doc: HtmlElement, candidates: list[str], source: str) -> str:
    """A visible headline that the meta titles start with (so site tails drop out naturally)."""
    for css in _HEADLINE_CSS:
        if not might_match(css, source):
            continue
        for el in selector(css)(doc)[:3]:
            text = text_of(el)
            if len(text) < 4:
                continue
            for cand in candidates:
                if cand.startswith(text) or (text in cand and len(text) >= 0.5 * len(cand)):
                    return text
    return ""


def title_of(
    doc: HtmlElement,
    url: str,
    profile: SiteProfile | None,
    ld: dict[str, Any],
    payload_title: str = "",
    source: str = "",
) -> str:
    sites = site_names(doc, url, profile)
    if profile is not None:
        for css in profile.title:
            for el in selector(css)(doc):
                text = el.get("content") if el.tag == "meta" else text_of(el)
                if text and text.strip():
                    return strip_site(text, sites)
    clean = [
        t
        for t in (
            payload_title,
            *meta(doc, "taboola:title", "headline", "dable:title"),
            str(ld.get("headline") or ""),
        )
        if t
    ]
    if clean:
        return strip_site(clean[0], sites)
    social = meta(doc, "og:title", "twitter:title")
    title_el = doc.find(".//title")
    others = [*meta(doc, "title"), *([text_of(title_el)] if title_el is not None else [])]
    for group in (social, others):
        group = [re.sub(r"\s+", " ", t).strip() for t in group if t.strip()]
        if not group:
            continue
        stripped = strip_site(group[0], sites)
        visible = _headline_element(doc, group, source)
        # a visible headline the meta title starts with drops unknown site tails ("… : 뉴스 : 동아닷컴")
        if visible and len(visible) < len(stripped):
            return visible
        return stripped
    return ""


def section_of(
    doc: HtmlElement, profile: SiteProfile | None, ld: dict[str, Any], payload_section: str, source: str | None = None
) -> str:
    """`source`: the page's markup, when given, spares the selectors it cannot match (furniture.might_match)."""
    if payload_section:
        return payload_section
    if profile is not None:
        for css in profile.section:
            if not might_match(css, source):
                continue
            texts = [
                text_of(el) for el in selector(css)(doc) if text_of(el) not in ("", "홈", "Home", "HOME")
            ]
            if texts:
                return texts[0]
    found = meta(doc, "article:section", "content_category", "section", "cXenseParse:articleSection")
    if found:
        return found[0]
    section = ld.get("articleSection")
    if isinstance(section, list):
        section = section[0] if section else ""
    return str(section or "")


_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[A-Za-z]")


def language_of(doc: HtmlElement, body: str) -> str:
    hangul = _HANGUL.search(body) is not None  # one syllable decides: counting them all cost a list of them
    if body and not hangul and len(_LATIN.findall(body)) > 50:
        declared = (doc.get("lang") or "").split("-")[0].lower()
        return declared if declared and declared != "ko" else "en"
    if hangul:
        return "ko"
    declared = (doc.get("lang") or (meta(doc, "inLanguage") or [""])[0]).split("-")[0].lower()
    return declared or "ko"
