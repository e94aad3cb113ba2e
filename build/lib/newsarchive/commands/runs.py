"""`newsarchive runs`: crawl-run history with counts and durations."""

from __future__ import annotations

import json

import click

from newsarchive.options import db_option


@click.command(name="runs")
@click.option("--spider", default=None, help="Only this spider's runs.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many runs, newest first.")
@db_option
def command(spider: str | None, as_json: bool, limit: int, db: str | None) -> None:
    """Show crawl-run history, newest first."""
    from newsarchive.options import open_database
    from storage.db import transaction
    from storage.repository import list_runs, run_summary

    url = open_database(db)
    with transaction(url) as session:
        rows = [run_summary(run) for run in list_runs(session, spider, limit=limit)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no crawl runs recorded" + (f" for {spider}" if spider else ""), err=True)
        return
    _print_table(rows)


def _print_table(rows: list[dict[str, object]]) -> None:
    from datetime import datetime

    from rich.console import Console
    from rich.table import Table

    from newsarchive.timewindow import KST
    from storage.repository import RUN_COUNTERS

    table = Table("id", "spider", "started (KST)", "duration", "status", *RUN_COUNTERS, "reason", box=None)
    styles = {"finished": "green", "failed": "red", "killed": "red", "running": "yellow"}
    for row in rows:
        started = datetime.fromisoformat(str(row["started_at"])).astimezone(KST).strftime("%Y-%m-%d %H:%M")
        seconds = row["duration_s"]
        duration = _duration(float(seconds)) if isinstance(seconds, int | float) else "-"
        status = str(row["status"])
        table.add_row(str(row["id"]), str(row["spider"]), started, duration,
                      f"[{styles.get(status, '')}]{status}[/]" if status in styles else status,
                      *(str(row[name]) for name in RUN_COUNTERS), str(row["reason"])[:80])
    console = Console()
    if not console.is_terminal:  # piped or logged: do not squeeze the table into 80 columns
        console = Console(width=200)
    console.print(table)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
