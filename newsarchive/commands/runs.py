"""`newsarchive runs [ID]`: crawl-run history with counts and durations, or one run in detail."""

from __future__ import annotations

import json
from typing import Any

import click

from newsarchive.options import config_option, db_option

MAX_LIMIT = 10_000


@click.command(name="runs")
@click.argument("run_id", metavar="[ID]", type=click.IntRange(min=1, max=2**63 - 1), required=False)
@click.option("--spider", default=None, help="Only this spider's runs.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (every field) instead of a table.")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=20, show_default=True,
              help="How many runs, newest first.")
@db_option
@config_option
def command(run_id: int | None, spider: str | None, as_json: bool, limit: int, db: str | None,
            config_path: str | None) -> None:
    """Show crawl-run history, newest first; with ID, that run in detail (counts, reasons)."""
    from newsarchive.options import open_database
    from storage.db import transaction
    from storage.repository import get_run, list_runs, run_summary
    from storage.runparts import part_counts, part_summaries

    url = open_database(db, config_path)
    with transaction(url) as session:
        if run_id is not None:
            run = get_run(session, run_id)
            if run is None:
                raise click.ClickException(f"no crawl run {run_id}")
            rows = [{**run_summary(run), "parts": part_summaries(session, run_id)}]
        else:
            rows = [run_summary(run) for run in list_runs(session, spider, limit=limit)]
            parts = part_counts(session, [row["id"] for row in rows])
            rows = [{**row, "parts": parts.get(row["id"], 0)} for row in rows]
    if as_json:
        click.echo(json.dumps(rows[0] if run_id is not None else rows, ensure_ascii=False, indent=2))
    elif run_id is not None:
        _print_detail(rows[0])
    elif not rows:
        click.echo("no crawl runs recorded" + (f" for {spider}" if spider else ""), err=True)
    else:
        _print_table(rows)


def _when(value: object) -> str:
    from datetime import datetime

    from core.timewindow import KST

    if not value:
        return "-"
    return datetime.fromisoformat(str(value)).astimezone(KST).strftime("%Y-%m-%d %H:%M KST")


def _print_table(rows: list[dict[str, Any]]) -> None:
    """Seven columns that fit 80; the reason and the other counts are in `runs ID` and --json."""
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "spider", "started (KST)", "took", "status", "stored", "failed", box=None,
                  pad_edge=False)
    styles = {"finished": "green", "failed": "red", "killed": "red", "running": "yellow"}
    for row in rows:
        status = str(row["status"])
        spider = f"{row['spider']} ×{row['parts']}" if row.get("parts") else str(row["spider"])
        table.add_row(str(row["id"]), spider, _when(row["started_at"])[:16], _took(row),
                      f"[{styles[status]}]{status}[/]" if status in styles else status,
                      str(row["stored"]), str(row["failed"]))
    Console(width=200, highlight=False).print(table)


def _print_detail(row: dict[str, Any]) -> None:
    from storage.repository import RUN_COUNTERS

    fields = [("run", str(row["id"])), ("spider", str(row["spider"])), ("status", str(row["status"])),
              ("started", _when(row["started_at"])), ("finished", _when(row["finished_at"])),
              ("took", _took(row)), *((name, str(row[name])) for name in RUN_COUNTERS),
              ("reason", str(row["reason"]) or "-")]
    for name, value in fields:
        click.echo(f"{name + ':':<12}{value}")
    for reason, count in sorted((row.get("reasons") or {}).items()):
        click.echo(f"{'':<12}{count:>6}  {reason}")
    parts = row.get("parts") or []
    if parts:
        click.echo(f"{'parts:':<12}{len(parts)} workers (a distributed run: its counts are their sum)")
    for part in parts:
        counts = " ".join(f"{name}={part[name]}" for name in RUN_COUNTERS)
        why = f" ({part['reason']})" if part["reason"] else _silence(part)
        click.echo(f"{'':<12}{part['host']} pid {part['pid']} {part['status']}{why}: {counts}")


def _silence(part: dict[str, Any]) -> str:
    """For a `running` worker not heard of for longer than a live one ever is (its machine stopped, it
    was killed, it lost the database): how long, since its pid says nothing on another host. Its run
    marks it when the run is reconciled."""
    from datetime import datetime

    from newsarchive.service.liveness import HEARTBEAT_STALE_SECONDS
    from storage.repository import utcnow

    if part["status"] != "running":
        return ""
    silent = (utcnow() - datetime.fromisoformat(str(part["heartbeat_at"]))).total_seconds()
    return f" (no heartbeat for {_duration(silent)}: gone?)" if silent > HEARTBEAT_STALE_SECONDS else ""


def _took(row: dict[str, Any]) -> str:
    seconds = row["duration_s"]
    return _duration(float(seconds)) if isinstance(seconds, int | float) else "-"


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
