"""One date parser for pages and listings: every row goes through both callers.

The page side reads a date out of visible text (`pipelines.extraction.kodate.parse_date`, used by
pagedates.py); the listing side reads a list page's date cell (`crawler.listings.parse_list_page`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from core.items import PageItem
from crawler.listings import ListPageRule, parse_feed, parse_list_page
from pipelines.extract_stage import judge
from pipelines.extraction.kodate import parse_date, parse_datetime
from pipelines.messages import Policy

KST = timezone(timedelta(hours=9))

# (text, KST datetime, whether the text gives a time of day)
TABLE = [
    ("2024-04-05T14:03:00+09:00", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024-04-05T05:03:00Z", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024-04-05T05:03:00.250+00:00", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024-04-05T14:03:00", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024-04-04T22:03:00-07:00", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024-04-05 14:03:00 +0900", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("Fri, 05 Apr 2024 14:03:00 +0900", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("Fri, 05 Apr 2024 14:03:00 KST", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("Fri, 05 Apr 2024 05:03:00 GMT", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("5 Apr 2024 05:03 GMT", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024.04.05", datetime(2024, 4, 5, tzinfo=KST), False),
    ("2024.04.05.", datetime(2024, 4, 5, tzinfo=KST), False),
    ("2024. 4. 5.", datetime(2024, 4, 5, tzinfo=KST), False),
    ("2024/04/05", datetime(2024, 4, 5, tzinfo=KST), False),
    ("2024-04-05", datetime(2024, 4, 5, tzinfo=KST), False),
    ("2024-04-05 14:03", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024-04-05 14:03:27", datetime(2024, 4, 5, 14, 3, 27, tzinfo=KST), True),
    ("2024.04.05 14:03", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024.04.05 오후 2:03", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024.04.05 오전 9:30", datetime(2024, 4, 5, 9, 30, tzinfo=KST), True),
    ("2024.04.05 오전 12:10", datetime(2024, 4, 5, 0, 10, tzinfo=KST), True),
    ("2024.04.05 오후 12:10", datetime(2024, 4, 5, 12, 10, tzinfo=KST), True),
    ("2024.04.05. 오후 2:03", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024.04.05(금) 14:03", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024년 4월 5일", datetime(2024, 4, 5, tzinfo=KST), False),
    ("2024년 4월 5일 14시 03분", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024년 4월 5일 14시 3분 20초", datetime(2024, 4, 5, 14, 3, 20, tzinfo=KST), True),
    ("2024년 4월 5일 오후 2시 3분", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024년 4월 5일 14:03", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024년 04월 05일 (금) 오후 02:03", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("입력 2024-04-05 14:03 수정 2024-04-05 15:00", datetime(2024, 4, 5, 14, 3, tzinfo=KST), True),
    ("2024.04.05 25:70", datetime(2024, 4, 5, tzinfo=KST), False),
]
NOT_DATES = ["", "어제", "3시간 전", "2024.13.40", "Fri, 05 Foo 2024 14:03:00 GMT"]


@pytest.mark.parametrize(("text", "moment", "timed"), TABLE)
def test_page_side(text: str, moment: datetime, timed: bool) -> None:
    found = parse_date(text)
    assert found is not None, text
    assert found[0] == moment and found[0].utcoffset() == timedelta(hours=9)
    assert found[1] is timed


@pytest.mark.parametrize(("text", "moment", "timed"), TABLE)
def test_listing_side(text: str, moment: datetime, timed: bool) -> None:
    """A list page whose date cell holds the text gives the entry that very minute."""
    html = f'<ul><li><a href="/view?id=1">제목</a><span class="date">{text}</span></li></ul>'
    [entry] = parse_list_page(html, "https://www.example.go.kr/list", ListPageRule(row="li", date="span.date"))
    assert entry.listed_at == moment


@pytest.mark.parametrize(("text", "moment", "timed"), TABLE)
def test_feed_side(text: str, moment: datetime, timed: bool) -> None:
    rss = (f"<rss><channel><item><link>https://x.kr/a?idxno=1</link><pubDate>{text}</pubDate>"
           "</item></channel></rss>").encode()
    assert parse_feed(rss, "https://x.kr/")[0].listed_at == moment


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None
    assert parse_datetime(text) is None


def _judged_published(page: str, url: str, date_cell: str) -> datetime | None:
    """The published time stored for a page whose list-page row showed `date_cell`."""
    html = f'<ul><li><a href="{url}">제목</a><span class="date">{date_cell}</span></li></ul>'
    [entry] = parse_list_page(html, url, ListPageRule(row="li", date="span.date"))
    fixture = Path(__file__).parent / "fixtures" / "extraction" / "sites" / page
    item = PageItem(url=url, html=fixture.read_bytes(), source="t", fetched_at=datetime.now(KST),
                    listed_at=entry.listed_at)
    return judge(item, Policy(db_url="sqlite://")).article.published_at


def test_a_listing_minute_completes_a_page_that_shows_only_the_day() -> None:
    """korea.kr view pages show `2024.04.05`; the list row's `오후 2:03` gives the minute."""
    url = "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156622001"
    assert _judged_published("korea-kr-156622001.html", url, "2024.04.05 오후 2:03") == datetime(
        2024, 4, 5, 14, 3, tzinfo=KST)


def test_a_listing_day_never_overrides_the_page_minute() -> None:
    url = "https://www.etoday.co.kr/news/view/2412380"
    assert _judged_published("etoday-2412380-msit.html", url, "2024.04.05") == datetime(
        2024, 4, 5, 14, 3, tzinfo=KST)
