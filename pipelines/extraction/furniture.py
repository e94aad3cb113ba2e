"""Page furniture: what must never reach the body, as DOM rules (before trafilatura) and line rules (after).

Korean news and government pages share their chrome: share and font-size buttons, reporter
lines with e-mail, copyright lines, 시세 tickers (sometimes inside the article container),
related-news link lists, reactions, comments, and on government pages the 만족도 / 공공누리 /
담당부서 / 첨부파일 / 이전글·다음글 boxes."""

from __future__ import annotations

import re
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


def might_match(css: str, source: str) -> bool:
    """False when a class, id or attribute value the selector needs is not in the page source at all:
    a substring test is far cheaper than evaluating the selector over a large tree."""
    return all(name in source for name in _css_names(css))


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
    return re.sub(r"\s+", " ", el.text_content() or "").strip()


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


# --- lines ---------------------------------------------------------------------------------------

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_NAME = r"[가-힣]{2,4}"
_CONTACT = r"\s*[(<\[]?\s*" + _EMAIL + r"\s*[)>\]]?"  # a@b, (a@b), <a@b>
_LINE_RULES = [
    re.compile(r"^\S*\s*" + _EMAIL + r"\s*$"),  # bare e-mail
    re.compile(
        r"^[\[(]?[^\]\n]{0,20}?" + _NAME + r"\s*(?:기자|특파원|선임기자|객원기자|인턴기자|통신원|에디터)"
        r"(?:" + _CONTACT + r")?\s*[\])]?\s*$"
    ),  # 홍길동 기자 a@b, [이투데이/홍길동 기자(a@b)]
    re.compile(_NAME + r"\s*(?:기자|특파원)" + _CONTACT),  # …기자 a@b anywhere
    re.compile(r"저작권자|무단\s*전재|재배포\s*금지|All rights reserved|Copyright\s*[ⓒ©(]|^\s*[ⓒ©]"),
    re.compile(
        r"^\s*(?:<|〈|\[)?\s*(?:사진|그래픽|자료|영상|출처|사진제공|사진 제공)\s*[=:제]"
    ),  # 사진=연합뉴스
    re.compile(
        r"^\s*[^\s]{0,20}(?:/|=)\s*(?:연합뉴스|뉴시스|뉴스1|로이터|AP|AFP|EPA|신화|게티이미지)[가-힣A-Za-z]*\s*$"
    ),
    re.compile(r"^\s*(?:#[^\s#]+\s*){1,}$"),  # hashtags
    re.compile(
        r"^\s*(?:가장작게|작게|기본|크게|가장크게|작게보기|기본크기|크게보기|글자\s*크기|URL\s*공유|"
        r"URL복사|카카오톡|페이스북|X\(트위터\)|트위터|네이버블로그|공유하기|인쇄|스크랩|닫기|"
        r"기사\s*공유|프린트)(?:\s|$)+(?:(?:가장작게|작게|기본|크게|가장크게|보기|크기|공유|카카오톡|"
        r"페이스북|X\(트위터\)|인쇄|스크랩)\s*)*$"
    ),
    re.compile(
        r"^\s*(?:좋아요|화나요|슬퍼요|추가취재\s*원해요|후속기사\s*원해요)\s*\d*(?:\s+\S+\s*\d+)*\s*$"
    ),
    re.compile(r"^\s*댓글\s*\d+\s*(?:/\s*\d+)?\s*$"),
    re.compile(
        r"^\s*▲.{0,200}(?:연합뉴스|뉴시스|뉴스1|로이터|AP|AFP|EPA|신화|게티이미지|제공|DB|사진)\)?\s*$"
    ),  # caption
    re.compile(r"^\s*(?:▶|☞|▷).{0,120}$"),  # link lines
    re.compile(r"^\s*\[?\s*(?:관련\s*기사|관련\s*뉴스)\s*\]?\s*$"),
    re.compile(r"^\s*\(?끝\)?\s*$|^\s*<\s*끝\s*>\s*$"),
    re.compile(r"^\s*\*?\s*사진\s*설명\s*[:：]"),
    re.compile(r"^\s*\((?:END|끝)\)\s*$"),
    re.compile(
        r"^\s*(?:최초\s*)?(?:입력|수정|기사입력|기사수정|최종수정|등록|승인|작성일)\s*[:：]?\s*(?:19|20)\d{2}[.\-/]"
        r"[\d.\-/:\s]*(?:(?:수정|최종수정)\s*[:：]?\s*[\d.\-/:\s]*)?$"
    ),
]

