"""The truth a test asserts against: one record per listed item, generated with the page itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from core.timewindow import DEFAULT_WINDOW_DAYS, KST

# Text that must never reach an archived body (page furniture of both sites).
FURNITURE_MARKERS: tuple[str, ...] = (
    "URL공유", "카카오톡", "가장크게", "기본크기", "좋아요", "화나요", "추가취재", "주요뉴스", "많이 본 뉴스",
    "관련 뉴스", "댓글", "실시간 암호화폐 시세", "오늘의 상승종목", "e스튜디오", "@etoday.co.kr",
    "저작권자", "무단전재", "[관련기사]", "실시간 시세", "만족도", "공공누리", "담당부서", "담당자",
    "첨부파일", "이전글", "다음글",
)


def kst(today: date, days_ago: int, hhmm: str) -> datetime:
    """The KST moment `days_ago` days before `today` at `hh:mm`."""
    return datetime.combine(today - timedelta(days=days_ago), time.fromisoformat(hhmm), KST)


def default_window(today: date) -> tuple[date, date]:
    """The crawl's default window (KST days, inclusive)."""
    return today - timedelta(days=DEFAULT_WINDOW_DAYS - 1), today


@dataclass(frozen=True)
class ExpectedArticle:
    """What a correct crawl makes of one listed URL.

    `kind` is "article", "photo" (photo-only item) or "not_found" (error page served with 200).
    `published` is KST to the minute; for korea.kr the view page shows only the day and the minute
    comes from the RSS pubDate (`page_date_only`). `body` holds the paragraphs in order (korea.kr:
    without the closing `<끝>` marker); `subtitle` the subtitle lines joined by newlines as printed.
    `duplicate_of` names the canonical URL whose body this item repeats (same story, another id):
    a crawl that meets this one first may store it and record the other as the duplicate, so compare
    duplicate groups, not directions, when the crawl order is not fixed."""

    source: str
    url: str
    title: str
    published: datetime
    kind: str = "article"
    modified: datetime | None = None
    ministries: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    subtitle: str = ""
    body: tuple[str, ...] = ()
    duplicate_of: str | None = None
    listed_as: tuple[str, ...] = ()
    served_charset: str = "utf-8"
    declared_charset: str = "utf-8"
    page_date_only: bool = False
    images: tuple[tuple[str, str], ...] = ()
    section: str = ""
    extras: frozenset[str] = field(default_factory=frozenset)

    @property
    def body_text(self) -> str:
        return "\n".join(self.body)

    def in_window(self, since: date, until: date) -> bool:
        return since <= self.published.astimezone(KST).date() <= until

    def archived_in(self, since: date, until: date) -> bool:
        """Stored as an article by a crawl of [since, until]: an in-window article that names a ministry
        and is not a repeat of another item's body."""
        return (self.kind == "article" and bool(self.ministries) and self.duplicate_of is None
                and self.in_window(since, until))


@dataclass(frozen=True)
class Expected:
    """Every listed item of both sites, and the day the site was built for."""

    today: date
    etoday: tuple[ExpectedArticle, ...]
    korea_kr: tuple[ExpectedArticle, ...]

    def items(self, source: str | None = None) -> tuple[ExpectedArticle, ...]:
        if source is None:
            return self.etoday + self.korea_kr
        return {"etoday": self.etoday, "korea_kr": self.korea_kr}[source]

    def by_url(self, url: str) -> ExpectedArticle:
        for item in self.items():
            if item.url == url:
                return item
        raise KeyError(url)

    def archived(self, source: str | None = None, since: date | None = None,
                 until: date | None = None) -> tuple[ExpectedArticle, ...]:
        """Items a crawl of [since, until] (default: yesterday and today) leaves in the archive."""
        d_since, d_until = default_window(self.today)
        return tuple(a for a in self.items(source) if a.archived_in(since or d_since, until or d_until))

    def duplicates(self, source: str | None = None) -> tuple[ExpectedArticle, ...]:
        return tuple(a for a in self.items(source) if a.duplicate_of is not None)

    def duplicate_groups(self, source: str | None = None) -> list[frozenset[str]]:
        """Canonical URLs sharing one body; a crawl stores exactly one of each (whichever it met first)."""
        groups: dict[str, set[str]] = {}
        for item in self.items(source):
            if item.duplicate_of:
                groups.setdefault(item.duplicate_of, {item.duplicate_of}).add(item.url)
        return [frozenset(g) for g in groups.values()]
