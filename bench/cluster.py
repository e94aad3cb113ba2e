"""Distributed crawl speed: one seeded crawl of a local etoday copy (N article pages) served by 1, 2 and 3
`newsarchive worker` processes into PostgreSQL, the site's politeness lifted as in bench/crawl.py (the
cluster's per-domain slot still runs, with no delay and a concurrency of 8).

    python bench/cluster.py [--n 300] [--workers 1,2,3] [--redis redis://127.0.0.1:6379/0] [--pg-admin URL]

For each worker count, into a fresh PostgreSQL database: pages/s over the workers' wall time (start-up and
the idle time before they leave included) and over the crawl's work (from the first worker's start to the
last article stored), the run's stored count against N, and the writer lock's hold per article (p50 /
p95 ms, every worker's store transactions, from $NEWSARCHIVE_LOCK_LOG: storage/locktime.py)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from bench.crawl import build, make_stories  # noqa: E402
from core.timewindow import KST  # noqa: E402
from newsarchive.demo.site.resources import Resource  # noqa: E402
from newsarchive.demo.site.server import serve  # noqa: E402
from storage import locktime  # noqa: E402
from storage.db import migrate, transaction  # noqa: E402
from storage.models import Article, CrawlRun  # noqa: E402
from storage.runparts import parts_of  # noqa: E402

IDLE_SECONDS = 1.0
LIFTED = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
          "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "--set", "CONCURRENT_REQUESTS=16",
          "--set", "NEWSARCHIVE_EXTRACT_WORKERS=1"]


def fresh_database(admin: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"newsarchive_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    migrate(url)
    return url


def drop_database(admin: str, url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from storage.db import get_engine

    get_engine(url).dispose()
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def run_cluster(site: dict[str, dict[str, Resource]], db: str, redis_url: str, workers: int,
                today: str, lock_log: Path) -> tuple[float, float, int]:
    """(pages/s over wall time, pages/s over the crawl's work, stored); the workers' write transactions
    are appended to `lock_log`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), locktime.LOG_ENV: str(lock_log)}
    env.pop("NEWSARCHIVE_MIRROR", None)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    with serve(site) as running:
        seeded = subprocess.run([sys.executable, "-m", "newsarchive", "crawl", "etoday", "--db", db,
                                 *running.mirror_args(), "--since", today, "--until", today, *LIFTED,
                                 "--distributed", redis_url, "--prefix", prefix],
                                capture_output=True, text=True, cwd=ROOT, env=env)
        if seeded.returncode != 0:
            raise SystemExit(f"seeding failed: {seeded.stderr[-2000:]}")
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-m", "newsarchive", "worker", "--redis", redis_url, "--db", db,
                                   "--prefix", prefix, "--idle-seconds", str(IDLE_SECONDS)],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(workers)]
        errors = [proc.communicate()[1] for proc in procs]
        wall = time.perf_counter() - start
    server = redis.Redis.from_url(redis_url)
    for key in server.scan_iter(f"{prefix}:*"):  # what the crawl leaves: its finalized mark
        server.delete(key)
    if any(proc.returncode for proc in procs):
        raise SystemExit(f"a worker failed: {[e[-1500:] for e in errors]}")
    with transaction(db) as session:
        run = session.query(CrawlRun).order_by(CrawlRun.id.desc()).first()
        assert run is not None
        first = min(part.started_at for part in parts_of(session, run.id))
        last = max(row.fetched_at for row in session.query(Article).filter(Article.run_id == run.id))
        work = (last - first).total_seconds()
        return run.stored / wall, run.stored / work, run.stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--workers", default="1,2,3", help="worker counts to measure, comma-separated")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--pg-admin", default=os.environ.get("NEWSARCHIVE_TEST_PG_URL",
                                                             "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    today = datetime.now(KST).date()
    site = build(make_stories(args.n), today)
    print(f"{'workers':>7} {'pages':>6} {'wall pages/s':>13} {'work pages/s':>13}"
          f" {'writer lock ms/article p50 / p95':>33}")
    for count in (int(value) for value in args.workers.split(",")):
        db = fresh_database(args.pg_admin)
        with tempfile.TemporaryDirectory() as tmp:
            lock_log = Path(tmp) / "locktime.log"
            try:
                wall, work, stored = run_cluster(site, db, args.redis, count, today.isoformat(), lock_log)
            finally:
                drop_database(args.pg_admin, db)
            lock = locktime.summarise(locktime.read_log(lock_log)) if lock_log.exists() else None
        held = "-" if lock is None or not lock.items else f"{lock.p50_ms:.2f} / {lock.p95_ms:.2f}"
        print(f"{count:>7} {stored:>6} {wall:>13.1f} {work:>13.1f} {held:>33}", flush=True)
    print(f"{os.cpu_count()} CPUs; idle time before a worker leaves {IDLE_SECONDS:.0f} s (in the wall figure)")


if __name__ == "__main__":
    main()
