"""Search benchmark: a synthetic archive of realistic Korean articles, then query latencies.

    python bench/search.py                 # 1,000,000 articles on SQLite (takes a while)
    python bench/search.py --n 100000 --pg # smaller, and PostgreSQL side by side
    python bench/search.py --dir D --keep  # keep the SQLite file in D; then, to query it again:
    python bench/search.py --dir D --reuse [--reindex]  # --reindex: rebuild only its search index

Article text is recombined from the sentences of the real pages in ../shared/corpus/pages (and any html
under tests/fixtures): each body is 10-20 sentences drawn at random, so word frequencies and lengths are
those of real Korean news, not lorem ipsum. (Recombining ~500 sentences makes every common bigram far
denser than in real news, 30-90% of articles: a hard case for the index.) Articles are bulk-loaded
(executemany on SQLite; COPY on PostgreSQL, with the index rows made in Python by every CPU while the
server writes the previous chunk) into the current schema with the search index taken down;
"index build" is then the time to build it over all of them (storage.search.rebuild: the statements
migration 0004 runs, through the same functions the triggers use).

Each query kind is run over 20 different queries drawn from the corpus, three times each, through the
public storage.search.search() (so snippets and highlighting are included); p50/p95 are over those 60.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from core.ministries import MINISTRIES  # noqa: E402
from storage.db import get_engine, migrate, normalise_url  # noqa: E402
from storage.search import search  # noqa: E402
from storage.search.entries import PG_DOC, PG_PAIRS, entry  # noqa: E402
from storage.search.query import PgMatch, to_tsquery  # noqa: E402
from storage.search.rebuild import build_index, drop_index  # noqa: E402
from storage.search.schema import PG_TABLE  # noqa: E402
from storage.search.schema_pairs import GIN  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "pages"
FIXTURES = ROOT / "tests" / "fixtures"
SOURCES = ["etoday", "yna", "korea_kr", "mk", "hankookilbo", "donga", "chosun", "newsis"]
SECTIONS = ["정치", "경제", "사회", "국제", "문화", "IT", ""]
HANGUL_WORD = re.compile(r"^[가-힣]+$")


def corpus_sentences() -> tuple[list[str], list[str]]:
    """Sentences and titles of the real pages."""
    import trafilatura

    sentences: list[str] = []
    titles: list[str] = []
    pages = sorted(CORPUS.glob("*.html")) + sorted(FIXTURES.rglob("*.html"))
    for page in pages:
        html = page.read_bytes().decode("utf-8", errors="replace")
        doc = trafilatura.bare_extraction(html, with_metadata=True)
        if doc is None:
            continue
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        if data.get("title"):
            titles.append(str(data["title"]))
        for line in str(data.get("text") or "").splitlines():
            for sentence in re.split(r"(?<=[.!?])\s+", line.strip()):
                if 15 <= len(sentence) <= 300 and re.search("[가-힣]", sentence):
                    sentences.append(sentence)
    return sorted(set(sentences)), titles


def articles(n: int, sentences: list[str], titles: list[str], seed: int = 5) -> Iterator[dict[str, Any]]:
    rnd = random.Random(seed)
    ministries = list(MINISTRIES)
    start = datetime(2016, 1, 1, tzinfo=UTC)
    span = int((datetime(2026, 11, 1, tzinfo=UTC) - start).total_seconds())
    now = datetime.now(UTC)
    for i in range(1, n + 1):
        body = " ".join(rnd.choices(sentences, k=rnd.randint(10, 20)))
        head = rnd.choice(sentences)
        title = rnd.choice(titles) if rnd.random() < 0.1 else head[: rnd.randint(20, 45)].rstrip()
        named = rnd.sample(ministries, rnd.choice((0, 1, 1, 2)))
        yield {
            "id": i, "canonical_url": f"https://bench.example/{i}", "url": f"https://bench.example/{i}",
            "source": rnd.choice(SOURCES), "title": title, "subtitle": "", "body": body,
            "published_at": start + timedelta(seconds=rnd.randrange(span)), "modified_at": None,
            "authors": "[]", "section": rnd.choice(SECTIONS), "images": "[]", "language": "ko",
            "ministries": json.dumps(named, ensure_ascii=False), "attachments": "[]", "fetched_at": now,
            "content_hash": uuid.UUID(int=rnd.getrandbits(128)).hex + f"{i:032x}", "run_id": None,
            "_ministries": named,
        }


COLUMNS = ["id", "canonical_url", "url", "source", "title", "subtitle", "body", "published_at",
           "modified_at", "authors", "section", "images", "language", "ministries", "attachments",
           "fetched_at", "content_hash", "run_id"]


def load_sqlite(url: str, rows: Iterator[dict[str, Any]], batch: int = 5000) -> None:
    import sqlite3

    path = make_url(url).database
    assert path
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    insert = f"INSERT INTO articles ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        def value(row: dict[str, Any], col: str) -> Any:
            v = row[col]
            return v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) \
                else v
        conn.executemany(insert, [[value(r, c) for c in COLUMNS] for r in chunk])
        conn.executemany("INSERT INTO article_ministries VALUES (?, ?)",
                         [(r["id"], m) for r in chunk for m in r["_ministries"]])
        conn.commit()
        chunk.clear()

    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            flush()
    flush()
    conn.close()


def _pg_entry(row: dict[str, Any]) -> tuple[int, str, str, str, str, str]:
    made = entry("postgresql", row["title"], row["subtitle"], row["body"], row["source"], row["section"],
                 row["_ministries"], row["published_at"])
    return row["id"], row["title"], made.title[1], made.body[1], made.facets, made.pairs


def load_postgres(url: str, rows: Iterator[dict[str, Any]], chunk_size: int = 20_000) -> None:
    """COPY the articles, and their search index rows made in Python by every CPU (the entries the
    crawl's store path writes, storage/search/entries.py): tokenising in PL/pgSQL took 3.5 ms an article.
    The entries of the next chunk are made while the server writes this one."""
    import itertools
    import multiprocessing

    import psycopg

    dsn = make_url(normalise_url(url)).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur, multiprocessing.get_context("fork").Pool() as pool:
        cur.execute("SET synchronous_commit = off")
        cur.execute("CREATE TEMP TABLE staged (id integer, heading text, title text, body text, facets text,"
                    " pairs text)")
        links: list[tuple[int, str]] = []

        def flush(chunk: list[dict[str, Any]], entries: Any) -> None:
            with cur.copy(f"COPY articles ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row([row[c] for c in COLUMNS])
                    links.extend((row["id"], m) for m in row["_ministries"])
            with cur.copy("COPY staged FROM STDIN") as copy:
                for staged in entries.get():
                    copy.write_row(staged)
            cur.execute(f"INSERT INTO {PG_TABLE} (article_id, title, doc, pairs) SELECT id, heading, "
                        f"{PG_DOC.format(r='staged')}, {PG_PAIRS.format(r='staged')} FROM staged")
            cur.execute("TRUNCATE staged")
            conn.commit()

        pending = None
        while chunk := list(itertools.islice(rows, chunk_size)):
            entries = pool.map_async(_pg_entry, chunk, chunksize=200)
            if pending:
                flush(*pending)
            pending = chunk, entries
        if pending:
            flush(*pending)
        with cur.copy("COPY article_ministries (article_id, ministry) FROM STDIN") as copy:
            for link in links:
                copy.write_row(link)
        cur.execute("SELECT setval('articles_id_seq', (SELECT max(id) FROM articles))")
        conn.commit()


def query_sets(sentences: list[str], rnd: random.Random) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    words = Counter(w for s in sentences for w in re.findall(r"[가-힣]+", s))
    two = [w for w, c in words.most_common() if len(w) == 2 and c >= 3]
    longer = [w for w, c in words.most_common() if 4 <= len(w) <= 7 and c >= 2]
    phrases, triples = [], []
    for s in rnd.sample(sentences, min(len(sentences), 400)):
        ws = [w for w in s.split() if HANGUL_WORD.match(w) and len(w) >= 2]
        if len(ws) >= 2:
            i = rnd.randrange(len(ws) - 1)
            phrases.append(f'"{ws[i]} {ws[i + 1]}"')
        if len(ws) >= 3:
            triples.append(" ".join(rnd.sample(ws, 3)))
    ministries = list(MINISTRIES)
    pick = lambda xs: rnd.sample(xs, min(20, len(xs)))  # noqa: E731
    return {
        "two-syllable word": [(w, {}) for w in pick(two[:200])],
        "longer word": [(w, {}) for w in pick(longer[:300])],
        "phrase": [(p, {}) for p in pick(phrases)],
        "three words": [(t, {}) for t in pick(triples)],
        "word + --ministry --since": [(w, {"ministry": rnd.choice(ministries), "since": date(2025, 1, 1)})
                                      for w in pick(two[:200])],
    }


Queries = dict[str, list[tuple[str, dict[str, Any]]]]


def measure(url: str, queries: Queries, repeat: int = 3) -> dict[str, Any]:
    out = {}
    for kind, items in queries.items():
        times, found = [], []
        for _ in range(repeat):
            for q, kwargs in items:
                t0 = time.perf_counter()
                hits = search(url, q, **kwargs)
                times.append((time.perf_counter() - t0) * 1000)
                found.append(len(hits))
        times.sort()
        out[kind] = {"p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))],
                     "max": times[-1], "hits": statistics.mean(found)}
    return out


def _bigram_walk(query: Any, facets: Any = ()) -> PgMatch:
    """What the walk asked of the index before migration 0014: the whole query, phrases by bigram positions."""
    whole = to_tsquery(query, facets)
    return PgMatch(whole, None, None, "<->" not in whole)


def compare(url: str, queries: Queries, repeat: int = 3) -> None:
    """Each query through the walk before migration 0014 and the current one, alternately, on the same
    database; their hits (ids and scores, in order) must be the same."""
    from storage.search import backends

    current = backends.to_pg_match
    times: dict[str, dict[str, list[float]]] = {}
    differ = 0
    for kind, items in queries.items():
        times[kind] = {"before": [], "now": []}
        for r in range(repeat):
            for q, kwargs in items:
                got = {}
                for label in (("before", "now") if r % 2 == 0 else ("now", "before")):
                    backends.to_pg_match = _bigram_walk if label == "before" else current  # type: ignore[assignment]
                    t0 = time.perf_counter()
                    hits = search(url, q, **kwargs)
                    times[kind][label].append((time.perf_counter() - t0) * 1000)
                    got[label] = [(h.id, round(h.score, 6)) for h in hits]
                if r == 0 and got["before"] != got["now"]:
                    differ += 1
                    print(f"differ: {kind} {q!r} {kwargs}: before {got['before'][:5]} now {got['now'][:5]}")
    backends.to_pg_match = current  # type: ignore[assignment]
    print(f"{'query':<28}{'before p50':>11}{'p95':>8}{'now p50':>9}{'p95':>8}")
    for kind, t in times.items():
        b, n = sorted(t["before"]), sorted(t["now"])
        pick = lambda xs: (statistics.median(xs), xs[int(0.95 * (len(xs) - 1))])  # noqa: E731
        print(f"{kind:<28}{pick(b)[0]:>11.1f}{pick(b)[1]:>8.1f}{pick(n)[0]:>9.1f}{pick(n)[1]:>8.1f}")
    print(f"queries whose hits differ: {differ}")
    sys.stdout.flush()


def db_size(url: str) -> int:
    if url.startswith("sqlite"):
        with get_engine(url).connect() as conn:  # fold the WAL (the index build's pages) into the file
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        path = make_url(url).database or ""
        return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    with get_engine(url).connect() as conn:
        return int(conn.scalar(text("SELECT pg_database_size(current_database())")) or 0)


def pg_index_sizes(url: str) -> str:
    """The search index's parts on PostgreSQL: its rows (with their inline tsvectors; the heap is what a
    search reads, one page per candidate) and the GIN index, and the server's buffers that cache them."""
    with get_engine(url).connect() as conn:
        rows, heap, gin, buffers, preload = conn.execute(text(
            f"SELECT pg_table_size('{PG_TABLE}'), pg_relation_size('{PG_TABLE}'), pg_relation_size('{GIN}'),"
            " current_setting('shared_buffers'), current_setting('shared_preload_libraries')")).one()
    prewarm = "on" if "pg_prewarm" in preload else "off"
    return (f"index rows {rows / 1e9:.2f} GB (heap {heap / 1e9:.2f} GB) · GIN index {gin / 1e9:.2f} GB · "
            f"server shared_buffers {buffers}, autoprewarm {prewarm} (README: a large archive on PostgreSQL)")


