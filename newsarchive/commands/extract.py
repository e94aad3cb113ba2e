"""`newsarchive extract PATH --url URL`: extract one saved page and print the article as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command("extract")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--url", required=True, help="The page's URL (decides the site profile and canonical URL).")
@click.option("--source", default="", help="Source name to record (e.g. the spider name).")
@click.option("--encoding", default=None, help="Charset from the HTTP header, if known.")
def command(path: Path, url: str, source: str, encoding: str | None) -> None:
    """Extract one saved page and print the article as one JSON object."""
    from core.article import NotAnArticle
    from pipelines.extract import extract

    try:
        html = path.read_bytes()
    except OSError as exc:
        click.echo(f"error: cannot read {path}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    try:
        article = extract(html, url, source=source, encoding=encoding)
    except NotAnArticle as exc:
        click.echo(exc.kind.reason, err=True)
        sys.exit(1)
    click.echo(json.dumps(article.to_dict(), ensure_ascii=False, sort_keys=True))
