"""Running the real `newsarchive` CLI in a subprocess, as a user would, and finding the processes it starts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, datetime

from core.timewindow import KST

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--no-progress"]


def kst_today() -> date:
    return datetime.now(KST).date()


def newsarchive(*args: str, env: dict[str, str] | None = None, timeout: float = 180,
                check: bool = False) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": REPO_ROOT, **(env or {})}
    full_env.pop("NEWSARCHIVE_MIRROR", None) if env is None or "NEWSARCHIVE_MIRROR" not in env else None
    result = subprocess.run([sys.executable, "-m", "newsarchive", *args], capture_output=True, text=True,
                            env=full_env, timeout=timeout, cwd=REPO_ROOT)
    if check and result.returncode != 0:
        raise AssertionError(f"newsarchive {' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(child) for child in handle.read().split()]
    except FileNotFoundError:
        return []


def descendants(pid: int) -> list[int]:
    return [found for child in children(pid) for found in (child, *descendants(child))]


def worker_processes(pid: int) -> set[int]:
    """The crawl workers of process `pid`: they are the children of its fork server, not its own."""
    return set(descendants(pid)) - set(children(pid))


def kill_workers(pid: int) -> set[int]:
    """SIGKILL the crawl workers of process `pid`, as the kernel's out-of-memory killer would; their pids."""
    workers = worker_processes(pid)
    for worker in workers:
        os.kill(worker, signal.SIGKILL)
    return workers
