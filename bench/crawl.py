"""newsarchive's crawl against the same archive written from Scrapy, trafilatura and SQLAlchemy alone.

    python bench/crawl.py [--n 2000] [--rounds 3] [--workers 1] [--db postgresql://...] [--synchronous FULL]

Both crawl the same local etoday copy of N article pages through its sitemap, each as a command of its own:
`newsarchive crawl etoday` (listing, download, extraction, dedup, story clusters, search index, storage) and
bench/naive_stack.py (a SitemapSpider, `trafilatura.bare_extraction` with metadata, one ORM insert and
commit per article into its own SQLite file). Each round runs one then the other, so a machine shared with
other work loads both alike; the median and the spread over the rounds are printed. For each: pages/s over
the whole command (process start to exit, as the user waits for it) and CPU seconds per page of the
command and every process it started (its workers included). Targets: newsarchive at least 2.5 times the
other's pages/s and at most a quarter of its CPU per page. The local replay server's CPU (this process)
counts for neither. On SQLite it prints the synchronous mode newsarchive ran with (FULL, the archive's
setting, unless --synchronous or $NEWSARCHIVE_SQLITE_SYNCHRONOUS says otherwise)."""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from site import getsitepackages

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.subreaper import adopt_descendants, reap_descendants  # noqa: E402
from core.timewindow import KST  # noqa: E402
from newsarchive.demo.site.content_etoday import STORIES, Story  # noqa: E402
from newsarchive.demo.site.etoday_article import article_html  # noqa: E402
from newsarchive.demo.site.resources import Resource  # noqa: E402
from newsarchive.demo.site.server import RunningSite, serve  # noqa: E402
from storage import repository  # noqa: E402
from storage.db import SYNCHRONOUS_MODES, sqlite_synchronous, transaction  # noqa: E402

BASE = "https://www.etoday.co.kr"


NEAR_COPIES = 0.15  # share of stories that rewrite an earlier one (they join its story cluster)


def make_stories(n: int, seed: int = 7) -> list[Story]:
    """n distinct ministry stories in the fixture stories' page template and length. Their paragraphs
    are new sentences drawn from the fixtures' vocabulary, so unrelated stories share no more text than
    unrelated news does; NEAR_COPIES of them rewrite an earlier story (its paragraphs, one dropped, a
    new lead), as outlets do with one press release."""
    rng = random.Random(seed)
    sources = [s for s in STORIES if s.kind == "article" and s.ministries and s.charset == "utf-8"]
    words = sorted({w for s in sources for p in s.paragraphs for w in p.split() if re.fullmatch(r"[가-힣0-9]+", w)})

    def paragraph() -> str:
        sentences = [" ".join(rng.choices(words, k=rng.randint(8, 14))) + "다." for _ in range(rng.randint(1, 3))]
        return " ".join(sentences)

    stories: list[Story] = []
    originals: list[tuple[str, ...]] = []
    for i in range(n):
        base = sources[i % len(sources)]
        if originals and rng.random() < NEAR_COPIES:
            original = rng.choice(originals)
            dropped = rng.randrange(len(original))
            body = tuple(p for k, p in enumerate(original) if k != dropped)
        else:
            body = tuple(paragraph() for _ in range(6))
            originals.append(body)
        body = (f"{base.ministries[0]}는 {i}번째 발표에서 이같이 밝혔다.", *body)
        stories.append(dataclasses.replace(
            base, id=3_000_000 + i, days_ago=0, time=f"{(i // 60) % 24:02d}:{i % 60:02d}",
            title=f"{base.title} ({i})", paragraphs=body, duplicate_of=None, extras=frozenset(),
            feeds=(), in_section_list=False))
    return stories


def build(stories: list[Story], today: date) -> dict[str, dict[str, Resource]]:
    pages: dict[str, Resource] = {}
    urls = []
    for story in stories:
        html = article_html(story, today, others=stories[:5])
        pages[f"/news/view/{story.id}"] = Resource(html.encode("utf-8"), "text/html; charset=utf-8")
        published = datetime.combine(today, datetime.strptime(story.time, "%H:%M").time(), KST)
        urls.append(f"<url><loc>{BASE}/news/view/{story.id}</loc><news:news><news:publication_date>"
                    f"{published.isoformat()}</news:publication_date></news:news></url>")
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + "".join(urls) + "</urlset>")
    pages["/rss/news_sitemap"] = Resource(sitemap.encode("utf-8"), "application/xml")
    pages["/robots.txt"] = Resource(b"User-agent: *\nAllow: /\n", "text/plain")
    return {"www.etoday.co.kr": pages, "rss.etoday.co.kr": {"/robots.txt": pages["/robots.txt"]}}


PACKAGES = ("core", "newsarchive", "crawler", "pipelines", "storage", "sites")
SPEED_TARGET = 2.5  # newsarchive's pages/s over the naive stack's, at least
CPU_TARGET = 0.25  # newsarchive's CPU per page over the naive stack's, at most


