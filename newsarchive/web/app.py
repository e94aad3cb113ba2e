"""The web explorer's application: routes (pages.py, api.py), security headers, and errors as a page or
as JSON, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsarchive.web.params import WebError
from storage.db import DatabaseError

HERE = Path(__file__).parent
log = logging.getLogger("newsarchive.web")

# No inline script or style anywhere (the chart is SVG with presentation attributes), so nothing an
# article's text smuggles into a page could run even if it escaped the templates' escaping.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (plain ASGI: no per-request task as in BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    from newsarchive.web.chart import colour

    env.globals["colour"] = colour
    env.filters["human"] = human_time
    env.filters["duration"] = duration
    return env


def human_time(value: object) -> str:
    """An ISO 8601 time (KST) as `2026-12-03 14:05 KST`; "-" for none."""
    from datetime import datetime

    from core.timewindow import KST

    if not value:
        return "-"
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M KST")


def duration(seconds: object) -> str:
    if not isinstance(seconds, int | float):
        return "-"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    return HTMLResponse(env.get_template(name).render(request=request, **context), status_code=status)


def error_response(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return render(request, "error.html", status=status, status_code=status, message=message)


def create_app(db_url: str, config_path: str | None = None, cache: bool = True) -> FastAPI:
    """The application over an archive URL that is already read-only (database.open_read_only);
    `cache`: keep answers while the archive is unchanged (response_cache.py)."""
    from newsarchive.web import api, pages
    from newsarchive.web.archive_version import ArchiveVersion
    from newsarchive.web.response_cache import ResponseCache

    version = ArchiveVersion(db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        version.close()

    app = FastAPI(title="newsarchive", version="1", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Read-only JSON API of the newsarchive web explorer: search, articles, "
                              "attention over time, crawl runs. Times are KST (+09:00).")
    app.state.db_url = db_url
    app.state.config_path = config_path
    app.state.templates = templates()
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ())[1:])
        return error_response(request, 400, f"bad parameter {where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(DatabaseError)
    async def database_error(request: Request, exc: DatabaseError) -> Response:
        return error_response(request, 503, f"the archive cannot be read: {exc}")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return error_response(request, 500, "internal error: the server log has the details")

    app.add_middleware(SecurityHeaders)
    if cache:
        app.add_middleware(ResponseCache, version=version)
    return app


def app_from_environment() -> FastAPI:
    """The factory `newsarchive serve` hands uvicorn (each worker process builds its own app): the
    read-only URL and the config path come from the serving command through the environment."""
    import os

    return create_app(os.environ["NEWSARCHIVE_WEB_DB"], os.environ.get("NEWSARCHIVE_WEB_CONFIG"),
                      cache=os.environ.get("NEWSARCHIVE_WEB_CACHE", "1") != "0")
