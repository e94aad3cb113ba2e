"""The hostile test server: the local 이투데이 copy on 127.0.0.1 (one threaded server per host, ephemeral
ports), plus fault articles at /news/view/{id} (tests/faults/pages.py) that answer 5xx, 404, 429 with
Retry-After, hang, trickle, truncate, reset the connection, send 10 MB, 50 MB and gzip-bomb pages, redirect
in loops, to another host, to an unmirrored host, to ftp: and javascript: URLs, and serve wrong charsets,
NUL bytes, PDF/PNG as html and a 100 KB title; the sitemap carries a mis-nested element, a feed is cut
short and a list page fails.

    with HostileSite(today) as site:
        newsarchive("crawl", "etoday", *site.mirror_args(), env=site.env(), ...)
        site.hits                       # [(monotonic time, host, "/path?query"), ...]
        site.leaks                      # requests that reached the trap proxy: anything not mirrored
        site.clear_faults()             # the network faults stop; content faults stay

The trap is an HTTP proxy that every non-local request is sent to (http_proxy/https_proxy in env()): a
crawl that tries to reach a real host shows up in `leaks` instead of on the network."""

from __future__ import annotations

import socket
import struct
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from newsarchive.demo.site.resources import Resource
from newsarchive.demo.site.server import HostPages
from tests.faults.pages import (
    FAULTS,
    MOBILE,
    Fault,
    build_pages,
    fault_page,
    filler,
    gzip_bomb,
    listed_urls,
    redirect_target,
)

TRAP = "trap"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    host_name: str
    owner: HostileSite


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = 120

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        owner, host = self.server.owner, self.server.host_name
        owner.record(host, self.path)
        if host == TRAP:
            self._send(Resource(b"trapped", "text/plain", status=502), close=True)
            return
        parts = urlsplit(self.path)
        target = parts.path + ("?" + parts.query if parts.query else "")
        fault = owner.fault_at(host, parts.path)
        if fault is None:
            self._send(owner.page(host, target))
        else:
            owner.misbehave(self, fault, target)

    def do_CONNECT(self) -> None:  # noqa: N802 - a proxied https request: recorded, refused
        self.server.owner.record(self.server.host_name, "CONNECT " + self.path)
        self._send(Resource(b"trapped", "text/plain", status=502), close=True)

    def _send(self, resource: Resource, close: bool = False, body: bytes | None = None,
              length: int | None = None) -> None:
        payload = resource.body if body is None else body
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(payload) if length is None else length))
        for name, value in resource.headers.items():
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - no access log
        return


