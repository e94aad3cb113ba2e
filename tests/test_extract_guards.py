"""Extraction skips a selector whose class names, or an attribute look-up whose name, the page source does not
hold (furniture.select, might_match, pagedates): on real pages, every guarded look-up finds exactly what the
unguarded one finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml.html import document_fromstring

from pipelines.extraction.decode import decode_html
from pipelines.extraction.furniture import might_match, select, selector
from sites.registry import all_sites

PAGES = sorted(Path(__file__).parent.glob("fixtures/**/*.html"))  # every site's pages and the shared corpus
PROFILES = [site.profile for site in all_sites() if site.profile is not None]
SELECTOR_LISTS = sorted({css for profile in PROFILES
                         for css in (profile.header, profile.author, profile.deck, profile.subtitle, profile.section)
                         if css})
ATTRIBUTES = {"[data-date-time]": "data-date-time", "[data-modify-date-time]": "data-modify-date-time",
              "time[datetime]": "datetime"}  # the look-ups pagedates guards, and the name each needs


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_guarded_look_ups_find_what_unguarded_ones_do(page: Path) -> None:
    markup = decode_html(page.read_bytes(), None)[0]
    doc = document_fromstring(markup)
    for css in SELECTOR_LISTS:
        assert select(doc, css, markup) == selector(", ".join(css))(doc), (page.name, css)
        for part in css:
            if selector(part)(doc):
                assert might_match(part, markup), (page.name, part)
    lowered = markup.lower()
    for look_up, name in ATTRIBUTES.items():
        if selector(look_up)(doc):
            assert name in lowered, (page.name, look_up)


def test_the_guard_skips_selectors_the_source_cannot_match() -> None:
    markup = '<html><body><p class="byline">홍길동 기자</p><p class="sub_title">부제</p></body></html>'
    doc = document_fromstring(markup)
    assert [el.text for el in select(doc, (".reporter", "p.byline"), markup)] == ["홍길동 기자"]
    assert select(doc, (".reporter", ".writer"), markup) == []
    assert [el.text for el in select(doc, ("p.sub_title", "p.byline"), None)] == ["홍길동 기자", "부제"]
