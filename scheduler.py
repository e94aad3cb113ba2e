"""The nightly schedule: cron jobs from config, each launching one crawl process at a time.

APScheduler only decides *when*; newsarchive.service.launcher runs the crawl process and records its
outcome. Catch-up after downtime is derived from the crawl_runs table, so no job store is needed."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobSubmissionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from core.jobs import REVISIT_SUFFIX
from newsarchive.config import Config
from newsarchive.service.launcher import Launcher, RunOutcome, reconcile_orphans
from newsarchive.service.timing import ShiftedTrigger, load_jobs, needs_catch_up, previous_fire, zone
from storage.db import redact, transaction
from storage.joblock import job_lock
from storage.models import CrawlRun
from storage.repository import list_runs

log = logging.getLogger("newsarchive.service")


def last_success(db_url: str, spider: str) -> datetime | None:
    """When the latest finished run of `spider` started."""
    with transaction(db_url) as session:
        for run in list_runs(session, spider, limit=200):
            if run.status == "finished":
                return run.started_at
    return None


def recent_runs(db_url: str, spider: str, limit: int = 20) -> list[CrawlRun]:
    with transaction(db_url) as session:
        return list_runs(session, spider, limit=limit)


class Service:
    """One job per spider; a per-spider lock makes an overlapping trigger a logged no-op.

    `clock` is the service's time (default: now in the schedule's zone). It may be set away from the real
    time, e.g. a second before a cron's time: catch-up and the cron lines then follow it."""

    def __init__(self, config: Config, db_url: str, *, command: Sequence[str] | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        self.db_url = db_url
        self.tz = zone(config.timezone)
        # job name -> trigger: SPIDER crawls, SPIDER-revisit revisits its recent articles for edits
        self.schedules: dict[str, CronTrigger] = load_jobs(config)
        self.launcher = Launcher(db_url, command=command or config.crawl_command or None,
                                 window_days=config.window_days,
                                 timeout_seconds=config.crawl_timeout_minutes * 60.0,
                                 grace_seconds=float(config.grace_seconds), revisit_days=config.revisit_days)
        self.clock = clock or (lambda: datetime.now(self.tz))
        self._locks = {spider: threading.Lock() for spider in self.schedules}
        self._idle = threading.Condition()
        self._active = 0
        self._signals = 0
        self.scheduler: BlockingScheduler | None = None

    # --- one trigger --------------------------------------------------------------------------------

    def trigger(self, spider: str) -> RunOutcome | None:
        """Run `spider` now unless it is already running (here or in another live process)."""
        if self.launcher.stopping.is_set():
            return None
        lock = self._locks[spider]
        if not lock.acquire(blocking=False):
            log.warning("%s: trigger skipped, the previous run is still active", spider)
            return None
        with self._idle:
            self._active += 1
        try:
            with job_lock(self.db_url, spider) as taken:
                if not taken:
                    log.warning("%s: trigger skipped, another schedule service is running it", spider)
                    return None
                other = self.launcher.active_run(spider)
                if other is not None:
                    log.warning("%s: trigger skipped, run %d is still active in another process", spider, other)
                    return None
                answered = self.answered_elsewhere(spider)
                if answered is not None:
                    log.info("%s: trigger skipped, run %d (%s) already answered it", spider, answered.id,
                             answered.host or "this host")
                    return None
                return self.launcher.run(spider)
        except Exception:  # one broken run must not stop the service
            log.exception("%s: the run could not be launched or recorded", spider)
            return None
        finally:
            lock.release()
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def answered_elsewhere(self, spider: str) -> CrawlRun | None:
        """A run of `spider` that started at or after its latest scheduled time and did not fail: another
        service (sharing the archive) already answered this trigger. A failed one may be tried again."""
        now = self.clock()
        fire = previous_fire(self.schedules[spider], now)
        if fire is None:
            return None
        shift = now - datetime.now(self.tz)  # runs start in real time; a moved clock reads them on its own
        with transaction(self.db_url) as session:
            for run in list_runs(session, spider, limit=20):
                if run.started_at + shift >= fire and run.status in ("running", "finished"):
                    return run
        return None

    # --- the service --------------------------------------------------------------------------------

    def catch_up_plan(self, now: datetime) -> dict[str, bool]:
        """Crawls only: a missed revisit is simply done at its next time."""
        return {spider: needs_catch_up(trigger, last_success(self.db_url, spider), now)
                if not spider.endswith(REVISIT_SUFFIX) else False
                for spider, trigger in self.schedules.items()}

    def build(self) -> BlockingScheduler:
        scheduler = BlockingScheduler(
            timezone=self.tz,
            executors={"default": ThreadPoolExecutor(max_workers=len(self.schedules) + 2)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None})
        scheduler.add_listener(self._on_max_instances, EVENT_JOB_MAX_INSTANCES)
        now = self.clock()
        offset = now - datetime.now(self.tz)  # the service's clock against APScheduler's (real) one
        if abs(offset) < timedelta(seconds=1):
            offset = timedelta(0)
        for spider, catch_up in self.catch_up_plan(now).items():
            extra: dict[str, Any] = {}
            if catch_up:
                log.info("%s: no successful run since its last scheduled time, running now (catch-up)",
                         spider)
                extra["next_run_time"] = now - offset
            trigger = self.schedules[spider]
            scheduler.add_job(self.trigger, ShiftedTrigger(trigger, offset) if offset else trigger,
                              args=[spider], id=spider, name=f"run {spider}", **extra)
        self.scheduler = scheduler
        return scheduler

    def _on_max_instances(self, event: JobSubmissionEvent) -> None:
        log.warning("%s: trigger skipped, the previous run is still active", event.job_id)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._signals += 1
        name = signal.Signals(signum).name
        if self._signals == 1:
            log.info("%s: stopping; running crawls get %ds to finish", name, self.config.grace_seconds)
            self.launcher.request_stop()
            if self.scheduler is not None and self.scheduler.running:
                self.scheduler.shutdown(wait=False)
        else:
            log.warning("%s again: ending running crawls now", name)
            self.launcher.request_stop(grace_seconds=0)

    def serve(self) -> int:
        """Run until SIGTERM/SIGINT, then wait for running crawls (ending them after the grace period)."""
        reconcile_orphans(self.db_url, list(self.schedules),
                          stale_after_seconds=self.config.crawl_timeout_minutes * 60.0)
        scheduler = self.build()
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for job in scheduler.get_jobs():
                log.info("%s: scheduled %r (%s)", job.id, self.config.job_crons[job.id],
                         self.config.timezone)
            log.info("service started: %d job(s), database %s", len(self.schedules), redact(self.db_url))
            if not self.launcher.stopping.is_set():  # a signal may arrive before the loop starts
                scheduler.start()
            with self._idle:
                while self._active:
                    self._idle.wait(timeout=1.0)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        log.info("service stopped")
        return 0