class HostileSite:
    def __init__(self, today: date, faults: tuple[Fault, ...] = FAULTS, only_sitemap: bool = False,
                 mobile_status: int = 200) -> None:
        self.today, self.faults, self.only_sitemap = today, faults, only_sitemap
        self.mobile_status = mobile_status  # what m.etoday.co.kr answers (503: a host that is down)
        self.faults_on = True
        self._by_id = {fault.id: fault for fault in faults}
        self._lock = threading.Lock()
        self._hits: list[tuple[float, str, str]] = []
        self._pages = self._build()
        self._servers: list[_Server] = []
        self.mirrors: dict[str, str] = {}
        for host in [*self._pages, TRAP]:
            server = _Server(("127.0.0.1", 0), _Handler)
            server.host_name, server.owner = host, self
            threading.Thread(target=server.serve_forever, name=f"hostile-{host}", daemon=True).start()
            self._servers.append(server)
            self.mirrors[host] = f"http://127.0.0.1:{server.server_address[1]}"
        self.trap = self.mirrors.pop(TRAP)

    def _build(self) -> dict[str, HostPages]:
        pages = build_pages(self.today, self.faults, self.faults_on, self.only_sitemap)
        return {host: HostPages(host_pages) for host, host_pages in pages.items()}

    # --- what the crawl sees ------------------------------------------------------------------------

    def listed(self) -> set[str]:
        """Canonical URLs of the in-window articles the listings name."""
        return listed_urls(self.today, self.faults, self.only_sitemap)

    def mirror_args(self) -> list[str]:
        return [arg for host, base in self.mirrors.items() for arg in ("--mirror", f"{host}={base}")]

    def env(self) -> dict[str, str]:
        """Environment for the crawl: every request that is not for 127.0.0.1 goes to the trap."""
        return {"http_proxy": self.trap, "https_proxy": self.trap, "HTTP_PROXY": self.trap,
                "HTTPS_PROXY": self.trap, "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"}

    def clear_faults(self) -> None:
        with self._lock:
            self.faults_on = False
            self._pages = self._build()

    # --- records ------------------------------------------------------------------------------------

    def record(self, host: str, target: str) -> None:
        with self._lock:
            self._hits.append((time.monotonic(), host, target))

    @property
    def hits(self) -> list[tuple[float, str, str]]:
        with self._lock:
            return list(self._hits)

    def hits_for(self, host: str, prefix: str = "") -> list[str]:
        return [target for _, h, target in self.hits if h == host and target.startswith(prefix)]

    @property
    def leaks(self) -> list[str]:
        return self.hits_for(TRAP)

    def clear_hits(self) -> None:
        with self._lock:
            self._hits.clear()

    # --- answers ------------------------------------------------------------------------------------

    def page(self, host: str, target: str) -> Resource:
        with self._lock:
            pages = self._pages[host]
        if host == MOBILE and target.startswith("/news/view/"):
            tail = target.split("/")[3].split("?")[0]
            fault = self._by_id.get(int(tail)) if tail.isdigit() else None
            if fault is None:
                return pages.lookup(target)
            return Resource(b"<html><body>busy</body></html>", "text/html", status=503) \
                if self.mobile_status == 503 else fault_page(fault, self.today, self.faults_on)
        return pages.lookup(target)

    def fault_at(self, host: str, path: str) -> Fault | None:
        if host == MOBILE or not path.startswith("/news/view/"):
            return None
        tail = path.rsplit("/", 1)[-1]
        return self._by_id.get(int(tail)) if tail.isdigit() else None

    def attempts(self, fault: Fault) -> int:
        return len([t for t in self.hits_for("www.etoday.co.kr", f"/news/view/{fault.id}")])

    def misbehave(self, handler: _Handler, fault: Fault, target: str) -> None:  # noqa: C901, PLR0911, PLR0912 - one branch per fault
        page = fault_page(fault, self.today, self.faults_on)
        kind = fault.kind if self.faults_on or not fault.clears else "plain"
        error = Resource(b"<html><body>error</body></html>", "text/html; charset=utf-8")
        if kind == "flaky_503" and self.attempts(fault) <= 2 or kind == "always_503":
            handler._send(Resource(error.body, error.content_type, status=503))
        elif kind == "always_500":
            handler._send(Resource(error.body, error.content_type, status=500))
        elif kind == "not_found_404":
            handler._send(Resource(error.body, error.content_type, status=404))
        elif kind in ("retry_after_short", "retry_after_long") and (
                kind == "retry_after_long" or self.attempts(fault) <= 1):
            wait = "1" if kind == "retry_after_short" else "3600"
            handler._send(Resource(error.body, error.content_type, status=429, headers={"Retry-After": wait}))
        elif kind == "hang":
            time.sleep(handler.server.owner._hang_seconds())
            handler.close_connection = True
        elif kind == "trickle":
            handler.send_response(200)
            handler.send_header("Content-Type", page.content_type)
            handler.send_header("Content-Length", str(len(page.body)))
            handler.end_headers()
            for at in range(0, len(page.body), 2048):
                handler.wfile.write(page.body[at:at + 2048])
                handler.wfile.flush()
                time.sleep(0.02)
        elif kind == "truncated":
            handler._send(page, close=True, body=page.body[: len(page.body) // 2], length=len(page.body) + 5000)
        elif kind == "reset":
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.close_connection = True
        elif kind == "gzip_bomb":
            bomb = gzip_bomb()
            handler._send(Resource(bomb, "text/html; charset=utf-8", headers={"Content-Encoding": "gzip"}))
        elif kind == "page_50mb":
            self._stream(handler, 50 * 1024 * 1024)
        elif (location := redirect_target(fault, target)) is not None and kind != "plain":
            handler._send(Resource(b"", "text/html", status=301, headers={"Location": location}))
        else:
            handler._send(page)

    def _hang_seconds(self) -> float:
        return 30.0

    def _stream(self, handler: _Handler, total: int) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(total))
        handler.end_headers()
        try:
            for piece in filler(total):
                handler.wfile.write(piece)
        except OSError:  # the client hung up at its size limit
            handler.close_connection = True

    # --- life ---------------------------------------------------------------------------------------

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def __enter__(self) -> HostileSite:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
