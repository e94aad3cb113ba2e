"""Ingest rate with several storing processes, and the writer lock's hold time per article.

    python bench/ingest.py                     # PostgreSQL and SQLite, 1 and 3 processes, 3,000 articles
    python bench/ingest.py --n 6000 --procs 1 3 6 --db postgresql

The articles are the synthetic news of bench/dedup.py (bench/dedup_corpus.py: base stories, their
near-duplicate variants and unrelated articles on the same topics, from real Korean sentences), each with
one or two ministries and a real page of the test corpus around its body as the raw html (so that
compressing it costs what a real page costs). They are stored as the crawl's workers store them:
pipelines.ingest.store_all on batches of --batch pages as pipelines.extract_stage.judge hands them on,
extracted, fingerprinted and made ready to insert (pipelines.store.make_ready: the raw page compressed,
the search index entry), all of which the extraction worker does before, on any
machine, untimed here. With --unprepared, store_all makes them itself (before taking the writer lock), as
for pages judged by other code; that is what this bench timed before 2026-12-03 noon. The batches are
dealt round-robin to --procs processes, which start together on a fresh archive; articles/s is all
articles over the wall time until the last process ends. The lock figures are storage.locktime's: each
transaction's hold (from taking the writer lock to the end of its commit) divided by its articles. Every
run checks that each article was stored once or found a duplicate, and reports the clusters made.

PostgreSQL: a database of its own on $NEWSARCHIVE_BENCH_PG_URL's server (default the local one), dropped
after. SQLite: a file in a temporary directory.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.dedup_corpus import TODAY, Synthetic, build  # noqa: E402
from core.article import Article as Record  # noqa: E402
from core.items import PageItem  # noqa: E402
from core.ministries import MINISTRIES  # noqa: E402
from crawler.archive_stage import MAX_BATCH  # noqa: E402
from pipelines.ingest import store_all  # noqa: E402
from pipelines.messages import ExtractedItem, Policy  # noqa: E402
from pipelines.minhash import fingerprint_of  # noqa: E402
from pipelines.store import make_ready  # noqa: E402
from storage import locktime  # noqa: E402
from storage.db import check_connection, get_engine, migrate  # noqa: E402
from storage.models import Article, ClusterMember, Duplicate  # noqa: E402

PAGE = ROOT / "tests" / "fixtures" / "extraction" / "corpus" / "hankookilbo-A2026012914320005196.html"
"""The page (74 kB, about the median of the corpus) each article's body is set in."""

Batch = tuple[list[PageItem], list[ExtractedItem]]


def batches(n: int, size: int, seed: int) -> list[Batch]:
    """The synthetic articles as judged pages, in batches of `size`, fingerprinted."""
    template = PAGE.read_bytes().decode("utf-8")
    at = template.rindex("</body>")
    rng = random.Random(seed)
    ministries = sorted(MINISTRIES)
    judged: list[tuple[PageItem, ExtractedItem]] = []
    for item in build(n, seed, days=30, end=TODAY):
        page, record = _page(item, template, at, rng.sample(ministries, rng.choice((1, 1, 2))))
        judged.append((page, ExtractedItem(page, record, fingerprint_of(record.body))))
    return [([p for p, _ in judged[i:i + size]], [j for _, j in judged[i:i + size]])
            for i in range(0, len(judged), size)]


def _page(item: Synthetic, template: str, at: int, ministries: list[str]) -> tuple[PageItem, Record]:
    url = f"https://bench.example/ingest/{item.key}"
    record = Record(url=url, canonical_url=url, title=item.title, body=item.body, source="bench",
                    published_at=item.published_at, fetched_at=item.published_at, ministries=ministries)
    paragraphs = "".join(f"<p>{p}</p>" for p in item.body.split("\n\n"))
    html = (template[:at] + f"<article><h1>{item.title}</h1>{paragraphs}</article>" + template[at:]).encode()
    page = PageItem(url=url, html=html, source="bench", fetched_at=item.published_at, encoding="utf-8",
                    ministries=list(ministries))
    return page, record


def made_ready(work: list[Batch], dialect: str | None) -> None:
    """What the extraction worker hands on for an archive of this dialect (None: nothing beyond the
    fingerprint, --unprepared)."""
    for _, judged in work:
        for item in judged:
            item.ready = make_ready(item, dialect) if dialect else None


