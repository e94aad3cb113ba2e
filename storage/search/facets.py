"""Filter values as index tokens, so the search filters are intersections inside the full-text index.

Each article's index entry gets, in its own `facets` column (SQLite) or in its tsvector (PostgreSQL),
one token per ministry, its source, its section and its publication year, month and day in KST. A
filtered search then asks the index for `재난 AND <행정안전부> AND (<2025> OR <2026>)`: the index
intersects the lists and walks only the articles that pass, where checking each match against the
articles table took 250 ms at a million articles (most matches of a common word fail the filters).

Facet tokens start with FACET_MARK, a character the text tokenizer never emits (tokens.py keeps only
CJK characters and ASCII letters and digits), so no query word can match a facet. Names are written as
hex of their UTF-8 bytes: any source, section or ministry name is a single token for both FTS5's
'ascii' tokenizer and a tsvector. PostgreSQL builds the same tokens in `ko_facets` (schema_facets.py);
tests/test_search_facets.py checks the two agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from core.timewindow import KST

FACET_MARK = "§"
# A tsvector lexeme holds at most 2047 bytes: a name's token covers its first 1,000 UTF-8 bytes, or a long
# section would make its article unstorable on PostgreSQL (issue 15). No real name comes near.
MAX_NAME_BYTES = 1000


def name_token(kind: str, name: str) -> str:
    """`kind` is one letter: i (ministry), s (source), c (section)."""
    return f"{FACET_MARK}{kind}{name.encode()[:MAX_NAME_BYTES].hex()}"


BLOCK_IDS = 4096
"""PostgreSQL only: each index row also carries the token of its block of BLOCK_IDS article ids, FACET_MARK
n and the block's number (entries.BLOCK), so that a search can ask the GIN index for the newest blocks
first (migration 0011; schema_rows.WALK_FUNCTION)."""


def year_token(year: int) -> str:
    return f"{FACET_MARK}y{year:04d}"


def month_token(year: int, month: int) -> str:
    return f"{FACET_MARK}m{year:04d}{month:02d}"


def day_token(day: date) -> str:
    return f"{FACET_MARK}d{day:%Y%m%d}"


def facet_tokens(source: str | None, section: str | None, ministries: Iterable[str],
                 published_at: datetime | None) -> list[str]:
    """An article's facet tokens; `published_at` aware (or naive UTC, as SQLite stores it)."""
    out = [name_token("i", name) for name in dict.fromkeys(ministries) if name]
    if source:
        out.append(name_token("s", source))
    if section:
        out.append(name_token("c", section))
    if published_at is not None:
        if published_at.tzinfo is None:
            published_at = published_at.replace(tzinfo=UTC)
        day = published_at.astimezone(KST).date()
        out += [year_token(day.year), month_token(day.year, day.month), day_token(day)]
    return out


def facet_text(source: str | None, section: str | None, ministries_json: str | None,
               published_at: str | None) -> str:
    """SQL function `ko_facets` for the SQLite triggers: columns as stored, tokens joined by spaces."""
    try:
        names = json.loads(ministries_json) if ministries_json else []
    except ValueError:
        names = []
    names = [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
    when = datetime.fromisoformat(published_at) if published_at else None
    return " ".join(facet_tokens(source, section, names, when))


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def date_tokens(first: date, last: date, oldest: date | None = None, newest: date | None = None) -> list[str]:
    """The fewest year, month and day tokens covering the KST days first..last (inclusive).

    `oldest`/`newest`: the archive's first and last publication days. Nothing lies outside them, so a
    range reaching past them is widened to whole years there (since 2025-03-04 with no end is
    `<2025-03-04..31> <2025-04..12> <2026>`, not one token per remaining day)."""
    if newest is not None and last >= newest >= first:
        last = date(newest.year, 12, 31)
    if oldest is not None and first <= oldest <= last:
        first = date(oldest.year, 1, 1)
    out: list[str] = []
    day = first
    while day <= last:
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= last:
            out.append(year_token(day.year))
            day = date(day.year + 1, 1, 1)
        elif day.day == 1 and _next_month(day) - timedelta(days=1) <= last:
            out.append(month_token(day.year, day.month))
            day = _next_month(day)
        else:
            out.append(day_token(day))
            day += timedelta(days=1)
    return out