@dataclass(frozen=True)
class Run:
    pages_per_s: float  # over the command's wall time, start-up and exit included
    cpu_ms: float  # CPU per page of the command and all its descendants
    stored: int


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _timed(args: list[str]) -> tuple[float, float]:
    """Run a command to its end: its wall seconds and the CPU seconds of it and all its descendants."""
    start, cpu = time.perf_counter(), _cpu(resource.RUSAGE_CHILDREN)
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    elapsed = time.perf_counter() - start
    reap_descendants()  # orphaned workers: their CPU counts once they are reaped
    if result.returncode != 0:
        raise SystemExit(f"{Path(args[1]).name if args[1].endswith('.py') else 'newsarchive'} failed: "
                         f"{result.stderr[-2000:]}")
    return elapsed, _cpu(resource.RUSAGE_CHILDREN) - cpu


def newsarchive_run(running: RunningSite, db: str, today: date, workers: int) -> Run:
    elapsed, cpu = _timed([
        sys.executable, "-m", "newsarchive", "crawl", "etoday", "--db", db, *running.mirror_args(),
        "--no-progress", "--since", today.isoformat(), "--until", today.isoformat(),
        # a local replay server: the politeness limits for real sites do not apply
        "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "--set", "CONCURRENT_REQUESTS=16",
        "--set", f"NEWSARCHIVE_EXTRACT_WORKERS={workers}"])
    with transaction(db) as session:
        stored = repository.list_runs(session, limit=1)[0].stored
    return Run(stored / elapsed, 1000 * cpu / max(stored, 1), stored)


def naive_run(running: RunningSite, db_file: str) -> Run:
    mirrors = [arg for host, base in running.mirrors.items() for arg in ("--mirror", f"{host}={base}")]
    elapsed, cpu = _timed([sys.executable, str(ROOT / "bench" / "naive_stack.py"),
                           running.mirrors["www.etoday.co.kr"] + "/rss/news_sitemap", db_file, *mirrors])
    with sqlite3.connect(db_file) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return Run(stored / elapsed, 1000 * cpu / max(stored, 1), stored)


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="NEWSARCHIVE_EXTRACT_WORKERS for newsarchive")
    parser.add_argument("--db", default=None, help="newsarchive's database URL, emptied by no one: give a "
                        "fresh one per round (default: a fresh SQLite file per round)")
    parser.add_argument("--synchronous", choices=SYNCHRONOUS_MODES, type=str.upper, default=None,
                        help="SQLite's synchronous mode for newsarchive (default: the archive's, FULL)")
    args = parser.parse_args()
    if args.synchronous:
        os.environ["NEWSARCHIVE_SQLITE_SYNCHRONOUS"] = args.synchronous
    if args.db and args.rounds > 1:
        parser.error("--db holds one crawl's archive: use it with --rounds 1")
    today = datetime.now(KST).date()
    site = build(make_stories(args.n), today)
    # A user's installed package comes with its bytecode compiled (pip compiles it, as it does the
    # dependencies'); a checkout run with $PYTHONDONTWRITEBYTECODE would compile every module at every start.
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=2)
    # uv installs the dependencies without their bytecode: under $PYTHONDONTWRITEBYTECODE every process of
    # both stacks compiled SQLAlchemy, Scrapy, Twisted and trafilatura anew (newsarchive twice: its crawl
    # process and its workers' fork server), about 0.8 ms of CPU per page of a 2,000-page crawl.
    for directory in getsitepackages():
        compileall.compile_dir(directory, quiet=2)
    adopt_descendants()
    ours: list[Run] = []
    theirs: list[Run] = []
    print(f"{'round':>5} {'stack':<12} {'stored':>7} {'pages/s':>8} {'CPU ms/page':>12}")
    with tempfile.TemporaryDirectory() as tmp, serve(site) as running:
        for number in range(1, args.rounds + 1):
            ours.append(newsarchive_run(running, args.db or f"sqlite:///{tmp}/archive{number}.db", today,
                                        args.workers))
            theirs.append(naive_run(running, f"{tmp}/naive{number}.db"))
            for name, result in (("newsarchive", ours[-1]), ("naive", theirs[-1])):
                print(f"{number:>5} {name:<12} {result.stored:>7} {result.pages_per_s:>8.1f} {result.cpu_ms:>12.1f}",
                      flush=True)
    mode = sqlite_synchronous() if not args.db or args.db.startswith("sqlite") else "n/a (PostgreSQL)"
    speed = [a.pages_per_s / b.pages_per_s for a, b in zip(ours, theirs, strict=True)]
    cpu = [a.cpu_ms / b.cpu_ms for a, b in zip(ours, theirs, strict=True)]
    print(f"median (min-max) over {args.rounds} round(s), {args.n} pages, {os.cpu_count()} CPUs, "
          f"{args.workers} worker(s), SQLite synchronous={mode}:")
    for name, runs in (("newsarchive", ours), ("naive", theirs)):
        print(f"  {name:<12} {_spread([r.pages_per_s for r in runs])} pages/s, "
              f"{_spread([r.cpu_ms for r in runs])} ms CPU per page")
    complete = all(r.stored == args.n for r in ours + theirs)
    met = statistics.median(speed) >= SPEED_TARGET and statistics.median(cpu) <= CPU_TARGET and complete
    print(f"summary: newsarchive {_spread(speed)}x the naive stack's pages/s (target >= {SPEED_TARGET}x), "
          f"{_spread([1 / c for c in cpu])}x less CPU per page (target >= {1 / CPU_TARGET:.0f}x): "
          f"{'meets' if met else 'MISSES'} the targets" + ("" if complete else "; NOT every page stored"))


if __name__ == "__main__":
    main()
