"""The JSON API behind every page; FastAPI describes it at /openapi.json. Errors are
{"error": "<one line>", "status": N} with that HTTP status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from newsarchive.web.article_view import article_data, raw_html
from newsarchive.web.params import WebError, clean, number, search_params, timeline_params
from newsarchive.web.runs_view import runs_data
from newsarchive.web.search_view import run_search
from newsarchive.web.timeline_view import build_timeline

router = APIRouter(prefix="/api", tags=["api"])

Text = Annotated[str | None, Query()]
FILTERS_DOC = ("Filters: ministry (official name or abbreviation, 행안부), source (spider name), section, "
               "since/until (KST days, YYYY-MM-DD, inclusive).")


@router.get("/search", summary="Search the archive", description=(
    "The query language of `newsarchive search`: words (all must match), \"exact phrases\", -exclusions, "
    "a OR b. " + FILTERS_DOC + " page (1-50, 20 results each); collapse=1 gives one result per story "
    "cluster with its number of copies. `total` counts every matching article."))
def api_search(request: Request, q: Text = None, ministry: Text = None, source: Text = None,
               section: Text = None, since: Text = None, until: Text = None, page: Text = None,
               collapse: Text = None) -> dict[str, Any]:
    params = search_params(q, ministry, source, section, since, until, page, collapse)
    return run_search(request.app.state.db_url, params).to_dict()


@router.get("/articles/{article_id}", summary="One article", description=(
    "Title, subtitle, authors, dates (KST), ministries, links, attachments, the clean body, the other "
    "members of its story cluster and its revisions with word diffs (segments of same/removed/added/gap)."))
def api_article(request: Request, article_id: str) -> dict[str, Any]:
    return article_data(request.app.state.db_url, article_id)


@router.get("/articles/{article_id}/raw", summary="The crawled html, as a plain-text download",
            response_class=Response)
def api_raw(request: Request, article_id: str) -> Response:
    ident, html, encoding = raw_html(request.app.state.db_url, article_id)
    try:
        text = html.decode(encoding, errors="replace")
    except LookupError:
        text = html.decode("utf-8", errors="replace")
    # text/plain, an attachment and a sandbox: a browser never renders the crawled page as html
    return Response(text, media_type="text/plain; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="article-{ident}.html.txt"',
        "content-security-policy": "sandbox; default-src 'none'"})


@router.get("/timeline", summary="Matching articles over time", description=(
    "Articles matching each q (repeat q to compare up to 3 queries) per interval (day, week, month or "
    "auto), or for one query split by ministry or source. " + FILTERS_DOC +
    " format=csv gives the counts as CSV (query, bucket start, key, articles)."), response_model=None)
def api_timeline(request: Request, q: Annotated[list[str] | None, Query()] = None, ministry: Text = None,
                 source: Text = None, section: Text = None, since: Text = None, until: Text = None,
                 interval: Text = None, split: Text = None, format: Text = None) -> dict[str, Any] | Response:
    params = timeline_params(q, ministry, source, section, since, until, interval, split)
    as_csv = format == "csv"
    if format not in (None, "", "json", "csv"):
        raise WebError(400, f"format must be json or csv, not {format[:40]!r}")
    timeline = build_timeline(request.app.state.db_url, params)
    if as_csv:
        return Response(timeline.to_csv(), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": 'attachment; filename="timeline.csv"'})
    return timeline.to_dict()


@router.get("/runs", summary="Crawl runs and spider health", description=(
    "The newest crawl runs (as `newsarchive runs --json`, times in KST; a distributed run's `parts` are its "
    "workers: host, pid, started_at, heartbeat_at, status, counters) and each scheduled spider's health "
    "(as `newsarchive health --json`)."))
def api_runs(request: Request, spider: Text = None, limit: Text = None) -> dict[str, Any]:
    return runs_data(request.app.state.db_url, clean("spider", spider), number("limit", limit, 50, 1, 1000),
                     request.app.state.config_path)
