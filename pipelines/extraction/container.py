"""Choosing the element that holds the article: site profile, then generic selectors, then scoring."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from pipelines.extraction.furniture import link_text_length, might_match, selector, text_of
from pipelines.extraction.profiles import GENERIC_CONTAINERS, SiteProfile

MIN_CONTAINER_TEXT = 80
_BLOCKS = ("p", "div", "td", "li", "section", "article", "span", "font", "dd")
_SKIP = re.compile(
    r"comment|footer|header|gnb|lnb|nav|menu|sidebar|aside|banner|rank|popular|relat|list", re.I
)


def by_selectors(doc: HtmlElement, selectors: tuple[str, ...], source: str = "") -> HtmlElement | None:
    for css in selectors:
        if not might_match(css, source):
            continue
        found = [
            el
            for el in selector(css)(doc)
            if len(text_of(el)) >= MIN_CONTAINER_TEXT or el.find(".//*[@data-newsarchive-frame]") is not None
        ]
        if found:
            # several matches (e.g. one [itemprop=articleBody] per paragraph): take their common parent
            if len(found) > 1 and all(el.getparent() is found[0].getparent() for el in found):
                parent = found[0].getparent()
                if parent is not None:
                    return parent
            return max(found, key=lambda el: len(text_of(el)))
    return None


def by_score(doc: HtmlElement) -> HtmlElement | None:
    """Readability-style: the parent that collects the most prose (non-link text in sentences)."""
    scores: dict[HtmlElement, float] = {}
    body = doc.find("body")
    root = body if body is not None else doc
    for el in root.iter(*_BLOCKS):
        own = " ".join(t.strip() for t in [el.text or "", *[(c.tail or "") for c in el]] if t and t.strip())
        if len(own) < 25:
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        if _SKIP.search(attrs):
            continue
        weight = len(own) + 40 * (own.count("다.") + own.count(". "))
        scores[el] = scores.get(el, 0.0) + weight
        parent = el.getparent()
        if parent is not None and el.tag in ("p", "br", "span", "font"):
            scores[parent] = scores.get(parent, 0.0) + weight
    if not scores:
        return None
    best = max(scores, key=lambda el: scores[el])
    # climb while the parent is not much bigger (wrappers around a single column)
    while True:
        parent = best.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        text, parent_text = len(text_of(best)), len(text_of(parent))
        if parent_text > text * 1.25 or link_text_length(parent) > 0.3 * parent_text:
            break
        best = parent
    return best


def find_container(doc: HtmlElement, profile: SiteProfile | None, source: str = "") -> HtmlElement | None:
    if profile is not None:
        found = by_selectors(doc, profile.container, source)
        if found is not None:
            return found
    found = by_selectors(doc, GENERIC_CONTAINERS, source)
    if found is not None:
        return found
    return by_score(doc)
