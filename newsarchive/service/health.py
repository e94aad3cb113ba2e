"""Rules that flag a spider which stopped producing: pure functions of its recent runs and `now`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from core.jobs import REVISIT_SUFFIX
from core.timewindow import KST
from newsarchive.service.timing import interval
from storage.models import CrawlRun

EMPTY_RUNS = 3
"""This many finished-or-failed runs in a row that stored nothing while listings had entries."""
MAX_FAILED_SHARE = 0.20
"""Extraction failures above this share of fetched pages in the latest run."""
STALE_INTERVALS = 2
"""No successful run for this many schedule intervals."""


@dataclass
class SpiderHealth:
    spider: str
    cron: str
    flags: list[str] = field(default_factory=list)
    last_run: dict[str, Any] | None = None
    last_success: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.flags

    def to_dict(self) -> dict[str, Any]:
        success = self.last_success.astimezone(KST).isoformat(timespec="seconds") if self.last_success else None
        return {"spider": self.spider, "cron": self.cron, "ok": self.ok, "flags": list(self.flags),
                "last_success": success, "last_run": self.last_run}


def check_spider(spider: str, cron: str, trigger: CronTrigger, runs: Sequence[CrawlRun],
                 now: datetime) -> SpiderHealth:
    """`runs` newest first. Running runs are ignored except that they show the spider is alive.

    `spider` may be a revisit job (SPIDER-revisit): its runs list archived articles and store only the
    edited ones, so storing nothing is normal and only the other two rules apply."""
    report = SpiderHealth(spider, cron)
    done = [run for run in runs if run.status != "running"]
    if done:
        last = done[0]
        report.last_run = {"id": last.id, "status": last.status, "reason": last.reason,
                           "started_at": last.started_at.astimezone(KST).isoformat(timespec="seconds"),
                           "stored": last.stored, "listed": last.listed, "fetched": last.fetched,
                           "failed": last.failed}
    recent = done[:EMPTY_RUNS]
    revisit = spider.endswith(REVISIT_SUFFIX)
    if not revisit and len(recent) == EMPTY_RUNS and all(run.stored == 0 and run.listed > 0 for run in recent):
        report.flags.append(f"the last {EMPTY_RUNS} runs stored nothing although listings had "
                            f"{', '.join(str(run.listed) for run in recent)} entries: site changed?")
    if done and done[0].fetched > 0 and done[0].failed > MAX_FAILED_SHARE * done[0].fetched:
        last = done[0]
        report.flags.append(f"run {last.id}: extraction failed for {last.failed} of {last.fetched} "
                            f"fetched pages (more than {MAX_FAILED_SHARE:.0%})")
    success = next((run for run in done if run.status == "finished"), None)
    report.last_success = success.started_at if success else None
    every = interval(trigger, now)
    if success is None:
        detail = f"; last run {done[0].status}: {done[0].reason}" if done else ""
        report.flags.append(f"no successful run recorded{detail}")
    elif now - success.started_at > every * STALE_INTERVALS:
        detail = f"; last run {done[0].status}: {done[0].reason}" if done[0] is not success else ""
        report.flags.append(f"no successful run since {success.started_at.astimezone(KST):%Y-%m-%d %H:%M KST} "
                            f"(more than {STALE_INTERVALS}x its interval of {every}){detail}")
    return report
