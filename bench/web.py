"""Web explorer benchmark: `newsarchive serve` over a synthetic archive, driven by concurrent clients.

    python bench/web.py                          # 100,000 articles on SQLite, 50 clients
    python bench/web.py --db postgresql://postgres@127.0.0.1/test   # PostgreSQL beside SQLite
    python bench/web.py --n 20000 --seconds 5 --clients 10,50      # smaller and quicker

The archive is bench/search.py's (bodies recombined from real Korean sentences, publication dates spread
over 2016-2026). With --db postgresql://... a database of its own is made on that server and dropped
afterwards. The server is the real CLI (`newsarchive serve`, --workers processes) in a subprocess; the
clients are threads with keep-alive connections in a second process (this script with --drive), each
sending its next request as soon as the previous one is answered (a closed loop, so latency grows with
clients / throughput). Each page kind is measured alone for --seconds after a warm-up:

- search: the search page for a two-syllable word, a longer word, a phrase or a word with a ministry
  filter, pages 1-2, sometimes collapsed (about 400 distinct searches);
- article: the article page of an article (cluster and revisions included; 5,000 distinct articles);
- timeline: the attention chart of a word over one year (2025, per week, one SVG page; about 100 words,
  20 of them also split by ministry).

Requests are drawn with Zipf weights, as real traffic is: the n-th most popular of a kind is asked for 1/n
as often as the first. That matters only to the server's response cache (`serve --cache`, the default),
which answers a request it has answered before while the archive is unchanged; --cache both (the
default) measures the server with it and with --no-cache, whose figures are the cost of computing
every page.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("search", "article", "timeline")
SEARCH_DRAWS = 5  # about 400 distinct searches
ARTICLES = 5000  # distinct articles asked for


# --- the clients (run in their own process) --------------------------------------------------------

def drive(base: str, paths: list[str], clients: int, seconds: float, warmup: float) -> dict[str, Any]:
    """Closed-loop clients for `seconds` after `warmup`; latencies in ms of the measured requests.
    Each request is drawn from `paths` with Zipf weights (the n-th path 1/n as often as the first)."""
    split = urlsplit(base)
    hostname, port = split.hostname or "127.0.0.1", split.port
    stop_at = time.monotonic() + warmup + seconds
    measure_from = time.monotonic() + warmup
    latencies: list[float] = []
    errors: list[str] = []
    seen: set[str] = set()
    lock = threading.Lock()
    cumulative = list(itertools.accumulate(1 / rank for rank in range(1, len(paths) + 1)))

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection(hostname, port, timeout=60)
        mine: list[float] = []
        asked: set[str] = set()
        while (now := time.monotonic()) < stop_at:
            path = rnd.choices(paths, cum_weights=cumulative)[0]
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(hostname, port, timeout=60)
                status, path = 0, f"{path}: {exc}"
            elapsed = (time.perf_counter() - started) * 1000
            if now >= measure_from:
                asked.add(path)
                if status == 200:
                    mine.append(elapsed)
                else:
                    with lock:
                        errors.append(f"{status} {path}")
        conn.close()
        with lock:
            latencies.extend(mine)
            seen.update(asked)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    result: dict[str, Any] = {"requests": len(latencies), "errors": len(errors), "error_sample": errors[:3],
                              "rps": len(latencies) / seconds, "distinct": len(seen)}
    if latencies:
        result.update(p50=statistics.median(latencies), p95=latencies[int(0.95 * (len(latencies) - 1))],
                      max=latencies[-1])
    return result


# --- the archive and the server ------------------------------------------------------------------

def request_paths(n: int, rnd: random.Random) -> dict[str, list[str]]:
    """Distinct requests of each kind, in a random order: the clients ask for the first most often."""
    from bench.search import corpus_sentences, query_sets

    sentences, _ = corpus_sentences()
    searches: list[str] = []
    words: list[str] = []
    for _ in range(SEARCH_DRAWS):  # each draw: 20 queries of each kind
        sets = query_sets(sentences, rnd)
        words += [q for q, _ in sets["two-syllable word"]]
        for kind in ("two-syllable word", "longer word", "phrase", "word + --ministry --since"):
            for query, extra in sets[kind]:
                params: dict[str, Any] = {"q": query, **{k: str(v) for k, v in extra.items()}}
                if rnd.random() < 0.3:
                    params["page"] = "2"
                if rnd.random() < 0.3:
                    params["collapse"] = "1"
                searches.append("/search?" + urlencode(params))
    words = list(dict.fromkeys(words))
    articles = [f"/articles/{i}" for i in rnd.sample(range(1, n + 1), min(n, ARTICLES))]
    timelines = ["/timeline?" + urlencode({"q": w, "since": "2025-01-01", "until": "2025-12-31"}) for w in words]
    timelines += ["/timeline?" + urlencode({"q": w, "since": "2025-01-01", "until": "2025-12-31",
                                            "split": "ministry"}) for w in words[:20]]
    out = {"search": list(dict.fromkeys(searches)), "article": articles, "timeline": timelines}
    for requests in out.values():
        rnd.shuffle(requests)
    return out


def build_archive(url: str, n: int, load: str) -> None:
    from bench.search import build, corpus_sentences, load_postgres, load_sqlite

    sentences, titles = corpus_sentences()
    build(url, n, sentences, titles, load_sqlite if load == "sqlite" else load_postgres)


def serve(url: str, port: int, workers: int, cache: bool) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-m", "newsarchive", "serve", "--db", url, "--port", str(port),
                                "--workers", str(workers), "--cache" if cache else "--no-cache"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise SystemExit(f"newsarchive serve exited: {process.stderr.read() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/runs?limit=1", timeout=5):
                return process
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise SystemExit("newsarchive serve did not start") from None
            time.sleep(0.3)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def measure(url: str, paths: dict[str, list[str]], clients: list[int], seconds: float,
            workers: int, cache: bool) -> dict[tuple[str, int], dict[str, Any]]:
    port = free_port()
    server = serve(url, port, workers, cache)
    results: dict[tuple[str, int], dict[str, Any]] = {}
    try:
        for kind in KINDS:
            for count in clients:
                spec = json.dumps({"base": f"http://127.0.0.1:{port}", "paths": paths[kind], "clients": count,
                                   "seconds": seconds, "warmup": min(3.0, seconds / 2)})
                done = subprocess.run([sys.executable, __file__, "--drive"], input=spec, capture_output=True,
                                      text=True, check=True, cwd=ROOT)
                results[(kind, count)] = json.loads(done.stdout)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def report(columns: dict[str, dict[tuple[str, int], dict[str, Any]]], clients: list[int]) -> None:
    names = list(columns)
    header = f"{'page':<10}{'clients':>8}" + "".join(f"{name + ' p50/p95 ms':>28}{'req/s':>8}" for name in names)
    print(header)
    for kind in KINDS:
        for count in clients:
            line = f"{kind:<10}{count:>8}"
            for name in names:
                r = columns[name][(kind, count)]
                figures = f"{r.get('p50', 0):.0f} / {r.get('p95', 0):.0f}"
                if r["errors"]:
                    figures += f" ({r['errors']} errors)"
                line += f"{figures:>28}{r['rps']:>8.0f}"
            print(line)
    for name in names:
        if "cached" in name and "uncached" not in name:
            print(f"{name}: distinct requests among those measured (each is computed at least once per worker): "
                  + ", ".join(f"{kind} x{count} {r['distinct']} of {r['requests']}"
                              for (kind, count), r in columns[name].items()))
    for name in names:
        for (kind, count), r in columns[name].items():
            if r["errors"]:
                print(f"{name} {kind} x{count}: e.g. {r['error_sample']}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles in the synthetic archive")
    parser.add_argument("--db", default=None, help="a PostgreSQL server URL: also measure PostgreSQL there")
    parser.add_argument("--clients", default="50", help="concurrent clients, or a list: 10,50")
    parser.add_argument("--seconds", type=float, default=10, help="measured time per page kind")
    parser.add_argument("--workers", type=int, default=2, help="server processes (newsarchive serve --workers)")
    parser.add_argument("--dir", default=None, help="keep the SQLite archive here and reuse it next time")
    parser.add_argument("--no-sqlite", action="store_true", help="with --db: measure PostgreSQL only")
    parser.add_argument("--cache", choices=("both", "on", "off"), default="both",
                        help="measure with the server's response cache, without it (serve --no-cache), or both")
    parser.add_argument("--drive", action="store_true", help=argparse.SUPPRESS)  # the clients; spec on stdin
    args = parser.parse_args()
    if args.drive:
        spec = json.loads(sys.stdin.read())
        print(json.dumps(drive(spec["base"], spec["paths"], spec["clients"], spec["seconds"], spec["warmup"])))
        return

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from storage.db import get_engine

    clients = [int(c) for c in args.clients.split(",")]
    paths = request_paths(args.n, random.Random(11))
    caching = [(" cached", True), (" uncached", False)]
    caching = [c for c in caching if args.cache in ("both", "on" if c[1] else "off")]
    workdir = Path(args.dir or tempfile.mkdtemp(prefix="newsarchive-bench-web-"))
    path = workdir / f"bench-web-{args.n}.db"
    url = f"sqlite:///{path}"
    columns: dict[str, dict[tuple[str, int], dict[str, Any]]] = {}
    if not (args.no_sqlite and args.db):
        if not path.exists():
            started = time.perf_counter()
            build_archive(url, args.n, "sqlite")
            print(f"SQLite archive of {args.n:,} articles built in {time.perf_counter() - started:.0f} s")
        get_engine(url).dispose()
        print(f"server: newsarchive serve --workers {args.workers}; {clients} closed-loop clients, "
              f"{args.seconds:.0f} s per page kind; machine: {os.cpu_count()} CPUs; Zipf draws from "
              + ", ".join(f"{len(v)} distinct {k} requests" for k, v in paths.items()), flush=True)
        for label, cache in caching:
            columns[f"SQLite{label}"] = measure(url, paths, clients, args.seconds, args.workers, cache)
        if not args.dir:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    if args.db:
        admin = create_engine(args.db.replace("postgresql://", "postgresql+psycopg://", 1),
                              isolation_level="AUTOCOMMIT")
        name = f"newsarchive_bench_web_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        pg_url = make_url(args.db).set(database=name).render_as_string(hide_password=False)
        try:
            started = time.perf_counter()
            build_archive(pg_url, args.n, "postgresql")
            get_engine(pg_url).dispose()
            print(f"PostgreSQL archive of {args.n:,} articles built in {time.perf_counter() - started:.0f} s",
                  flush=True)
            for label, cache in caching:
                columns[f"PG{label}"] = measure(pg_url, paths, clients, args.seconds, args.workers, cache)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(f"\n== {args.n:,} articles")
    report(columns, clients)


if __name__ == "__main__":
    main()
