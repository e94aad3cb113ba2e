"""Serve a built test site on 127.0.0.1: one ThreadingHTTPServer per host, each on an ephemeral port.

Lookup of a request `path?query` on a host:
1. the exact `path?query` as registered;
2. the path with only the query parameters that page needs, in any order, blank values dropped. A
   path's needed parameters are the names that occur in its registered keys (`newsId` for
   `/briefing/pressReleaseView.do`, `MID`/`page` for the etoday section list); everything else
   (utm_*, call_from, pWise, paging junk) is ignored. With none present this is the path alone;
3. otherwise a 404 html page.
`/robots.txt` is served for every host unless the site registers its own.
"""

from __future__ import annotations

import http.client
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlencode, urlsplit

from newsarchive.demo.site.resources import Resource, Site

ROBOTS = b"User-agent: *\nDisallow: /admin/\n"
NOT_FOUND = Resource(
    "<!DOCTYPE html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>404 Not Found</title></head>"
    "<body><h1>404 Not Found</h1><p>요청하신 페이지를 찾을 수 없습니다.</p></body></html>".encode(),
    "text/html; charset=utf-8", status=404)


class HostPages:
    """One host's pages with the lookup index described in the module docstring."""

    def __init__(self, pages: dict[str, Resource]) -> None:
        self.pages = dict(pages)
        self.pages.setdefault("/robots.txt", Resource(ROBOTS, "text/plain; charset=utf-8"))
        self.needed: dict[str, set[str]] = {}
        for key in self.pages:
            path, _, query = key.partition("?")
            self.needed.setdefault(path, set()).update(k for k, _ in parse_qsl(query))
        self.normalized = {self._normalize(key): res for key, res in self.pages.items()}

    def _normalize(self, target: str) -> str:
        path, _, query = target.partition("?")
        keep = self.needed.get(path, set())
        pairs = sorted((k, v) for k, v in parse_qsl(query) if k in keep)
        return path + ("?" + urlencode(pairs) if pairs else "")

    def lookup(self, target: str) -> Resource:
        target = target.split("#", 1)[0]
        found = self.pages.get(target) or self.normalized.get(self._normalize(target))
        return found or NOT_FOUND


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    host_name: str
    owner: RunningSite

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client went away (a killed crawl): nothing to report
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm on, a kept-alive connection waits for
    # the client's delayed ACK (~40 ms) before the body.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        owner, host = self.server.owner, self.server.host_name
        parts = urlsplit(self.path)
        target = parts.path + ("?" + parts.query if parts.query else "")
        owner._record(host, target, self.headers.get("If-None-Match"))
        owner._enter(host)
        try:
            self._send(owner._lookup(host, target), send_body)
        finally:
            owner._leave(host)

    def _send(self, resource: Resource, send_body: bool) -> None:
        etag = resource.headers.get("ETag")
        if etag and self.headers.get("If-None-Match") == etag:  # conditional request, page unchanged
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        for name, value in resource.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(resource.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence the access log
        return


class RunningSite:
    """The servers of one site; `mirrors` maps each real host to its local base URL.

    Each host gets an ephemeral port, or with `first_port` the ports from it upwards in the site's host
    order; a port already taken is replaced by an ephemeral one, listed in `moved` (host -> wanted port)."""

    def __init__(self, site: Site, first_port: int = 0) -> None:
        self._lock = threading.Lock()
        self._hits: list[tuple[str, str]] = []
        self._validators: list[tuple[str, str, str | None]] = []
        self._hosts = {host: HostPages(pages) for host, pages in site.items()}
        self._servers: list[_Server] = []
        self._in_flight: dict[str, int] = {}
        self._arrivals: list[tuple[str, float, int]] = []
        self.latency = 0.0  # seconds each answer takes (so that requests in flight overlap visibly)
        self.mirrors: dict[str, str] = {}
        self.moved: dict[str, int] = {}
        for number, host in enumerate(site):
            wanted = first_port + number if first_port else 0
            try:
                server = _Server(("127.0.0.1", wanted), _Handler)
            except OSError:  # taken (or not ours to bind): any free port will do
                server = _Server(("127.0.0.1", 0), _Handler)
                self.moved[host] = wanted
            server.host_name, server.owner = host, self
            threading.Thread(target=server.serve_forever, name=f"site-{host}", daemon=True).start()
            self._servers.append(server)
            self.mirrors[host] = f"http://127.0.0.1:{server.server_address[1]}"

    def _record(self, host: str, target: str, if_none_match: str | None = None) -> None:
        with self._lock:
            self._hits.append((host, target))
            self._validators.append((host, target, if_none_match))

    def _enter(self, host: str) -> None:
        started = time.monotonic()
        with self._lock:
            self._in_flight[host] = self._in_flight.get(host, 0) + 1
            self._arrivals.append((host, started, self._in_flight[host]))
        if self.latency:
            time.sleep(self.latency)

    def _leave(self, host: str) -> None:
        with self._lock:
            self._in_flight[host] -= 1

    @property
    def arrivals(self) -> list[tuple[str, float, int]]:
        """Every request as (host, when it arrived (monotonic seconds), requests to that host in flight
        then, itself included), in arrival order: what a politeness check reads."""
        with self._lock:
            return list(self._arrivals)

    def _lookup(self, host: str, target: str) -> Resource:
        with self._lock:
            pages = self._hosts[host]
        return pages.lookup(target)

    def replace(self, site: Site) -> None:
        """Swap the pages served (same hosts, same ports), e.g. to publish a new article between crawls."""
        missing = set(site) - set(self.mirrors)
        if missing:
            raise ValueError(f"hosts not served: {sorted(missing)}")
        with self._lock:
            self._hosts.update({host: HostPages(pages) for host, pages in site.items()})

    @property
    def hits(self) -> list[tuple[str, str]]:
        """Every (host, path?query) requested so far, in arrival order."""
        with self._lock:
            return list(self._hits)

    def hits_for(self, host: str, path_prefix: str = "") -> list[str]:
        return [target for h, target in self.hits if h == host and target.startswith(path_prefix)]

    def sent_validators(self, host: str, path_prefix: str = "") -> dict[str, str | None]:
        """path?query -> the If-None-Match the last request for it carried (None: unconditional)."""
        with self._lock:
            return {t: tag for h, t, tag in self._validators if h == host and t.startswith(path_prefix)}

    def clear_hits(self) -> None:
        with self._lock:
            self._hits.clear()
            self._validators.clear()
            self._arrivals.clear()

    def get(self, host: str, target: str) -> tuple[int, str, bytes]:
        """GET `path?query` from the server standing in for `host`: (status, Content-Type, body)."""
        base = urlsplit(self.mirrors[host])
        conn = http.client.HTTPConnection(base.hostname or "", base.port, timeout=10)
        try:
            conn.request("GET", target)
            resp = conn.getresponse()
            return resp.status, resp.getheader("Content-Type") or "", resp.read()
        finally:
            conn.close()

    def mirror_args(self) -> list[str]:
        args: list[str] = []
        for host, base in self.mirrors.items():
            args += ["--mirror", f"{host}={base}"]
        return args

    def mirror_env(self) -> str:
        """The same mapping in the NEWSARCHIVE_MIRROR form (comma-separated HOST=BASE)."""
        return ",".join(f"{host}={base}" for host, base in self.mirrors.items())

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def __enter__(self) -> RunningSite:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def serve(site: Site, first_port: int = 0) -> RunningSite:
    return RunningSite(site, first_port)


def iter_urls(site: Site) -> Iterator[str]:
    """Every registered page as a real URL (https://host/path?query)."""
    for host, pages in site.items():
        for key in pages:
            yield f"https://{host}{key}"
