"""The runs and health page's data: what `newsarchive runs` and `newsarchive health` report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.timewindow import kst_minutes
from newsarchive.web.params import WebError
from storage.db import transaction
from storage.repository import RUN_COUNTERS, list_runs, run_summary
from storage.runparts import parts_by_run


def _kst_text(value: object) -> str | None:
    return kst_minutes(datetime.fromisoformat(value)) if isinstance(value, str) else None


def runs_data(db_url: str, spider: str | None, limit: int, config_path: str | None) -> dict[str, Any]:
    """The newest runs; a distributed run's `parts` are its workers (host, pid, heartbeat, status,
    counters), as `newsarchive runs ID` shows them; a run of one process has none."""
    with transaction(db_url) as session:
        runs = [run_summary(run) for run in list_runs(session, spider, limit=limit)]
        parts = parts_by_run(session, [run["id"] for run in runs])
    for run in runs:
        run["started_at"], run["finished_at"] = _kst_text(run["started_at"]), _kst_text(run["finished_at"])
        run["parts"] = parts.get(run["id"], [])
        for part in run["parts"]:
            for name in ("started_at", "heartbeat_at", "finished_at"):
                part[name] = _kst_text(part[name])
    return {"runs": runs, "counters": list(RUN_COUNTERS), "health": health_data(db_url, config_path)}


def health_data(db_url: str, config_path: str | None) -> list[dict[str, Any]]:
    """Each scheduled spider's health, as `newsarchive health --json` gives it (times in KST)."""
    from core.timewindow import now_kst
    from newsarchive.config import ConfigError, load_config
    from newsarchive.service.health import check_spider
    from newsarchive.service.timing import load_schedules
    from scheduler import recent_runs

    try:
        config = load_config(config_path)
        schedules = load_schedules(config)
    except ConfigError as exc:
        raise WebError(500, f"bad configuration: {exc}") from None
    now = now_kst()
    out = []
    for name, trigger in schedules.items():
        report = check_spider(name, config.effective_schedules[name], trigger, recent_runs(db_url, name), now)
        data = report.to_dict()
        data["last_success"] = kst_minutes(report.last_success)
        if data["last_run"]:
            data["last_run"]["started_at"] = _kst_text(data["last_run"]["started_at"])
        out.append(data)
    return out
