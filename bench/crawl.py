"""End-to-end crawl speed against extraction alone, on a local etoday copy with N article pages.

    python bench/crawl.py [--n 2000] [--workers 1] [--db sqlite:///...|postgresql://...]

Prints pages/s for the whole crawl (listing, download, extraction, dedup, storage) next to pages/s of the
extractor alone on the same pages, their ratio (target: >= 80%), and the crawl process's peak memory.
The end-to-end rate is given twice: over the command's wall time (interpreter start-up, imports and
schema check included) and over the crawl run's own duration as recorded in crawl_runs."""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsarchive.timewindow import KST  # noqa: E402
from pipelines.extract import extract  # noqa: E402
from storage import repository  # noqa: E402
from storage.db import transaction  # noqa: E402
from tests.site.content_etoday import STORIES, Story  # noqa: E402
from tests.site.etoday_article import article_html  # noqa: E402
from tests.site.resources import Resource  # noqa: E402
from tests.site.server import serve  # noqa: E402

BASE = "https://www.etoday.co.kr"


def make_stories(n: int, seed: int = 7) -> list[Story]:
    """n distinct ministry stories: real paragraphs of the fixture stories, recombined and numbered."""
    rng = random.Random(seed)
    sources = [s for s in STORIES if s.kind == "article" and s.ministries and s.charset == "utf-8"]
    paragraphs = [p for s in sources for p in s.paragraphs]
    stories = []
    for i in range(n):
        base = sources[i % len(sources)]
        body = tuple(rng.sample(paragraphs, k=min(6, len(paragraphs))))
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


def extraction_rate(site: dict[str, dict[str, Resource]]) -> float:
    pages = [(path, res.body) for path, res in site["www.etoday.co.kr"].items() if path.startswith("/news/view/")]
    start = time.perf_counter()
    for path, body in pages:
        extract(body, BASE + path, source="etoday")
    return len(pages) / (time.perf_counter() - start)


def crawl_rate(site: dict[str, dict[str, Resource]], db: str, today: date,
               workers: int) -> tuple[float, float, int, float]:
    with serve(site) as running:
        args = [sys.executable, "-m", "newsarchive", "crawl", "etoday", "--db", db, *running.mirror_args(),
                "--no-progress", "--since", today.isoformat(), "--until", today.isoformat(),
                # a local replay server: the politeness limits for real sites do not apply
                "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
                "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "--set", "CONCURRENT_REQUESTS=16",
                "--set", f"NEWSARCHIVE_EXTRACT_WORKERS={workers}"]
        start = time.perf_counter()
        result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"crawl failed: {result.stderr[-2000:]}")
    with transaction(db) as session:
        run = repository.list_runs(session, limit=1)[0]
        assert run.finished_at is not None
        run_seconds = (run.finished_at - run.started_at).total_seconds()
        stored = run.stored
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return stored / elapsed, stored / run_seconds, stored, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="NEWSARCHIVE_EXTRACT_WORKERS for the crawl")
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    today = (datetime.now(KST) - timedelta(hours=0)).date()
    site = build(make_stories(args.n), today)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or f"sqlite:///{tmp}/bench.db"
        alone = extraction_rate(site)
        e2e, in_run, stored, peak = crawl_rate(site, db, today, args.workers)
    print(f"{'pages':>8} {'e2e pages/s':>12} {'in-run pages/s':>15} {'extract-only pages/s':>21} {'ratio':>7} "
          f"{'peak MB':>8}")
    print(f"{stored:>8} {e2e:>12.1f} {in_run:>15.1f} {alone:>21.1f} {e2e / alone:>7.0%} {peak:>8.0f}")
    verdict = "meets" if e2e >= 0.8 * alone and stored == args.n else "MISSES"
    print(f"summary: end to end {e2e:.1f} pages/s = {e2e / alone:.0%} of extraction alone "
          f"({verdict} the 80% target; {in_run / alone:.0%} over the run's own duration); "
          f"{args.workers} worker(s); stored {stored}/{args.n}; peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
