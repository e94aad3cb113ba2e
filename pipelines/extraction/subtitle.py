"""Subtitle lines: deck elements before the body and government `- … -` dashed lines."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from pipelines.extraction.body import render_text
from pipelines.extraction.furniture import drop, might_match, select, selector, text_of

GENERIC_SUBTITLE_CSS = (
    ".subtitle_box",
    ".sub_title",
    ".subtitle",
    ".sub-title",
    ".stitle",
    "h3.news_subtitle",
    ".news_subtitle",
    ".article-subtitle",
    ".art_subtit",
    ".summary_area",
    ".midtitle",
    "h2.sub_tit",
    ".article_summary",
    "h4.subtitle",
    "[class*=mid_title]",
    "[class*=midtitle]",
    "[class*=sub-tit]",
    "[class*=sub_tit]",
    "[class*=subtit]",
)
_DASHED = re.compile(r"^\s*[-–—]\s*(.+?)\s*[-–—]\s*$")


def take_subtitles(container: HtmlElement, extra: tuple[str, ...] = (), source: str | None = None) -> list[str]:
    """Subtitle elements inside the container: their lines, removed from the container. `source`: the page's
    markup, when given, spares the selectors it cannot match (furniture.might_match)."""
    lines: list[str] = []
    full = text_of(container)
    for css in (*extra, *GENERIC_SUBTITLE_CSS):
        if not might_match(css, source):
            continue
        for el in selector(css)(container):
            if el is container or el.getparent() is None:
                continue
            text = text_of(el)
            # only decks at the top: the same boxes further down are the article's inter-titles
            if not text or len(text) > 400 or full.find(text) > 150:
                continue
            lines += render_text(el)
            drop(el)
    return list(dict.fromkeys(lines))


_SENTENCE_END = re.compile(r"(?:다|요|음|함|임)\s*[.!?]?[\"”’']?\s*$|[.!?]\s*$")
_LEAD_DASH = re.compile(r"^\s*[-–—]\s+\S")


def leading_subtitles(lines: list[str]) -> tuple[list[str], list[str]]:
    """Subtitle lines at the top of the body → (subtitle lines, rest).

    Government `- … -` (or `- …`) lines, and up to three short headline-like lines (no sentence
    ending) directly followed by a full paragraph."""
    subs: list[str] = []
    index = 0
    while (
        index < len(lines) and index < 6 and (_DASHED.match(lines[index]) or _LEAD_DASH.match(lines[index]))
    ):
        subs.append(lines[index].strip())
        index += 1
    short = index
    while (
        short < len(lines)
        and short - index < 3
        and len(lines[short]) <= 60
        and not _SENTENCE_END.search(lines[short])
    ):
        short += 1
    if short > index and short < len(lines) and len(lines[short]) >= 60:
        subs += [line.strip() for line in lines[index:short]]
        index = short
    return subs, lines[index:]


def near_title(doc: HtmlElement, title: str) -> list[str]:
    """Dashed subtitle lines right after the visible headline (government board headers)."""
    if not title:
        return []
    for el in doc.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong"):
        if len(el) > 3 or text_of(el) != title:
            continue
        sibling = el.getnext()
        for _ in range(2):
            while sibling is not None and not isinstance(sibling.tag, str):
                sibling = sibling.getnext()
            if sibling is None:
                break
            for br in sibling.iter("br"):
                br.tail = "\n" + (br.tail or "")
            lines = [re.sub(r"\s+", " ", t).strip() for t in sibling.text_content().split("\n") if t.strip()]
            if lines and all(_DASHED.match(x) or _LEAD_DASH.match(x) for x in lines):
                return lines
            sibling = sibling.getnext()
        return []
    return []


def decks_before(doc: HtmlElement, container: HtmlElement, css: tuple[str, ...],
                 source: str | None = None) -> list[str]:
    """Deck lines a site puts under the headline, outside the article container (etoday's
    `h2.sub_title`, two lines joined by `<br>`): only elements that come before the container.
    `source`: as for take_subtitles."""
    if not css:
        return []
    found = select(doc, css, source)
    if not found:
        return []
    root, start = _position(container)
    lines: list[str] = []
    for el in found:
        text = text_of(el)
        # a container outside the page (a script payload's) comes after every element of it
        if not text or len(text) > 400 or (root is doc and _position(el)[1] >= start) or el.find(".//a") is not None:
            continue
        lines += render_text(el)
    return list(dict.fromkeys(lines))


def _position(el: HtmlElement) -> tuple[HtmlElement, list[int]]:
    """The element's root and its place in document order (doc.iter()'s): the child indices from the root
    down, compared as lists (an ancestor, a prefix, comes first). Cheaper than numbering the whole tree."""
    path: list[int] = []
    parent = el.getparent()
    while parent is not None:
        path.append(parent.index(el))
        el, parent = parent, parent.getparent()
    path.reverse()
    return el, path


def split_html_lines(value: str) -> list[str]:
    """`a<br>b` payload strings → lines."""
    value = re.sub(r"<br\s*/?>", "\n", value, flags=re.I)
    value = re.sub(r"<[^>]+>", "", value)
    return [line.strip() for line in value.split("\n") if line.strip()]
