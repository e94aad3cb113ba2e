"""Answers of the search, article and timeline pages (html and JSON) kept in memory per server process,
keyed by the request's path and query string and tagged with the archive version read before the
answer was computed (archive_version.py). An answer is served again only while the archive is still at
that version, so a page is never older than the archive: a crawl's commit empties the cache. The same
version and request make the answer's ETag, so a browser revalidating an unchanged page gets a 304.

Only GET answers with status 200 are kept (errors are cheap and must say what is wrong now); the pages
depend on nothing else of the request (no cookies, no sessions, no Host-dependent links). The run and
health pages change with the clock as well as the archive, and are not cached.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsarchive.web.archive_version import ArchiveVersion

CACHED = re.compile(r"^/(?:search|timeline|articles/\d+|api/search|api/timeline|api/articles/\d+)?$")
DEFAULT_BYTES = 64 * 1024 * 1024
# A browser may keep a page but must ask again before showing it: the ETag answers "unchanged" (304)
# while the archive is at the same version.
REVALIDATE = [(b"cache-control", b"no-cache")]


def _header(scope: Scope, name: bytes) -> bytes:
    return next((value for key, value in scope["headers"] if key == name), b"")


@dataclass(frozen=True)
class Entry:
    version: str
    start: Message
    body: bytes


class ResponseCache:
    """ASGI middleware; `max_bytes` bounds the bodies kept (least recently used go first)."""

    def __init__(self, app: ASGIApp, version: ArchiveVersion, max_bytes: int = DEFAULT_BYTES) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.size = 0
        self.latest: str | None = None
        self.entries: OrderedDict[tuple[str, bytes], Entry] = OrderedDict()
        self.lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not CACHED.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        version = self.version.current() if self.version.sqlite else \
            await anyio.to_thread.run_sync(self.version.current)
        if version is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        etag = b'"' + hashlib.blake2b(repr((version, *key)).encode(), digest_size=12).hexdigest().encode() + b'"'
        if etag in _header(scope, b"if-none-match").replace(b" ", b"").split(b","):
            await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag), *REVALIDATE]})
            await send({"type": "http.response.body", "body": b""})
            return
        entry = self.lookup(key, version)
        if entry is not None:
            await send(entry.start)
            await send({"type": "http.response.body", "body": entry.body})
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] == 200:
                    message["headers"] = [*message.get("headers", []), (b"etag", etag), *REVALIDATE]
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        if start.get("status") == 200:
            self.store(key, Entry(version, dict(start), b"".join(chunks)))

    def lookup(self, key: tuple[str, bytes], version: str) -> Entry | None:
        with self.lock:
            if version != self.latest:
                # A new version: every answer kept is of an older archive.
                self.entries.clear()
                self.size = 0
                self.latest = version
                return None
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def store(self, key: tuple[str, bytes], entry: Entry) -> None:
        with self.lock:
            # Computed at a version since superseded: it may lack the newest articles.
            if entry.version != self.latest or len(entry.body) > self.max_bytes // 16:
                return
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.entries[key] = entry
            self.size += len(entry.body)
            while self.size > self.max_bytes:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped.body)