def build(url: str, n: int, sentences: list[str], titles: list[str],
          load: Callable[[str, Iterator[dict[str, Any]]], None]) -> dict[str, float]:
    migrate(url, "head")
    with get_engine(url).begin() as conn:
        drop_index(conn)
    t0 = time.perf_counter()
    load(url, articles(n, sentences, titles))
    t1 = time.perf_counter()
    return {"load_s": t1 - t0, **reindex(url, fill=load is not load_postgres)}


def reindex(url: str, fill: bool = True) -> dict[str, float]:
    """Build the search index over the loaded articles (what migration 0004 does to an archive); without
    `fill`, only its GIN index over the rows the loader wrote (PostgreSQL)."""
    t0 = time.perf_counter()
    with get_engine(url).begin() as conn:
        if fill:
            drop_index(conn)
        build_index(conn, fill)
    t1 = time.perf_counter()
    # PostgreSQL: VACUUM too, so that the freshly loaded rows' pages are as a running archive's are (hint
    # bits set), instead of the first searches writing them back while they read.
    with get_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE" if url.startswith("sqlite") else "VACUUM (ANALYZE)"))
    return {"index_s": t1 - t0, "analyze_s": time.perf_counter() - t1}


def report_build(name: str, n: int, timings: dict[str, float] | None, size: int) -> None:
    print(f"\n== {name}: {n:,} articles")
    if timings:
        if "load_s" in timings:
            print(f"bulk load {timings['load_s']:.1f} s", end=" · ")
        print(f"index build {timings['index_s']:.1f} s · (vacuum) analyze {timings['analyze_s']:.1f} s", end=" · ")
    print(f"database size {size / 1e9:.2f} GB")
    sys.stdout.flush()


