"""Page furniture: what must never reach the body, as DOM rules (before trafilatura); the line rules
that run after it are in lines.py.

Korean news and government pages share their chrome: share and font-size buttons, reporter
lines with e-mail, copyright lines, 시세 tickers (sometimes inside the article container),
related-news link lists, reactions, comments, and on government pages the 만족도 / 공공누리 /
담당부서 / 첨부파일 / 이전글·다음글 boxes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

ALWAYS_DROP = (
    "script",
    "style",
    "noscript",
    "iframe",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "nav",
    "aside",
    "footer",
    "svg",
    "video",
    "audio",
    "object",
    "embed",
    "template",
)

# Substrings of class/id values that mark furniture.
_FURNITURE_ATTR = re.compile(
    r"share|sns|social|font[-_]?(?:size|ctrl|control|util)|fontsize|txt[-_]?size|text[-_]?size|zoom|"
    r"relat|recommend|reporter|byline|writer|copyright|comment|reply|kwd|hashtag|tag[-_]?(?:list|box|area|wrap)|"
    r"keyword|popular|most[-_]?view|ranking|rank[-_]?(?:list|news)|ticker|sise|coin|stock[-_]?(?:list|box|widget)|"
    r"reaction|emotion|recommend|subscribe|newsletter|satisf|kogl|opentype|nuri|prev[-_]?next|"
    r"page[-_]?(?:nav|move)|print|scrap|dable|taboola|gpt-ad|google[-_]?ad|adsense|advert|banner|promotion|"
    r"btn[-_]?(?:area|box|wrap|group)|util|toolbar|manager|charge|dept[-_]?info|contact|file[-_]?(?:list|down|box|area)|"
    r"add[-_]?file|attach|caption|photo[-_]?(?:box|area)|img[-_]?(?:box|area|wrap)|editor-img-box|image[-_]?(?:box|area)|"
    r"maj_list|top[-_]?news|hot[-_]?news|news[-_]?list|list[-_]?news|more[-_]?news|series|card-container|"
    r"view[-_]?info|article[-_]?(?:info|util|footer|bottom|tool)|bottom[-_]?(?:info|area)|view[-_]?bottom|"
    r"module-quote|pull-?quote",
    re.I,
)
_AD_TOKEN = re.compile(r"(?:^|[\s_-])(?:ad|ads|adv|ad\d+)(?:$|[\s_-])", re.I)

# Headings that open a furniture block: the block (and its link list) goes.
FURNITURE_HEADINGS = re.compile(
    r"^\s*\[?\s*(?:관련\s*기사|관련\s*뉴스|주요\s*뉴스|많이\s*본\s*뉴스|인기\s*기사|오늘의\s*상승종목|"
    r"실시간\s*암호화폐\s*시세|실시간\s*시세|이\s*시각\s*주요뉴스|추천\s*기사|포토\s*뉴스)\s*\]?\s*$"
)

TICKER_WORDS = re.compile(
    r"시세|상승종목|하락종목|등락률|전일\s*대비|코스피|코스닥|비트코인|이더리움|암호화폐"
)

_HAS_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=256)
def selector(css: str) -> CSSSelector:
    return CSSSelector(css, translator="html")


@lru_cache(maxsize=512)
def _css_names(css: str) -> tuple[str, ...]:
    if "," in css:  # a union matches when any part might: no shortcut
        return ()
    return tuple(a or b for a, b in re.findall(r"[#.]([\w-]+)|=['\"]?([\w-]+)", css))


def might_match(css: str, source: str | None) -> bool:
    """False when a class, id or attribute value the selector needs is not in the page source at all:
    a substring test is far cheaper than evaluating the selector over a large tree. Without a source
    (None or empty) any selector might match."""
    return not source or all(name in source for name in _css_names(css))


def select(root: HtmlElement, css: Sequence[str], source: str | None) -> list[HtmlElement]:
    """The elements any of these selectors matches, in document order (their union's), evaluated for only
    those that might_match the page source. A union of class selectors costs a tenth of a millisecond or
    more on a page, matching or not."""
    parts = [part for part in css if might_match(part, source)]
    if not parts:
        return []
    found: list[HtmlElement] = selector(", ".join(parts))(root)
    return found


@lru_cache(maxsize=128)
def _contains_xpath(names: tuple[str, ...]) -> etree.XPath:
    tests = " or ".join(f"contains(@class, '{n}')" for n in names)
    return etree.XPath(f"//*[{tests}]")


def loose_classes(doc: HtmlElement, names: tuple[str, ...], source: str) -> list[HtmlElement]:
    """Elements whose class contains any of `names`: one XPath over just the names that occur in the
    page source (usually none or one), far cheaper than a CSS union over a large tree."""
    present = tuple(n for n in names if n in source)
    if not present:
        return []
    found: list[HtmlElement] = _contains_xpath(present)(doc)
    return found


def text_of(el: HtmlElement) -> str:
    """The element's text with runs of whitespace as one space (str.split's whitespace is re's \\s)."""
    return " ".join((el.text_content() or "").split())


def link_text_length(el: HtmlElement) -> int:
    return sum(len(text_of(a)) for a in el.iter("a"))


def drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text in place."""
    if el.getparent() is not None:
        el.drop_tree()


def _is_ticker(el: HtmlElement, text: str) -> bool:
    """A 시세 widget: ticker words and a mass of numbers, little prose."""
    if not TICKER_WORDS.search(text[:80]):
        return False
    digits = len(_HAS_DIGIT.findall(text))
    sentences = text.count("다.") + text.count("다 ")
    return digits >= 6 and sentences <= 1


def prune(container: HtmlElement, extra: tuple[str, ...] = ()) -> None:
    """Remove furniture from the article container in place."""
    for tag in ALWAYS_DROP:
        for el in list(container.iter(tag)):
            if el is not container and not el.get("data-newsarchive-frame"):
                drop(el)
    for css in extra:
        for el in selector(css)(container):
            if el is not container:
                drop(el)
    total = max(len(text_of(container)), 1)
    for el in list(container.iter()):
        if el is container or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.get("data-newsarchive-frame"):
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        furniture = attrs.strip() and (_FURNITURE_ATTR.search(attrs) or _AD_TOKEN.search(attrs))
        # never drop most of the article on a class-name guess
        if furniture and (len(text_of(el)) < 0.5 * total or total < 200):
            drop(el)
    _prune_blocks(container)


def _prune_blocks(container: HtmlElement) -> None:
    for el in list(
        container.iter(
            "table",
            "ul",
            "ol",
            "dl",
            "div",
            "p",
            "li",
            "section",
            "h2",
            "h3",
            "h4",
            "h5",
            "strong",
            "b",
            "span",
        )
    ):
        if el.getparent() is None or el is container:
            continue
        text = text_of(el)
        if not text:
            continue
        if FURNITURE_HEADINGS.match(text):
            _drop_heading_and_links(el)
            continue
        if el.tag in ("table", "ul", "ol", "dl", "div") and _is_ticker(el, text):
            drop(el)
            continue
        links = link_text_length(el)
        link_list = (
            el.tag in ("ul", "ol", "li", "p", "div", "dl") and links >= 0.8 * len(text) and len(text) < 400
        )
        if link_list and (el.tag != "div" or el.find(".//p") is None or links == len(text)):
            drop(el)


def _drop_heading_and_links(el: HtmlElement) -> None:
    """`[관련기사]` and the link lines after it (siblings mostly made of links, or ▶ lines)."""
    sibling = el.getnext()
    while sibling is not None:
        text = text_of(sibling)
        if text and not (link_text_length(sibling) >= 0.6 * len(text) or text.startswith(("▶", "☞", "▷"))):
            break
        after = sibling.getnext()
        drop(sibling)
        sibling = after
    drop(el)


__all__ = ["prune", "text_of", "selector", "drop", "etree"]