def _server_cpu(pids: Sequence[int]) -> float | None:
    """Seconds of CPU the server processes of these connections used so far (a server on this machine)."""
    if not pids:
        return None
    try:
        return sum(int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) for pid in pids) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def _store(url: str, mine: Sequence[Batch], ready: Any, start: Any, results: Any) -> None:
    """One storing process: its batches, one write transaction each, once every process is ready."""
    engine = get_engine(url)
    engine.dispose(close=False)  # the parent's pooled connections are not this process's
    pids: list[int] = []
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", lambda dbapi, _: pids.append(dbapi.info.backend_pid))
    check_connection(url)
    locktime.clear()
    ready.wait()
    start.wait()
    client, server = time.process_time(), _server_cpu(pids)
    counts: Counter[str] = Counter()
    for pages, judged in mine:
        counts.update(outcome.counter for outcome in store_all(pages, judged, Policy(url)))
    server_after = _server_cpu(pids)
    results.put((time.perf_counter(), dict(counts), locktime.holds(), time.process_time() - client,
                 server_after - server if server is not None and server_after is not None else None))


def run(url: str, work: list[Batch], procs: int) -> dict[str, Any]:
    migrate(url)
    get_engine(url).dispose()
    context = multiprocessing.get_context("fork")  # the prepared batches are inherited, not pickled
    ready, start, results = context.Barrier(procs + 1), context.Barrier(procs + 1), context.Queue()
    workers = [context.Process(target=_store, args=(url, work[i::procs], ready, start, results))
               for i in range(procs)]
    for worker in workers:
        worker.start()
    ready.wait()
    started = time.perf_counter()
    start.wait()
    finished, counts, holds = [], Counter[str](), []
    client = 0.0
    server: float | None = 0.0  # None: the server's processes could not be read
    for _ in workers:
        end, counted, kept, client_cpu, server_cpu = results.get(timeout=3600)
        finished.append(end)
        counts.update(counted)
        holds += kept
        client += client_cpu
        server = server + server_cpu if server is not None and server_cpu is not None else None
    for worker in workers:
        worker.join()
    wall = max(finished) - started
    articles = sum(len(pages) for pages, _ in work)
    with get_engine(url).connect() as conn:
        stored, duplicates, clustered = (int(conn.scalar(select(func.count()).select_from(table)) or 0)
                                         for table in (Article, Duplicate, ClusterMember))
    get_engine(url).dispose()
    if stored + duplicates != articles or counts["stored"] != stored:
        raise SystemExit(f"error: {articles} articles gave {stored} stored and {duplicates} duplicates "
                         f"(counted {dict(counts)})")
    return {"rate": articles / wall, "wall": wall, "lock": locktime.summarise(holds), "stored": stored,
            "duplicates": duplicates, "clustered": clustered, "client_ms": client / articles * 1000,
            "server_ms": server / articles * 1000 if server is not None else None}


@contextmanager
def archive(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="newsarchive-ingest-") as directory:
            yield f"sqlite:///{directory}/archive.db"
        return
    admin_url = os.environ.get("NEWSARCHIVE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"newsarchive_ingest_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="articles per run (default 3000)")
    parser.add_argument("--procs", type=int, nargs="+", default=[1, 3], help="storing processes (default 1 3)")
    parser.add_argument("--batch", type=int, default=MAX_BATCH, help=f"pages per transaction (default {MAX_BATCH})")
    parser.add_argument("--db", nargs="+", choices=sorted(NAMES), default=["postgresql", "sqlite"])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--unprepared", action="store_true",
                        help="store_all compresses the pages and makes the search entries (timed)")
    args = parser.parse_args(argv)
    if args.n < 100 or args.batch < 1 or min(args.procs) < 1:
        parser.error("--n must be >= 100, --batch and --procs >= 1")
    started = time.perf_counter()
    work = batches(args.n, args.batch, args.seed)
    total = sum(len(pages) for pages, _ in work)
    print(f"{total} articles in batches of {args.batch} (prepared and fingerprinted in "
          f"{time.perf_counter() - started:.0f} s); load average {os.getloadavg()[0]:.1f}")
    print("pages compressed and search entries made by store_all (timed)" if args.unprepared else
          "pages compressed and search entries made before, as the extraction worker does (untimed)")
    print(f"{'database':<12}{'procs':>6}{'articles/s':>12}{'lock p50 ms':>13}{'lock p95 ms':>13}"
          f"{'lock busy':>11}{'stored':>8}{'dupl.':>7}{'clustered':>10}{'CPU ms/article: client':>24}{'server':>8}")
    for backend in args.db:
        made_ready(work, None if args.unprepared else backend)
        for procs in args.procs:
            with archive(backend) as url:
                got = run(url, work, procs)
            lock = got["lock"]
            print(f"{NAMES[backend]:<12}{procs:>6}{got['rate']:>12.0f}{lock.p50_ms:>13.2f}{lock.p95_ms:>13.2f}"
                  f"{lock.held_s / got['wall']:>10.0%}{got['stored']:>8}{got['duplicates']:>7}{got['clustered']:>10}"
                  f"{got['client_ms']:>24.2f}{'' if got['server_ms'] is None else format(got['server_ms'], '.2f'):>8}",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
