"""End-to-end crawl speed against extraction alone, on a local etoday copy with N article pages.

    python bench/crawl.py [--n 2000] [--workers 1] [--db sqlite:///...|postgresql://...] [--synchronous FULL]

Prints pages/s for the whole crawl (listing, download, extraction, dedup, storage) next to pages/s of the
extractor alone on the same pages (the mean of a pass before and a pass after the crawl), their ratio
(target: >= 80%), and the peak memory of the crawl's largest process. The end-to-end rate is given twice:
over the command's wall time (interpreter start-up, imports and schema check included) and over the crawl
run's own duration as recorded in crawl_runs. CPU time per page is printed for the crawl (its process, the
fork server and the workers), for extraction alone and for the local replay server, which shares the
machine's CPUs with the crawl. Unless --no-baseline, the same crawl also runs without its item pipeline
(download and listing only) into a second database, as the rate a crawl could reach with free extraction
and storage. On SQLite it prints the synchronous mode the crawl ran with (FULL, the archive's setting,
unless --synchronous or $NEWSARCHIVE_SQLITE_SYNCHRONOUS says otherwise), so that what durable commits
cost can be measured against NORMAL."""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.subreaper import adopt_descendants, reap_descendants  # noqa: E402
from core.timewindow import KST  # noqa: E402
from newsarchive.demo.site.content_etoday import STORIES, Story  # noqa: E402
from newsarchive.demo.site.etoday_article import article_html  # noqa: E402
from newsarchive.demo.site.resources import Resource  # noqa: E402
from newsarchive.demo.site.server import serve  # noqa: E402
from pipelines.extract import extract  # noqa: E402
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


@dataclass(frozen=True)
class Rate:
    pages_per_s: float
    cpu_ms: float  # CPU time per page


def extraction_rate(site: dict[str, dict[str, Resource]]) -> Rate:
    pages = [(path, res.body) for path, res in site["www.etoday.co.kr"].items() if path.startswith("/news/view/")]
    start, cpu = time.perf_counter(), time.process_time()
    for path, body in pages:
        extract(body, BASE + path, source="etoday")
    return Rate(len(pages) / (time.perf_counter() - start), 1000 * (time.process_time() - cpu) / len(pages))


@dataclass(frozen=True)
class Crawl:
    e2e: Rate  # over the command's wall time; CPU of the crawl process and its workers
    in_run: float  # pages/s over the run's own duration
    server_cpu_ms: float  # CPU per page of the local replay server (this process), not part of the crawl
    stored: int  # pages archived; without the item pipeline, pages fetched
    peak_mb: float


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def crawl_rate(site: dict[str, dict[str, Resource]], db: str, today: date, workers: int,
               pipeline: bool = True) -> Crawl:
    with serve(site) as running:
        args = [sys.executable, "-m", "newsarchive", "crawl", "etoday", "--db", db, *running.mirror_args(),
                "--no-progress", "--since", today.isoformat(), "--until", today.isoformat(),
                # a local replay server: the politeness limits for real sites do not apply
                "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
                "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "--set", "CONCURRENT_REQUESTS=16",
                "--set", f"NEWSARCHIVE_EXTRACT_WORKERS={workers}",
                *([] if pipeline else ["--set", "ITEM_PIPELINES={}"])]
        start, server, crawl = time.perf_counter(), _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        elapsed = time.perf_counter() - start
        reap_descendants()
        server, crawl = _cpu(resource.RUSAGE_SELF) - server, _cpu(resource.RUSAGE_CHILDREN) - crawl
    if result.returncode != 0:
        raise SystemExit(f"crawl failed: {result.stderr[-2000:]}")
    with transaction(db) as session:
        run = repository.list_runs(session, limit=1)[0]
        assert run.finished_at is not None
        run_seconds = (run.finished_at - run.started_at).total_seconds()
        stored = run.stored if pipeline else run.fetched
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest process
    per_page = 1000 / max(stored, 1)
    return Crawl(Rate(stored / elapsed, crawl * per_page), stored / run_seconds, server * per_page, stored, peak_mb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="NEWSARCHIVE_EXTRACT_WORKERS for the crawl")
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the crawl without the item pipeline")
    parser.add_argument("--synchronous", choices=SYNCHRONOUS_MODES, type=str.upper, default=None,
                        help="SQLite's synchronous mode for the crawl (default: the archive's, FULL)")
    args = parser.parse_args()
    if args.synchronous:
        os.environ["NEWSARCHIVE_SQLITE_SYNCHRONOUS"] = args.synchronous
    today = datetime.now(KST).date()
    site = build(make_stories(args.n), today)
    adopt_descendants()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or f"sqlite:///{tmp}/bench.db"
        # This machine's speed drifts over a minute: extraction alone is timed before and after the crawl.
        before = extraction_rate(site)
        crawl = crawl_rate(site, db, today, args.workers)
        mode = sqlite_synchronous() if db.startswith("sqlite") else "n/a (PostgreSQL)"
        # no workers: with no item pipeline they would only start a fork server that nothing uses
        bare = None if args.no_baseline else crawl_rate(site, f"sqlite:///{tmp}/bare.db", today, 0, pipeline=False)
        after = extraction_rate(site)
    alone = Rate((before.pages_per_s + after.pages_per_s) / 2, (before.cpu_ms + after.cpu_ms) / 2)
    e2e = crawl.e2e.pages_per_s
    print(f"{'pages':>8} {'e2e pages/s':>12} {'in-run pages/s':>15} {'extract-only pages/s':>21} {'ratio':>7} "
          f"{'peak MB':>8}")
    print(f"{crawl.stored:>8} {e2e:>12.1f} {crawl.in_run:>15.1f} {alone.pages_per_s:>21.1f} "
          f"{e2e / alone.pages_per_s:>7.0%} {crawl.peak_mb:>8.0f}")
    print(f"CPU per page: crawl {crawl.e2e.cpu_ms:.1f} ms (crawl process, fork server and workers), extraction alone "
          f"{alone.cpu_ms:.1f} ms, replay server {crawl.server_cpu_ms:.1f} ms; {os.cpu_count()} CPUs")
    verdict = "meets" if e2e >= 0.8 * alone.pages_per_s and crawl.stored == args.n else "MISSES"
    print(f"summary: end to end {e2e:.1f} pages/s = {e2e / alone.pages_per_s:.0%} of extraction alone "
          f"({verdict} the 80% target; {crawl.in_run / alone.pages_per_s:.0%} over the run's own duration); "
          f"{args.workers} worker(s); stored {crawl.stored}/{args.n}; peak RSS {crawl.peak_mb:.0f} MB; "
          f"extraction alone {before.pages_per_s:.1f} before, {after.pages_per_s:.1f} after the crawl; "
          f"SQLite synchronous={mode}")
    if bare is not None:
        print(f"without the item pipeline: {bare.e2e.pages_per_s:.1f} pages/s, CPU {bare.e2e.cpu_ms:.1f} ms per page; "
              f"end to end = {e2e / bare.e2e.pages_per_s:.0%} of it")


if __name__ == "__main__":
    main()
