"""Search filters as groups of facet tokens for the index (facets.py says why)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, func, select

from core.timewindow import KST
from storage.models import Article
from storage.search.facets import date_tokens, name_token
from storage.search.query import SearchError


@dataclass(frozen=True)
class Filters:
    source: str | None = None
    ministry: str | None = None  # official name
    since: date | None = None  # inclusive KST days
    until: date | None = None
    section: str | None = None

    def facets(self, conn: Connection) -> list[list[str]] | None:
        """Groups of facet tokens, one of each group required; None if no article can pass."""
        groups = [[name_token(kind, value)] for kind, value in
                  (("i", self.ministry), ("s", self.source), ("c", self.section)) if value]
        if self.since or self.until:
            oldest, newest = _archive_days(conn)
            first = self.since or oldest
            last = self.until or newest
            if first is None or last is None:  # no article has a publication date
                return None
            days = date_tokens(first, last, oldest, newest)
            if not days:
                return None
            groups.append(days)
        return groups


def build_filters(source: str | None = None, ministry: str | None = None, since: date | None = None,
                  until: date | None = None, section: str | None = None) -> Filters:
    """The filters of a search or a count; `ministry` an official name or abbreviation. Raises
    SearchError for an unknown ministry or a reversed date range."""
    from core.ministries import resolve_ministry

    official = None
    if ministry:
        official = resolve_ministry(ministry)
        if official is None:
            raise SearchError(f"unknown ministry {ministry!r}: give an official name or abbreviation")
    if since and until and since > until:
        raise SearchError(f"--since {since} is after --until {until}")
    return Filters(source, official, since, until, section)


def _archive_days(conn: Connection) -> tuple[date | None, date | None]:
    """The KST days of the oldest and newest publication dates (two index lookups)."""
    oldest, newest = conn.execute(select(select(func.min(Article.published_at)).scalar_subquery(),
                                         select(func.max(Article.published_at)).scalar_subquery())).one()

    def day(value: datetime | str | None) -> date | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite returns a subquery's value as stored: naive UTC text
            value = datetime.fromisoformat(value).replace(tzinfo=UTC)
        return value.astimezone(KST).date()

    return day(oldest), day(newest)
