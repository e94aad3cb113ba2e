"""storage.search.timeline: a query's matches counted per KST day, week or month, split by ministry or
source, on both backends, agreeing with search()."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from storage.search import SearchError, search
from storage.search.timeline import count_matches, count_timeline
from tests.web_archive import BRIEFING_MINISTRIES, BRIEFINGS, WebArchive, briefing_day


def test_weekly_counts_use_korean_days(web_archive: WebArchive) -> None:
    counts = count_timeline(web_archive.url, "브리핑", bucket="week", source="korea_kr")
    # every Monday holds two releases, one at 08:30 KST (Sunday in UTC): both land in the Monday week
    assert [(c.start, c.articles) for c in counts] == [(briefing_day(n), 2) for n in range(0, BRIEFINGS, 2)]
    days = count_timeline(web_archive.url, "브리핑", bucket="day", source="korea_kr")
    assert {c.start.weekday() for c in days} == {0}
    months = count_timeline(web_archive.url, "브리핑", bucket="month", source="korea_kr")
    expected = Counter(briefing_day(n).replace(day=1) for n in range(BRIEFINGS))
    assert {c.start: c.articles for c in months} == expected


def test_split_by_ministry_and_source(web_archive: WebArchive) -> None:
    counts = count_timeline(web_archive.url, "브리핑", bucket="month", split="ministry", source="korea_kr")
    per_ministry: Counter[str] = Counter()
    for c in counts:
        per_ministry[c.key] += c.articles
    assert per_ministry == {name: BRIEFINGS // len(BRIEFING_MINISTRIES) for name in BRIEFING_MINISTRIES}
    by_source = count_timeline(web_archive.url, "행정안전부", bucket="month", split="source")
    assert {c.key for c in by_source} == {"etoday", "korea_kr"}


def test_filters_and_total_agree_with_search(web_archive: WebArchive) -> None:
    url = web_archive.url
    since, until = briefing_day(4), briefing_day(9)
    counted = count_timeline(url, "브리핑", bucket="day", ministry="행안부", since=since, until=until)
    found = search(url, "브리핑", ministry="행안부", since=since, until=until, limit=100)
    assert sum(c.articles for c in counted) == len(found) == count_matches(
        url, "브리핑", ministry="행안부", since=since, until=until) > 0
    assert all(since <= c.start <= until for c in counted)
    assert count_matches(url, "브리핑 -행정안전부") == len(search(url, "브리핑 -행정안전부", limit=100))
    assert count_matches(url, "브리핑", since=date(2030, 1, 1)) == 0
    assert count_matches(url, "브리핑", at_most=5) == 5 and count_matches(url, "브리핑", at_most=500) == BRIEFINGS
    assert count_timeline(url, "브리핑", since=briefing_day(30) + timedelta(days=400)) == []


def test_bad_queries_and_options_raise_search_error(web_archive: WebArchive) -> None:
    for bad in ("", '"', "-브리핑", "x" * 10_000):
        with pytest.raises(SearchError):
            count_matches(web_archive.url, bad)
    with pytest.raises(SearchError, match="unknown ministry"):
        count_timeline(web_archive.url, "브리핑", ministry="없는부")
    with pytest.raises(SearchError, match="interval"):
        count_timeline(web_archive.url, "브리핑", bucket="year")  # type: ignore[arg-type]
    with pytest.raises(SearchError, match="split"):
        count_timeline(web_archive.url, "브리핑", split="section")  # type: ignore[arg-type]