def report(lat: dict[str, Any]) -> None:
    print(f"{'query':<28}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'avg hits':>10}")
    for kind, r in lat.items():
        print(f"{kind:<28}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['max']:>9.1f}{r['hits']:>10.1f}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of articles")
    parser.add_argument("--pg", action="store_true", help="also run PostgreSQL ($NEWSARCHIVE_BENCH_PG_URL)")
    parser.add_argument("--dir", default=None, help="where to put the SQLite file (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file / PostgreSQL database")
    parser.add_argument("--reuse", action="store_true",
                        help="query an existing SQLite file from --dir instead of building it")
    parser.add_argument("--reindex", action="store_true",
                        help="with --reuse: rebuild the search index of the existing file first")
    parser.add_argument("--pg-only", action="store_true", help="PostgreSQL only (no SQLite run)")
    parser.add_argument("--pg-reuse", metavar="DATABASE", default=None,
                        help="query this kept PostgreSQL database instead of building one (with --pg-only)")
    parser.add_argument("--pg-prefix", default="newsarchive_bench_",
                        help="name prefix of the PostgreSQL database built (a random suffix follows)")
    parser.add_argument("--compare", action="store_true",
                        help="PostgreSQL: alternate, query by query, the walk asking the index for the"
                             " whole query as before migration 0014 (no pair tokens) and the current one;"
                             " report both and any query whose hits differ")
    args = parser.parse_args()

    sentences, titles = corpus_sentences()
    print(f"corpus: {len(sentences)} sentences, {len(titles)} titles from {CORPUS}")
    queries = query_sets(sentences, random.Random(7))

    if not args.pg_only:
        run_sqlite(args, sentences, titles, queries)
    if args.pg or args.pg_only:
        run_postgres(args, sentences, titles, queries)


