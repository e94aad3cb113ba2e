"""`newsarchive reextract`: re-run extraction over the stored raw html; no re-crawl needed."""

from __future__ import annotations

from datetime import date

import click

from newsarchive.options import config_option, db_option, open_database, since_option, until_option


@click.command("reextract")
@click.option("--source", default=None, help="Only articles from this source (spider name).")
@since_option
@until_option
@db_option
@config_option
def command(source: str | None, since: date | None, until: date | None, db: str | None,
            config_path: str | None) -> None:
    """Re-run extraction over the stored raw html and report what changed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from core.timewindow import day_bounds
    from pipelines.reextract import count_articles, reextract

    url = open_database(db, config_path, write=True)
    try:
        start, end = day_bounds(since, until)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since/--until") from None
    total = count_articles(url, source, start, end)
    with Progress(
        TextColumn("re-extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("reextract", total=total)
        counts = reextract(url, source, start, end, progress=lambda n: bar.advance(task, n))
    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(counts.reasons.items()))
    click.echo(
        f"{counts.total} articles: {counts.changed} changed, {counts.unchanged} unchanged, "
        f"{counts.failed} failed" + (f" ({reasons})" if reasons else "")
    )
