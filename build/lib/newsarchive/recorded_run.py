"""What `crawl` and `revisit` share: open (or adopt) the run row, run the spider with live progress,
record a start-up failure, print the summary, and exit non-zero unless the run finished."""

from __future__ import annotations

import os
import sys
from datetime import datetime

import click

from crawler.process import CrawlRequest, run_crawl
from newsarchive.progress import CrawlProgress
from newsarchive.service.launcher import reconcile_orphans
from storage import repository
from storage.db import transaction

ORPHAN_AFTER_SECONDS = 6 * 3600  # a run with no pid this old was never started by anyone


def pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    """KEY=VALUE options (--arg, --set) as a dict; a malformed one is a usage error."""
    found = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {value!r}", param_hint=option)
        found[key.strip()] = val.strip()
    return found


def open_run(url: str, name: str, run_id: int | None, start: datetime | None = None,
             end: datetime | None = None) -> int:
    """The run row to record into: the launcher's (--run-id), or a new one. Rows left 'running' by a
    dead process are closed first."""
    reconcile_orphans(url, [name], stale_after_seconds=ORPHAN_AFTER_SECONDS)
    with transaction(url) as session:
        if run_id is None:
            return repository.create_run(session, name, start, end, pid=os.getpid()).id
        if repository.get_run(session, run_id) is None:
            raise click.BadParameter(f"no crawl run {run_id}", param_hint="--run-id")
    return run_id


def run_recorded(request: CrawlRequest, name: str, progress: bool | None) -> None:
    show = sys.stderr.isatty() if progress is None else progress
    display = CrawlProgress(name, enabled=show)
    with display:
        error = run_crawl(request, on_crawler=display.attach)
    with transaction(request.database_url) as session:
        if error:
            repository.update_run(session, request.run_id, status="failed", reason=f"could not start: {error}",
                                  finished=True)
        run = repository.get_run(session, request.run_id)
        assert run is not None
        summary = repository.run_summary(run)
    display.summary(summary)
    if summary["status"] != "finished":
        sys.exit(1)
