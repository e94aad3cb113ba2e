"""`newsarchive export`: every article (or a filtered part) as JSON lines or CSV, one object per article."""

from __future__ import annotations

import csv
import json
from datetime import date
from typing import IO, Any

import click

from core.article import EXPORT_FIELDS
from core.timewindow import day_bounds
from newsarchive.options import config_option, db_option, open_database, since_option, until_option
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
@config_option
def command(fmt: str, source: str | None, since: date | None, until: date | None, output: IO[str],
            db: str | None, config_path: str | None) -> None:
    """Export articles with their id and the archive's field names (dates in KST, ISO 8601). CSV starts
    with a UTF-8 byte-order mark (for Excel); its list fields are JSON."""
    url = open_database(db, config_path)
    try:
        start, end = day_bounds(since, until)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since/--until") from None
    writer = csv.DictWriter(output, fieldnames=("id", *EXPORT_FIELDS)) if fmt == "csv" else None
    if writer is not None:
        output.write("\ufeff")  # the byte-order mark that makes Excel read the file as UTF-8
        writer.writeheader()
    count = 0
    with session_factory(url)() as session:
        for row in repository.iter_articles(session, source=source, since=start, until=end):
            data = {"id": row.id, **repository.to_record(row).to_dict()}
            if writer is not None:
                writer.writerow({k: _csv_cell(v) for k, v in data.items()})
            else:
                output.write(json.dumps(data, ensure_ascii=False) + "\n")
            count += 1
    output.flush()
    click.echo(f"exported {count} article(s)", err=True)
