"""The html pages: search, article, timeline, runs and health. Every value reaches the templates as
data and is escaped there (autoescape); nothing crawled is ever marked safe."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsarchive.web.app import render
from newsarchive.web.article_view import article_data
from newsarchive.web.chart import svg
from newsarchive.web.params import TimelineParams, clean, search_params, timeline_params
from newsarchive.web.runs_view import runs_data
from newsarchive.web.search_view import run_search
from newsarchive.web.timeline_view import build_timeline

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query()]


@router.get("/", response_class=HTMLResponse)
@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Text = None, ministry: Text = None, source: Text = None,
                section: Text = None, since: Text = None, until: Text = None, page: Text = None,
                collapse: Text = None) -> HTMLResponse:
    params = search_params(q, ministry, source, section, since, until, page, collapse)
    found = run_search(request.app.state.db_url, params) if params.q else None
    timeline = TimelineParams((params.q,), params.filters) if params.q else None
    return render(request, "search.html", params=params, found=found, timeline=timeline)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    article = article_data(request.app.state.db_url, article_id)
    return render(request, "article.html", article=article)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, q: Annotated[list[str] | None, Query()] = None, ministry: Text = None,
                  source: Text = None, section: Text = None, since: Text = None, until: Text = None,
                  interval: Text = None, split: Text = None) -> HTMLResponse:
    params = timeline_params(q, ministry, source, section, since, until, interval, split)
    timeline = build_timeline(request.app.state.db_url, params) if params.queries else None
    chart = svg(timeline) if timeline else None
    return render(request, "timeline.html", params=params, timeline=timeline, chart=chart)


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request, spider: Text = None) -> HTMLResponse:
    name = clean("spider", spider)
    data = runs_data(request.app.state.db_url, name, 50, request.app.state.config_path)
    return render(request, "runs.html", spider=name, **data)


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    routes = [(route.path, getattr(route, "summary", "") or "") for route in request.app.routes
              if getattr(route, "path", "").startswith("/api/")]
    return render(request, "api.html", routes=routes)


