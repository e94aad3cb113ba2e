"""Near-duplicate clustering: precision, recall and ingest cost (`python bench/dedup.py [--n 10000]`).

Synthetic articles are built from real Korean sentences (the shared corpus' expected texts, the extraction
fixtures and the local test site's stories). Of --n articles, 75% are base stories (12-16 sentences: 4
from one source text, the topic, and the rest from anywhere), 20% near-duplicate variants of a base
(headline rewritten plus one to three of: trimmed sentences, added sentences, reordered sentences, a few
words edited) published within two days of it, and 5% unrelated articles on a base's topic, same day.
Every article goes through the crawl's store path (pipelines.ingest.store_all: dedup, storage,
fingerprint and cluster assignment) into a fresh SQLite archive; precision and recall are over
same-cluster pairs against the truth.

Ingest cost: --probe new articles stored into an empty archive, then into one holding --archive articles
spread over the previous 1,000 days (about 100 a day at 100,000: the window holds real neighbours). They
are stored in batches of --batch, one transaction each, as the crawl's workers store them under load
(crawler/archive_stage.py, MAX_BATCH); `--batch 1` shows one transaction per article. Each size is
measured --rounds times on a fresh copy, alternating, and the median is reported.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from bench.dedup_corpus import TODAY, Synthetic, build  # noqa: E402
from core.article import Article as Record  # noqa: E402
from core.items import PageItem  # noqa: E402
from crawler.archive_stage import MAX_BATCH  # noqa: E402
from pipelines import minhash, neardup  # noqa: E402
from pipelines.ingest import store_all  # noqa: E402
from pipelines.messages import ExtractedItem, Policy  # noqa: E402
from storage.db import get_engine, migrate, transaction  # noqa: E402
from storage.models import Article, ArticleBand, ArticleSignature, ClusterMember, RawPage  # noqa: E402
from storage.repository import compress_html  # noqa: E402


def record(item: Synthetic, prefix: str) -> Record:
    url = f"https://bench.example/{prefix}/{item.key}"
    return Record(url=url, canonical_url=url, title=item.title, body=item.body, source="bench",
                  published_at=item.published_at, fetched_at=item.published_at)


class _AssignClock:
    """Seconds spent in neardup.assign_all (the near-duplicate step of the store path), by wrapping it."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._assign = neardup.assign_all
        neardup.assign_all = self  # type: ignore[assignment]

    def __call__(self, *args: Any, **kwargs: Any) -> list[neardup.Assignment]:
        started = time.perf_counter()
        try:
            return self._assign(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started


ASSIGN = _AssignClock()


def store(url: str, items: list[Synthetic], prefix: str) -> list[int]:
    """The crawl's store path for a batch of new articles, in one transaction; returns their ids."""
    pages, judged = [], []
    for item in items:
        rec = record(item, prefix)
        page = PageItem(url=rec.url, html=rec.body.encode(), source="bench", fetched_at=item.published_at,
                        encoding="utf-8")
        pages.append(page)
        judged.append(ExtractedItem(page, rec))
    outcomes = store_all(pages, judged, Policy(url))
    if any(outcome.counter != "stored" for outcome in outcomes):
        raise SystemExit(f"not stored: {[o for o in outcomes if o.counter != 'stored'][:3]}")
    with transaction(url) as session:
        rows = session.execute(select(Article.canonical_url, Article.id)
                               .where(Article.canonical_url.in_([p.url for p in pages])))
        by_url = {canonical: article_id for canonical, article_id in rows}
    return [by_url[page.url] for page in pages]


def fresh_db(directory: str, name: str) -> str:
    url = f"sqlite:///{directory}/{name}.db"
    migrate(url)
    return url


def pair_scores(truth: dict[int, int], predicted: dict[int, int]) -> tuple[float, float]:
    def pairs(groups: dict[int, int]) -> set[tuple[int, int]]:
        members: dict[int, list[int]] = defaultdict(list)
        for article, group in groups.items():
            members[group].append(article)
        return {p for ids in members.values() for p in combinations(sorted(ids), 2)}

    true_pairs, found = pairs(truth), pairs(predicted)
    hit = len(true_pairs & found)
    return (hit / len(found) if found else 1.0), (hit / len(true_pairs) if true_pairs else 1.0)


def quality(directory: str, n: int, seed: int) -> None:
    url = fresh_db(directory, "quality")
    items = build(n, seed, days=90, end=TODAY)
    ids: dict[int, Synthetic] = {}
    started = time.perf_counter()
    for item in items:
        ids[store(url, [item], "q")[0]] = item
    elapsed = time.perf_counter() - started
    with transaction(url) as session:
        rows = session.execute(select(ClusterMember.article_id, ClusterMember.cluster_id))
        members = {article_id: cluster_id for article_id, cluster_id in rows}
    truth = {article_id: item.truth for article_id, item in ids.items()}
    predicted = {article_id: members.get(article_id, -article_id) for article_id in ids}
    precision, recall = pair_scores(truth, predicted)
    print(f"articles: {len(items)} ({n // 5} near-duplicate variants, {n // 20} same-topic unrelated)")
    print(f"clustering precision: {precision:.4f}   recall: {recall:.4f}   (target >= 0.98 both)")
    print(f"stored in {elapsed:.1f} s ({elapsed / len(items) * 1000:.2f} ms per article, one transaction each)")


def fill_archive(url: str, size: int, seed: int) -> None:
    """`size` archived articles with their bands and signatures, written in bulk (not timed)."""
    items = build(size, seed, days=1000, end=TODAY - timedelta(days=1))
    engine = get_engine(url)
    batch = 2000
    next_id = 1
    for start in range(0, len(items), batch):
        chunk = items[start:start + batch]
        articles, raws, bands, signatures = [], [], [], []
        for item in chunk:
            rec = record(item, "a")
            row = {k: v for k, v in rec.to_dict().items() if k not in ("published_at", "modified_at",
                                                                       "fetched_at")}
            row.update(id=next_id, published_at=rec.published_at, modified_at=None, fetched_at=rec.fetched_at)
            articles.append(row)
            raws.append({"article_id": next_id, "html_zlib": compress_html(rec.body.encode()),
                         "encoding": None, "fetched_at": rec.fetched_at})
            made = minhash.fingerprint_of(rec.body)
            day = minhash.day_number(rec.published_at)
            bands += [{"band_hash": k, "day": day, "article_id": next_id} for k in set(made.keys)]
            signatures.append({"article_id": next_id, "shingles": made.size, "minhash": made.signature})
            next_id += 1
        with engine.begin() as conn:
            conn.execute(insert(Article), articles)
            conn.execute(insert(RawPage), raws)
            conn.execute(insert(ArticleBand), bands)
            conn.execute(insert(ArticleSignature), signatures)


def ingest_cost(directory: str, archive: int, probe: int, seed: int, batch: int, rounds: int) -> None:
    probes = build(probe, seed + 1, days=1, end=TODAY)
    full = fresh_db(directory, "archive")
    started = time.perf_counter()
    fill_archive(full, archive, seed + 2)
    print(f"(built the {archive:,}-article archive in {time.perf_counter() - started:.0f} s)")
    timings: dict[str, list[float]] = {"empty archive": [], f"{archive:,} archived": []}
    assigning: dict[str, list[float]] = {label: [] for label in timings}
    for run in range(rounds):
        for label in timings:
            url = fresh_db(directory, f"round{run}-empty") if label == "empty archive" else _copy(full, run)
            started, ASSIGN.seconds = time.perf_counter(), 0.0
            for at in range(0, len(probes), batch):
                store(url, probes[at:at + batch], "p")
            timings[label].append((time.perf_counter() - started) / len(probes) * 1000)
            assigning[label].append(ASSIGN.seconds / len(probes) * 1000)
            for leftover in Path(directory).glob(f"round{run}-*"):
                leftover.unlink()
    medians = {label: statistics.median(values) for label, values in timings.items()}
    step = {label: statistics.median(values) for label, values in assigning.items()}
    for label, values in timings.items():
        print(f"{label:>20}: {medians[label]:.2f} ms per article stored (median of "
              f"{', '.join(f'{v:.2f}' for v in values)}; batches of {batch}), of which near-duplicate "
              f"step {step[label]:.2f} ms")
    (empty, filled), (empty_step, filled_step) = medians.values(), step.values()
    print(f"slowdown at {archive:,} archived: store path {filled / empty - 1:+.1%}, near-duplicate step "
          f"{filled_step / empty_step - 1:+.1%}   (target <= +20%)")


def _copy(url: str, run: int) -> str:
    source = Path(url.removeprefix("sqlite:///"))
    with get_engine(url).connect() as conn:  # fold the WAL into the file so the copy is complete
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    target = source.with_name(f"round{run}-full.db")
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles in the quality set (default 10000)")
    parser.add_argument("--archive", type=int, default=100_000, help="archive size for the cost test")
    parser.add_argument("--probe", type=int, default=1000, help="articles timed per archive size")
    parser.add_argument("--batch", type=int, default=MAX_BATCH, help="articles per transaction in the cost test")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per archive size (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-cost", action="store_true")
    args = parser.parse_args(argv)
    if args.n < 40 or args.archive < 1 or args.probe < 10 or args.batch < 1 or args.rounds < 1:
        parser.error("--n must be >= 40, --probe >= 10, --archive, --batch and --rounds >= 1")
    print(f"MinHash {minhash.NUM_PERM} permutations, {minhash.BANDS} bands x {minhash.ROWS} rows, "
          f"{minhash.SHINGLE_CHARS}-character shingles, overlap threshold {neardup.THRESHOLD}, "
          f"window +-{neardup.WINDOW_DAYS} days")
    with tempfile.TemporaryDirectory() as directory:
        quality(directory, args.n, args.seed)
        if not args.skip_cost:
            ingest_cost(directory, args.archive, args.probe, args.seed, args.batch, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
