"""`search()`: the one entry point the CLI and notebooks use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import DBAPIError

from storage.db import get_engine
from storage.search.backends import postgres_search, sqlite_search
from storage.search.filters import build_filters
from storage.search.query import SearchError, parse
from storage.search.snippet import Snippet, make_snippet, spans, term_pattern

MAX_LIMIT = 1000


@dataclass(frozen=True)
class SearchHit:
    id: int
    title: str
    source: str
    published_at: datetime | None  # aware, UTC
    ministries: list[str]
    snippet: Snippet
    url: str
    score: float  # higher is better; comparable only within one result list
    section: str = ""
    title_spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO 8601 in KST, the snippet with [..] markers and raw spans."""
        from core.timewindow import KST

        when = self.published_at.astimezone(KST).isoformat(timespec="minutes") if self.published_at else None
        return {"id": self.id, "title": self.title, "source": self.source, "published_at": when,
                "section": self.section, "ministries": list(self.ministries), "url": self.url,
                "score": round(self.score, 6), "snippet": self.snippet.marked(),
                "snippet_text": self.snippet.text, "snippet_spans": [list(s) for s in self.snippet.spans]}


def search(db_url: str, query: str, *, source: str | None = None, ministry: str | None = None,
           since: date | None = None, until: date | None = None, section: str | None = None,
           limit: int = 20) -> list[SearchHit]:
    """Search the archive; best matches first, newest first among equal scores.

    `query`: words (all must match), "exact phrases", -excluded words or phrases, and `a OR b`. Korean
    is matched by character bigrams, so a word of two or more syllables matches wherever it appears,
    inside compounds and before particles (재난 finds 재난안전관리, 재난을); a one-syllable word only
    matches where a word starts with it. English words and numbers match whole words, case-insensitively.
    `ministry`: an official name or abbreviation (행안부). `since`/`until`: inclusive KST days.
    Raises SearchError (a ValueError) with a one-line message for a query or filter it cannot use.
    """
    parsed = parse(query)
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit must be between 1 and {MAX_LIMIT}")
    where = build_filters(source, ministry, since, until, section)
    engine = get_engine(db_url)
    run = postgres_search if engine.dialect.name == "postgresql" else sqlite_search
    try:
        with engine.connect() as conn:
            facets = where.facets(conn)
            found = run(conn, parsed, facets, limit) if facets is not None else []
    except DBAPIError as exc:
        # Only our own generated expressions reach the engine, so this is a server-side limit or bug.
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise SearchError(f"search failed: {reason}") from exc
    pattern = term_pattern(parsed.positive)
    return [SearchHit(id=row.id, title=row.title, source=row.source, published_at=row.published_at,
                      ministries=list(row.ministries or []), snippet=make_snippet(row.body, pattern),
                      url=row.url, score=score, section=row.section,
                      title_spans=spans(row.title, pattern)) for row, score in found]



