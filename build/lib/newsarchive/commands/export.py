"""`newsarchive export`: every article (or a filtered part) as JSON lines or CSV, one object per article."""

from __future__ import annotations

import csv
import json
from datetime import date
from typing import IO, Any

import click

from newsarchive.options import db_option, open_database, since_option, until_option
from newsarchive.timewindow import day_bounds
from pipelines.article import EXPORT_FIELDS
from storage import repository
from storage.db import session_factory


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--source", default=None, help="Only this spider's articles.")
@since_option
@until_option
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write to a file instead of stdout.")
@db_option
def command(fmt: str, source: str | None, since: date | None, until: date | None, output: IO[str],
            db: str | None) -> None:
    """Export articles with the archive's field names (dates in KST, ISO 8601)."""
    url = open_database(db)
    try:
        start, end = day_bounds(since, until)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since/--until") from None
    writer = csv.DictWriter(output, fieldnames=EXPORT_FIELDS) if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    count = 0
    with session_factory(url)() as session:
        for row in repository.iter_articles(session, source=source, since=start, until=end):
            data = repository.to_record(row).to_dict()
            if writer is not None:
                writer.writerow({k: _csv_cell(v) for k, v in data.items()})
            else:
                output.write(json.dumps(data, ensure_ascii=False) + "\n")
            count += 1
    output.flush()
    click.echo(f"exported {count} article(s)", err=True)
