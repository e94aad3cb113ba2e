"""The search page's and /api/search's data: storage.search.search() paged, optionally collapsed by
story cluster, with highlight spans and the total number of matching articles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsarchive.web.params import MAX_PAGE, PAGE_SIZE, SearchParams, WebError
from storage.search import SearchError, SearchHit, search
from storage.search.api import MAX_LIMIT
from storage.search.timeline import count_matches

COUNT_CAP = MAX_PAGE * PAGE_SIZE
"""Matches are counted up to this many ("1,000+"), as many as the pages can show: an exact count of a
common word costs time (counting to 10,000 took a third as long as the search itself)."""

Parts = list[tuple[str, bool]]
"""Text cut at the highlight spans: (piece, matched)."""


def parts(text: str, spans: list[tuple[int, int]]) -> Parts:
    out: Parts = []
    last = 0
    for start, end in spans:
        if start > last:
            out.append((text[last:start], False))
        out.append((text[start:end], True))
        last = end
    if last < len(text):
        out.append((text[last:], False))
    return out


@dataclass(frozen=True)
class Result:
    hit: SearchHit
    copies: int  # articles in its story cluster (1 when none)

    @property
    def title_parts(self) -> Parts:
        return parts(self.hit.title, self.hit.title_spans)

    @property
    def snippet_parts(self) -> Parts:
        return parts(self.hit.snippet.text, self.hit.snippet.spans)

    def to_dict(self) -> dict[str, Any]:
        return {**self.hit.to_dict(), "copies": self.copies}


@dataclass(frozen=True)
class SearchPage:
    params: SearchParams
    results: list[Result]
    total: int  # articles matching, up to COUNT_CAP

    @property
    def total_text(self) -> str:
        return f"{self.total:,}+" if self.total >= COUNT_CAP else f"{self.total:,}"
    has_next: bool

    @property
    def first(self) -> int:
        return (self.params.page - 1) * PAGE_SIZE + 1

    def to_dict(self) -> dict[str, Any]:
        p = self.params
        return {"query": p.q, "filters": {k: str(v) if v else None for k, v in p.filters.kwargs().items()},
                "page": p.page, "page_size": PAGE_SIZE, "collapse": p.collapse, "total": self.total,
                "total_is_lower_bound": self.total >= COUNT_CAP,
                "has_next": self.has_next, "next": p.url("/api/search", page=p.page + 1) if self.has_next else None,
                "results": [r.to_dict() for r in self.results]}


def run_search(db_url: str, params: SearchParams) -> SearchPage:
    if not params.q:
        raise WebError(400, "empty query: give at least one word")
    wanted = params.page * PAGE_SIZE + 1  # one more, to know whether a next page exists
    try:
        total = count_matches(db_url, params.q, at_most=COUNT_CAP,
                              **params.filters.kwargs())  # type: ignore[arg-type]
        # Collapsing folds copies together, so it may need to look further down the ranking; most
        # results have no copies, so twice the page first (each hit costs a snippet and a BM25 score).
        for factor in ((2, 5) if params.collapse else (1,)):
            limit = min(wanted * factor, MAX_LIMIT)
            hits = search(db_url, params.q, limit=limit, **params.filters.kwargs())  # type: ignore[arg-type]
            ranked = _collapse(db_url, hits) if params.collapse else [Result(hit, 1) for hit in hits]
            if len(ranked) >= wanted or len(hits) < limit:
                break
    except SearchError as exc:
        raise WebError(400, str(exc)) from None
    start = (params.page - 1) * PAGE_SIZE
    shown = ranked[start:start + PAGE_SIZE]
    has_next = len(ranked) > start + PAGE_SIZE and params.page < MAX_PAGE
    return SearchPage(params, shown, total, has_next)


def _collapse(db_url: str, hits: list[SearchHit]) -> list[Result]:
    from storage.clusters import collapse
    from storage.db import transaction

    with transaction(db_url) as session:
        return [Result(c.hit, c.copies) for c in collapse(session, hits)]
