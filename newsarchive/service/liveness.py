"""Is a `running` crawl run really running? On this machine its process says so; on another machine
(several crawl or schedule hosts sharing one PostgreSQL archive) only its heartbeat can: a pid means
nothing across hosts, and a pid that is dead here may be a live crawl there."""

from __future__ import annotations

import os
import socket
from datetime import datetime

from storage.models import CrawlRun
from storage.repository import utcnow

HEARTBEAT_STALE_SECONDS = 120.0
"""A run whose process flushes its counters every NEWSARCHIVE_RUN_FLUSH_SECONDS (10 s) and has not been
heard of for this long is gone (its machine stopped, or it lost the database)."""


def this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def heard_from(run: CrawlRun, now: datetime | None = None) -> float:
    """Seconds since the run's last heartbeat (its start when it never beat)."""
    beat = run.heartbeat_at or run.started_at
    return ((now or utcnow()) - beat).total_seconds()


def is_local(run: CrawlRun) -> bool:
    """Rows written before runs knew their host are taken as this machine's, as they were then."""
    return run.host is None or run.host == this_host()


def run_is_live(run: CrawlRun, now: datetime | None = None) -> bool:
    if run.status != "running":
        return False
    if is_local(run) and run.pid is not None:
        return pid_alive(run.pid)
    return heard_from(run, now) < HEARTBEAT_STALE_SECONDS
