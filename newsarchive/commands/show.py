"""`newsarchive show ID|URL`: one article in full, with its duplicates and ministries."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click

from core.timewindow import KST, kst_minutes
from newsarchive.options import config_option, db_option, open_database
from pipelines.revisions import format_history, history
from storage import clusters
from storage import repository as repo
from storage.clusters import cluster_of
from storage.db import transaction
from storage.models import Article


def _kst(moment: datetime | None) -> str:
    return kst_minutes(moment) or "-"


def _details(session: Any, row: Article) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.id, **repo.to_record(row).to_dict()}
    data["duplicates"] = [{"url": d.url, "canonical_url": d.canonical_url, "source": d.source,
                           "found_at": d.found_at.astimezone(KST).isoformat(timespec="seconds")}
                          for d in repo.duplicates_of(session, row.id)]
    data["cluster"] = [{"id": m.article.id, "source": m.article.source, "title": m.article.title,
                        "published_at": _kst(m.article.published_at), "similarity": round(m.similarity, 3)}
                       for m in cluster_of(session, row.id) if m.article.id != row.id]
    data["revisions"] = len(clusters.revisions(session, row.id))
    return data


def _print_text(row: Article, data: dict[str, Any]) -> None:
    click.echo(row.title)
    if row.subtitle:
        click.echo(row.subtitle)
    click.echo()
    fields = [("id", str(row.id)), ("source", row.source), ("url", row.url),
              ("canonical", row.canonical_url), ("published", _kst(row.published_at)),
              ("modified", _kst(row.modified_at)), ("section", row.section or "-"),
              ("authors", ", ".join(row.authors) or "-"), ("ministries", ", ".join(row.ministries) or "-"),
              ("fetched", _kst(row.fetched_at))]
    for name, value in fields:
        click.echo(f"{name + ':':<12}{value}")
    for dup in data["duplicates"]:
        click.echo(f"{'duplicate:':<12}{dup['url']} ({dup['source']})")
    for member in data["cluster"]:
        click.echo(f"{'same story:':<12}[{member['id']}] {member['title']} ({member['source']}, "
                   f"{member['published_at']}, similarity {member['similarity']})")
    if data["revisions"] > 1:
        click.echo(f"{'revisions:':<12}{data['revisions']} (newsarchive show {row.id} --revisions)")
    click.echo()
    click.echo(row.body)


@click.command("show")
@click.argument("ref", metavar="ID|URL")
@click.option("--html", "as_html", is_flag=True, help="Print the stored raw html instead.")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@click.option("--revisions", "as_revisions", is_flag=True, help="Print its history with a word-level diff.")
@db_option
@config_option
def command(ref: str, as_html: bool, as_json: bool, as_revisions: bool, db: str | None,
            config_path: str | None) -> None:
    """Show one article in full, by id or by any of its URLs."""
    if as_html + as_json + as_revisions > 1:
        raise click.UsageError("--html, --json and --revisions cannot be used together")
    url = open_database(db, config_path)
    with transaction(url) as session:
        row = repo.find_article(session, ref.strip())
        if row is None:
            raise click.ClickException(f"no article {ref!r} in the archive")
        if as_html:
            raw = repo.raw_html(row)
            if raw is None:
                raise click.ClickException(f"no raw html stored for article {row.id}")
            encoding = row.raw.encoding if row.raw and row.raw.encoding else "utf-8"
            try:
                html = raw.decode(encoding, errors="replace")
            except LookupError:
                html = raw.decode("utf-8", errors="replace")
            click.echo(html)
            return
        if as_revisions:
            click.echo(format_history(history(session, row)))
            return
        data = _details(session, row)
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            _print_text(row, data)