# A line at which the article is over: everything from it on is furniture.
_CUT_LINES = re.compile(
    r"^\s*(?:주요\s*뉴스|많이\s*본\s*뉴스|관련\s*뉴스|오늘의\s*상승종목|실시간\s*암호화폐\s*시세|"
    r"이전글|다음글|이전\s*기사|다음\s*기사|만족도\s*조사.*|이\s*페이지에서\s*제공하는\s*정보에\s*대하여.*|"
    r"공공누리.*|담당\s*부서.*|담당자.*|첨부\s*파일.*|<\s*끝\s*>|붙임\s*[:：]?.*|※\s*별첨.*)\s*$"
)


_TABLE_RULE = re.compile(r"^[|\-: ]+$")


def is_furniture_line(line: str) -> bool:
    return any(rule.search(line) for rule in _LINE_RULES)


def clean_lines(lines: list[str], captions: set[str] | None = None) -> list[str]:
    """Drop furniture lines; stop at the first line that starts the after-article chrome."""
    captions = captions or set()
    kept: list[str] = []
    for raw in lines:
        line = re.sub(r"[ \t\u00a0\u200b]+", " ", raw).strip()
        if line.startswith("|"):  # trafilatura's markdown table rows → "a | b | c"
            if _TABLE_RULE.match(line):
                continue
            line = line.strip("| ").strip()
        if not line:
            continue
        if len(line) <= 60 and _CUT_LINES.match(line) and kept:
            break
        if line in captions:
            continue
        # before the line rules: a credit at the end of the last paragraph must not take the paragraph with it
        line = strip_credits(line)
        if not line or is_furniture_line(line):
            continue
        kept.append(line)
        if _END_MARK.search(line):  # government releases end with <끝>; what follows is 붙임/담당
            break
    return kept


_TAIL_CREDIT = re.compile(
    # an outlet or place before the name only with a bracket or a = or /, never a word of the sentence
    r"\s*(?:[\[(][가-힣A-Za-z ]{0,12}?[\s=/]\s*|[\[(/]|[가-힣A-Za-z]{1,10}\s*[=/]\s*)?"
    + _NAME + r"\s*(?:기자|특파원)" + _CONTACT + r"\s*[\])]?\s*$"
)


_LEAD_CREDIT = re.compile(
    r"^\s*(?:\[[^\]\n]{0,30}?" + _NAME + r"\s*(?:기자|특파원)\]|"
    r"\([^)\n]{0,20}=[^)\n]{0,20}\)\s*" + _NAME + r"\s*(?:기자|특파원)\s*=)\s*"
)
_END_MARK = re.compile(r"\s*<\s*끝\s*>\s*$")


def strip_credits(line: str) -> str:
    """`[부산=스포츠조선 홍길동 기자] 본문…`, `…처리했다.부산=홍길동 기자 a@b.com`: the sentence without
    the reporter credit."""
    line = _LEAD_CREDIT.sub("", line)
    if "@" not in line:
        return line
    return _TAIL_CREDIT.sub("", line).rstrip()


def strip_end_mark(line: str) -> str:
    """`…말했다. <끝>`: the sentence without the end mark (clean_lines stops at it)."""
    return _END_MARK.sub("", line)


__all__ = ["prune", "clean_lines", "strip_credits", "strip_end_mark", "text_of", "selector", "drop", "etree"]
