"""A local copy of etoday.co.kr and korea.kr for `newsarchive demo` and the tests, built for a given KST day,
with its expected outcome.

    site = build_site(today)            # {host: {"/path?query": Resource}}
    expected = build_expected(today)    # Expected: every listed item and what a crawl makes of it
    with serve(site) as running:        # newsarchive.demo.site.server.serve: one local server per host
        run(["newsarchive", "crawl", "etoday", *running.mirror_args(), ...])
        running.hits                    # [(host, "/path?query"), ...]

Pages and expected records are generated from the same records (content_etoday.STORIES,
content_korea_kr.RELEASES), so the truth lives in one place.
"""

from __future__ import annotations

from datetime import date

from newsarchive.demo.site.etoday import build_etoday, expected_etoday
from newsarchive.demo.site.expected import FURNITURE_MARKERS, KST, Expected, ExpectedArticle, default_window
from newsarchive.demo.site.korea_kr import build_korea_kr, expected_korea_kr
from newsarchive.demo.site.resources import Resource, Site

__all__ = [
    "FURNITURE_MARKERS", "KST", "Expected", "ExpectedArticle", "Resource", "Site",
    "build_etoday", "build_expected", "build_korea_kr", "build_site", "default_window",
]
# serve/RunningSite live in newsarchive.demo.site.server (`newsarchive demo` serves the sites).


def build_site(today: date) -> Site:
    """Both sites' pages, dated relative to `today` (a KST day)."""
    return {**build_etoday(today), **build_korea_kr(today)}


def build_expected(today: date) -> Expected:
    return Expected(today=today, etoday=expected_etoday(today), korea_kr=expected_korea_kr(today))
