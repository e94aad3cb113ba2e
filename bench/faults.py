"""The crawl under faults: the hostile local 이투데이 (tests/faults/hostile.py) crawled with every fault on,
then again with the network faults cleared.

    python bench/faults.py [--db sqlite:///...|postgresql://...] ...   (default: a fresh SQLite file)

Prints, after each crawl, the reconciliation of every listed URL (stored once, or recorded in
rejected_pages with a reason, by that crawl's run or, for a page rejected for good and so skipped,
by the run that fetched it; lost: neither; doubled: kept twice or under a URL no listing
named), the peak RSS (VmHWM) of each process of the crawl (the crawl process, the fork server, each worker;
sampled from /proc while they run, this process being their subreaper), and the wall time. Targets: lost 0,
doubled 0, every process under 1 GB. Besides the tests' faults, the site serves a page with some 900,000
elements beside its article (the costliest tree a page under DOWNLOAD_MAXSIZE makes). Each --db must be an
empty (or new) archive."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.subreaper import adopt_descendants, reap_descendants  # noqa: E402
from core.timewindow import KST  # noqa: E402
from tests.crawl_helpers import FAST  # noqa: E402
from tests.faults.crawls import IMPATIENT, Archive, Reconciliation, reconcile  # noqa: E402
from tests.faults.hostile import HostileSite  # noqa: E402
from tests.faults.pages import FAULTS, TAG_SOUP  # noqa: E402

LIMIT_MB = 1024


@dataclass
class Peaks:
    """Peak RSS in MB per process, by role, sampled while the crawl runs."""

    mb: dict[int, float] = field(default_factory=dict)
    role: dict[int, str] = field(default_factory=dict)

    def biggest(self) -> float:
        return max(self.mb.values(), default=0.0)

    def by_role(self) -> list[tuple[str, float]]:
        return sorted(((self.role[pid], mb) for pid, mb in self.mb.items()), key=lambda r: (r[0], -r[1]))


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(child) for child in handle.read().split()]
    except OSError:
        return []


def _hwm_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _role(pid: int, parent_role: str, crawl_pid: int) -> str:
    """Named when first seen, from its parent: workers are forked from the fork server and share its
    command line."""
    if pid == crawl_pid:
        return "crawl process"
    if parent_role == "fork server":
        return "worker"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            cmdline = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return "?"
    if "forkserver" in cmdline:
        return "fork server"
    if "resource_tracker" in cmdline:
        return "resource tracker"
    return "other"


def _sample(crawl_pid: int, peaks: Peaks, done: threading.Event) -> None:
    """Every process below this one (the crawl's descendants are re-parented here when their parent exits)."""
    me = os.getpid()
    while not done.is_set():
        stack = [(child, "bench") for child in _children(me)]
        while stack:
            pid, parent_role = stack.pop()
            role = peaks.role.setdefault(pid, _role(pid, parent_role, crawl_pid))
            stack += [(child, role) for child in _children(pid)]
            mb = _hwm_mb(pid)
            if mb is not None:
                peaks.mb[pid] = max(peaks.mb.get(pid, 0.0), mb)
        time.sleep(0.05)


def run_crawl(site: HostileSite, db: str) -> tuple[float, Peaks, int]:
    args = [sys.executable, "-m", "newsarchive", "crawl", "etoday", "--db", db, *site.mirror_args(), *FAST,
            *IMPATIENT]
    env = {**os.environ, "PYTHONPATH": str(ROOT), **site.env()}
    env.pop("NEWSARCHIVE_MIRROR", None)
    peaks, done = Peaks(), threading.Event()
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = threading.Thread(target=_sample, args=(process.pid, peaks, done), daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    time.sleep(0.3)  # the fork server and workers leave just after the crawl process
    done.set()
    sampler.join()
    reap_descendants()
    if process.returncode != 0:
        raise SystemExit(f"crawl failed ({process.returncode}): {stderr[-2000:]}")
    return elapsed, peaks, process.pid


def report(label: str, result: Reconciliation, elapsed: float, peaks: Peaks) -> None:
    roles = ", ".join(f"{role} {mb:.0f}" for role, mb in peaks.by_role())
    print(f"{label:<30} {result.listed:>6} {result.stored:>6} {result.recorded:>8} {len(result.lost):>4} "
          f"{len(result.doubled):>7} {elapsed:>7.1f}s  peak RSS MB: {roles}")
    for url in result.lost:
        print(f"    lost: {url}")
    for url in result.doubled:
        print(f"    doubled: {url}")


def bench(db: str) -> bool:
    from datetime import datetime

    backend = db.split(":", 1)[0].split("+", 1)[0]
    with HostileSite(datetime.now(KST).date(), faults=(*FAULTS, TAG_SOUP)) as site:
        elapsed, peaks, _ = run_crawl(site, db)
        archive = Archive.read(db)
        first = reconcile(site.listed(), archive, archive.runs[-1].id)
        report(f"{backend}: faults on", first, elapsed, peaks)
        site.clear_faults()
        elapsed2, peaks2, _ = run_crawl(site, db)
        archive = Archive.read(db)
        # A page the first crawl rejected for good (not an article, no ministry) is skipped by the second
        # (storage.repository.known_urls): its record is the first run's, as tests/faults/test_fetch_faults.py
        # counts it.
        second = reconcile(site.listed(), archive, None)
        # After the faults clear, what is recorded instead of stored must be what the page is, not the network.
        report(f"{backend}: faults cleared", second, elapsed2, peaks2)
        leaks = site.leaks
    if leaks:
        print(f"    requests that left the mirrors: {leaks}")
    return (not first.lost and not first.doubled and not second.lost and not second.doubled and not leaks
            and max(peaks.biggest(), peaks2.biggest()) < LIMIT_MB)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", default=[], help="an empty archive's URL (repeatable)")
    args = parser.parse_args()
    adopt_descendants()
    with tempfile.TemporaryDirectory() as tmp:
        dbs = args.db or [f"sqlite:///{tmp}/faults.db"]
        print(f"{'crawl':<30} {'listed':>6} {'stored':>6} {'recorded':>8} {'lost':>4} {'doubled':>7} {'wall':>8}")
        ok = [bench(db) for db in dbs]
    print("summary: " + ("targets met (lost 0, doubled 0, no request off the mirrors, every process < 1 GB)"
                         if all(ok) else "TARGETS MISSED"))


if __name__ == "__main__":
    main()
