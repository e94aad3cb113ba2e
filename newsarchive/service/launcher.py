"""Run one crawl as its own OS process and make sure its crawl_runs row ends finished, failed or killed.

The launcher creates the row, passes its id to the child with --run-id, and reads the row back after the
child exits: the row, not the exit code, says how the crawl went (Scrapy can exit 0 after failing at
start-up)."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from sqlalchemy.exc import SQLAlchemyError

from core.jobs import REVISIT_SUFFIX
from core.timewindow import DEFAULT_WINDOW_DAYS, Window
from newsarchive.config import DATABASE_ENV
from newsarchive.service.liveness import heard_from, is_local, run_is_live
from storage.db import DatabaseError, transaction
from storage.repository import RUN_COUNTERS, create_run, get_run, list_runs, update_run

DEFAULT_COMMAND: tuple[str, ...] = (sys.executable, "-m", "newsarchive", "crawl")
REVISIT_COMMAND: tuple[str, ...] = (sys.executable, "-m", "newsarchive", "revisit")
STDERR_LINES = 20
KILL_WAIT_SECONDS = 10.0
POLL_SECONDS = 0.2

log = logging.getLogger("newsarchive.service")


@dataclass
class RunOutcome:
    run_id: int
    spider: str
    status: str
    reason: str
    exit_code: int | None
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def format_counts(counts: dict[str, int]) -> str:
    return " ".join(f"{name}={counts.get(name, 0)}" for name in RUN_COUNTERS)


class Launcher:
    """Launches `<command> SPIDER --run-id N --since D --until D` and records its outcome.

    The database URL travels in $NEWSARCHIVE_DATABASE_URL, not on the command line, so a password in it
    never shows in `ps`."""

    def __init__(self, db_url: str, *, command: Sequence[str] | None = None, window_days: int = DEFAULT_WINDOW_DAYS,
                 timeout_seconds: float = 7200.0, grace_seconds: float = 60.0,
                 kill_wait_seconds: float = KILL_WAIT_SECONDS, env: dict[str, str] | None = None,
                 revisit_days: int = 3) -> None:
        self.db_url = db_url
        self.command = tuple(command) if command else DEFAULT_COMMAND
        self.window_days = window_days
        self.timeout_seconds = timeout_seconds
        self.grace_seconds = grace_seconds
        self.kill_wait_seconds = kill_wait_seconds
        self.env = env
        self.revisit_command = REVISIT_COMMAND
        self.revisit_days = revisit_days
        self.stopping = threading.Event()
        self._stop_deadline: float | None = None

    # --- shutdown -----------------------------------------------------------------------------------

    def request_stop(self, grace_seconds: float | None = None) -> None:
        """Start no new crawl; running ones may go on for the grace period (0: end them now)."""
        grace = self.grace_seconds if grace_seconds is None else grace_seconds
        deadline = time.monotonic() + grace
        if self._stop_deadline is None or deadline < self._stop_deadline:
            self._stop_deadline = deadline
        self.stopping.set()

    # --- one run ------------------------------------------------------------------------------------

    def active_run(self, spider: str) -> int | None:
        """The id of a run of `spider` still going in a live process (e.g. a manual crawl, or a crawl on
        another machine that shares the archive), if any."""
        with transaction(self.db_url) as session:
            for run in list_runs(session, spider, limit=20):
                if run_is_live(run):
                    return run.id
        return None

    def run(self, spider: str, since: date | None = None, until: date | None = None) -> RunOutcome:
        """Run one job: `SPIDER` crawls, `SPIDER-revisit` revisits SPIDER's recent articles."""
        command, target, days = self.command, spider, self.window_days
        if spider.endswith(REVISIT_SUFFIX):
            command, target = self.revisit_command, spider.removesuffix(REVISIT_SUFFIX)
            days = self.revisit_days
        window = Window.from_days(since, until, days)
        with transaction(self.db_url) as session:
            run_id = create_run(session, spider, window.start, window.end).id
        argv = [*command, target, "--run-id", str(run_id),
                "--since", window.since_day.isoformat(), "--until", window.until_day.isoformat()]
        env = {**(self.env if self.env is not None else os.environ), DATABASE_ENV: self.db_url}
        started = time.monotonic()
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    env=env, start_new_session=True)
        except OSError as exc:
            return self._finish(run_id, spider, None, None, [], started, error=f"cannot start crawl: {exc}")
        self._record_pid(run_id, proc.pid)
        log.info("run %d %s started: window %s..%s pid %d", run_id, spider, window.since_day,
                 window.until_day, proc.pid)
        tail: deque[str] = deque(maxlen=STDERR_LINES)
        reader = threading.Thread(target=_drain, args=(proc.stderr, tail), daemon=True)
        reader.start()
        killed = self._wait(proc, started)
        reader.join(timeout=5)
        return self._finish(run_id, spider, proc.returncode, killed, list(tail), started)

    def _record_pid(self, run_id: int, pid: int) -> None:
        try:
            with transaction(self.db_url) as session:
                update_run(session, run_id, pid=pid)
        except (SQLAlchemyError, DatabaseError) as exc:
            log.error("run %d: cannot record pid %d: %s", run_id, pid, exc)

    def _wait(self, proc: subprocess.Popen[bytes], started: float) -> str | None:
        """Wait for the child; end it on timeout or when the grace period after a stop runs out.

        Returns why the launcher ended the child, or None when it exited on its own."""
        while True:
            try:
                proc.wait(timeout=POLL_SECONDS)
                return None
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if now - started >= self.timeout_seconds:
                reason = f"timeout: still running after {self.timeout_seconds:g}s"
            elif self._stop_deadline is not None and now >= self._stop_deadline:
                reason = ("service stopped: crawl still running after a grace period of "
                          f"{self.grace_seconds:g}s")
            else:
                continue
            self._end(proc)
            return reason

    def _end(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGTERM to the child's process group (Scrapy shuts down cleanly), SIGKILL if it lingers."""
        for sig, wait in ((signal.SIGTERM, self.kill_wait_seconds), (signal.SIGKILL, 30.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def _finish(self, run_id: int, spider: str, exit_code: int | None, killed: str | None,
                tail: list[str], started: float, error: str | None = None) -> RunOutcome:
        last_line = next((line for line in reversed(tail) if line.strip()), "")
        outcome = RunOutcome(run_id, spider, "failed", "", exit_code, seconds=time.monotonic() - started)
        try:
            with transaction(self.db_url) as session:
                run = get_run(session, run_id)
                if run is None:
                    raise LookupError(f"crawl run {run_id} disappeared")
                status, reason = run.status, run.reason
                if killed:
                    status, reason = "killed", killed + (f"; crawl reported: {reason}" if reason else "")
                elif error:
                    status, reason = "failed", error
                elif status == "running":
                    status = "failed"
                    reason = f"crawl exited with code {exit_code} without recording a result"
                    reason += f": {last_line}" if last_line else ""
                if status != run.status or killed or error:
                    update_run(session, run_id, status=status, reason=reason, finished=True)
                elif run.finished_at is None:
                    update_run(session, run_id, finished=True)
                outcome.status, outcome.reason = status, reason
                outcome.counts = {name: int(getattr(run, name) or 0) for name in RUN_COUNTERS}
        except (SQLAlchemyError, DatabaseError, LookupError) as exc:
            outcome.reason = f"cannot record the outcome: {exc}"
            log.error("run %d %s: %s", run_id, spider, outcome.reason)
            return outcome
        level = logging.INFO if outcome.status == "finished" else logging.ERROR
        log.log(level, "run %d %s %s in %.1fs: %s%s", run_id, spider, outcome.status, outcome.seconds,
                format_counts(outcome.counts), f" ({outcome.reason})" if outcome.reason else "")
        return outcome


def _drain(stream: IO[bytes] | None, tail: deque[str]) -> None:
    if stream is None:
        return
    with stream:
        for raw in stream:
            tail.append(raw.decode("utf-8", errors="replace").rstrip())


def reconcile_orphans(db_url: str, spiders: Sequence[str], stale_after_seconds: float) -> list[int]:
    """Mark runs left "running" by a process that is gone as failed: on this machine, a dead pid; on
    another, a heartbeat older than HEARTBEAT_STALE_SECONDS. A local run with no pid yet (its launcher is
    starting it) is given `stale_after_seconds`."""
    from storage.repository import utcnow

    fixed: list[int] = []
    now = utcnow()
    with transaction(db_url) as session:
        for spider in spiders:
            for run in list_runs(session, spider, limit=50):
                if run.status != "running" or run_is_live(run, now):
                    continue
                if is_local(run) and run.pid is None and (now - run.started_at).total_seconds() < stale_after_seconds:
                    continue
                if is_local(run):
                    reason = "orphaned: the crawl process is gone (service or machine restarted?)"
                else:
                    reason = (f"orphaned: no sign of life from host {run.host} for "
                              f"{heard_from(run, now):.0f}s (machine stopped, or it lost the archive?)")
                update_run(session, run.id, status="failed", finished=True, reason=reason)
                fixed.append(run.id)
    for run_id in fixed:
        log.warning("run %d: left running by a process that is gone, marked failed", run_id)
    return fixed
