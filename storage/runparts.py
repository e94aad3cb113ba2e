"""The parts of a distributed crawl run: one row per worker process (`crawl_run_parts`), each with its
host, pid, heartbeat and counters. The run's own counters are always the sum of its parts, recomputed in
the transaction that writes a part, with the run's row locked first so that two workers flushing at once
cannot each sum without the other. Functions take a Session and never commit."""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import CrawlRun, CrawlRunPart
from storage.repository import RUN_COUNTERS, record_progress, utcnow


def open_part(session: Session, run_id: int, pid: int, host: str | None = None) -> int:
    """A new `running` part of run `run_id`; the run gets a heartbeat."""
    run = _locked_run(session, run_id)
    now = utcnow()
    part = CrawlRunPart(run_id=run_id, host=host or socket.gethostname(), pid=pid, started_at=now,
                        heartbeat_at=now, status="running", reason="", reasons={},
                        **{name: 0 for name in RUN_COUNTERS})
    session.add(part)
    run.heartbeat_at = now
    session.flush()
    return part.id


def record_part(session: Session, part_id: int, counts: dict[str, int] | None = None,
                reasons: dict[str, int] | None = None, status: str | None = None, reason: str | None = None,
                finished: bool = False) -> None:
    """A part's counters so far (and its end, when `finished`); also the part's and the run's heartbeat.
    The run's counters become the sum of its parts."""
    part = session.get(CrawlRunPart, part_id)
    if part is None:
        raise LookupError(f"no crawl run part {part_id}")
    run = _locked_run(session, part.run_id)
    now = record_progress(part, counts, reasons, status, reason, finished)
    session.flush()
    _sum_into(session, run)
    run.heartbeat_at = now


def end_parts(session: Session, run_id: int, status: str, reason: str) -> list[int]:
    """Parts of the run still `running` (their process died: kill -9, a lost machine) get `status`."""
    _locked_run(session, run_id)
    ended = []
    for part in parts_of(session, run_id):
        if part.status == "running":
            part.status, part.reason, part.finished_at = status, reason, utcnow()
            ended.append(part.id)
    session.flush()
    return ended


def parts_of(session: Session, run_id: int) -> list[CrawlRunPart]:
    query = select(CrawlRunPart).where(CrawlRunPart.run_id == run_id).order_by(CrawlRunPart.id)
    return list(session.scalars(query.execution_options(populate_existing=True)))


def part_summaries(session: Session, run_id: int) -> list[dict[str, Any]]:
    """The run's parts as plain values (for `runs ID` and --json); times in KST."""
    return [_summary(part) for part in parts_of(session, run_id)]


def parts_by_run(session: Session, run_ids: Collection[int]) -> dict[int, list[dict[str, Any]]]:
    """The parts of these runs as part_summaries gives them, in one query (absent: a run of one process)."""
    out: dict[int, list[dict[str, Any]]] = {}
    if run_ids:
        query = (select(CrawlRunPart).where(CrawlRunPart.run_id.in_(run_ids))
                 .order_by(CrawlRunPart.run_id, CrawlRunPart.id))
        for part in session.scalars(query):
            out.setdefault(part.run_id, []).append(_summary(part))
    return out


def _summary(part: CrawlRunPart) -> dict[str, Any]:
    from core.timewindow import KST

    return {"host": part.host, "pid": part.pid, "status": part.status, "reason": part.reason,
            "started_at": part.started_at.astimezone(KST).isoformat(timespec="seconds"),
            "heartbeat_at": part.heartbeat_at.astimezone(KST).isoformat(timespec="seconds"),
            "finished_at": part.finished_at.astimezone(KST).isoformat(timespec="seconds")
            if part.finished_at else None,
            **{name: getattr(part, name) for name in RUN_COUNTERS}, "reasons": dict(part.reasons or {})}


def part_counts(session: Session, run_ids: Collection[int]) -> dict[int, int]:
    """How many parts each of these runs has (absent: a run of one process)."""
    if not run_ids:
        return {}
    rows = session.execute(select(CrawlRunPart.run_id, func.count()).where(CrawlRunPart.run_id.in_(run_ids))
                           .group_by(CrawlRunPart.run_id))
    return {run_id: int(count) for run_id, count in rows}


def _locked_run(session: Session, run_id: int) -> CrawlRun:
    run = session.scalar(select(CrawlRun).where(CrawlRun.id == run_id).with_for_update())
    if run is None:
        raise LookupError(f"no crawl run {run_id}")
    return run


def _sum_into(session: Session, run: CrawlRun) -> None:
    totals: dict[str, Any] = dict.fromkeys(RUN_COUNTERS, 0)
    reasons: Counter[str] = Counter()
    for part in parts_of(session, run.id):
        for name in RUN_COUNTERS:
            totals[name] += getattr(part, name)
        reasons.update(part.reasons or {})
    for name, value in totals.items():
        setattr(run, name, value)
    run.reasons = dict(reasons)