def run_sqlite(args: argparse.Namespace, sentences: list[str], titles: list[str], queries: Queries) -> None:
    workdir = Path(args.dir or tempfile.mkdtemp(prefix="newsarchive-bench-"))
    path = workdir / f"bench-{args.n}.db"
    url = f"sqlite:///{path}"
    timings = None
    if not (args.reuse and path.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        timings = build(url, args.n, sentences, titles, load_sqlite)
    elif args.reindex:
        migrate(url, "head")
        timings = reindex(url)
    report_build("SQLite FTS5 (bigrams)", args.n, timings, db_size(url))
    report(measure(url, queries))
    get_engine(url).dispose()
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_postgres(args: argparse.Namespace, sentences: list[str], titles: list[str], queries: Queries) -> None:
    admin_url = os.environ.get("NEWSARCHIVE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = args.pg_reuse or f"{args.pg_prefix}{uuid.uuid4().hex[:8]}"
    if not args.pg_reuse:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    pg_url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    keep = args.keep or bool(args.pg_reuse)
    try:
        timings = None if args.pg_reuse else build(pg_url, args.n, sentences, titles, load_postgres)
        if args.pg_reuse:
            migrate(pg_url, "head")
        report_build("PostgreSQL (bigram tsvector + GIN)", args.n, timings, db_size(pg_url))
        print(pg_index_sizes(pg_url))
        if keep:
            print(f"kept as database {name} (--pg-only --pg-reuse {name} queries it again)")
        if args.compare:
            compare(pg_url, queries)
        else:
            report(measure(pg_url, queries))
    finally:
        get_engine(pg_url).dispose()
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
