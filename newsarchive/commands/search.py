"""`newsarchive search QUERY`: ranked full-text search (storage.search.search)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date

import click

from core.timewindow import KST
from newsarchive.options import DAY, config_option, db_option, open_database
from storage.search import SearchError, SearchHit, search


class QueryError(click.ClickException):
    exit_code = 2


def _when(hit: SearchHit) -> str:
    return hit.published_at.astimezone(KST).strftime("%Y-%m-%d %H:%M KST") if hit.published_at else "-"


def _meta(hit: SearchHit, copies: dict[int, int] | None = None) -> str:
    parts = [hit.source, _when(hit)]
    if hit.section:
        parts.append(hit.section)
    if hit.ministries:
        parts.append(", ".join(hit.ministries))
    parts.append(f"id {hit.id}")
    if copies and copies.get(hit.id, 1) > 1:
        parts.append(f"story of {copies[hit.id]} copies")
    return " · ".join(parts)


def _mark(text: str, spans: list[tuple[int, int]]) -> str:
    from storage.search import Snippet

    return Snippet(text, spans).marked()


def print_plain(hits: list[SearchHit], copies: dict[int, int] | None = None) -> None:
    for n, hit in enumerate(hits, 1):
        click.echo(f"{n}. {_mark(hit.title, hit.title_spans)}")
        click.echo(f"   {_meta(hit, copies)}")
        click.echo(f"   {hit.snippet.marked()}")
        click.echo(f"   {hit.url}")


def print_rich(hits: list[SearchHit], copies: dict[int, int] | None = None) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for n, hit in enumerate(hits, 1):
        title = Text(f"{n}. ", style="bold")
        title.append(Text(hit.title, style="bold"))
        for a, b in hit.title_spans:
            title.stylize("bold yellow", len(f"{n}. ") + a, len(f"{n}. ") + b)
        snippet = Text("   " + hit.snippet.text)
        for a, b in hit.snippet.spans:
            snippet.stylize("bold yellow", a + 3, b + 3)
        console.print(title)
        console.print(Text("   " + _meta(hit, copies), style="dim"))
        console.print(snippet)
        console.print(Text("   " + hit.url, style="blue"))


def print_csv(hits: list[SearchHit]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(["id", "published_at", "source", "section", "ministries", "title", "url", "score",
                     "snippet"])
    for hit in hits:
        data = hit.to_dict()
        writer.writerow([hit.id, data["published_at"] or "", hit.source, hit.section,
                         "; ".join(hit.ministries), hit.title, hit.url, data["score"], data["snippet"]])


class SearchCommand(click.Command):
    """Unknown options are let through so that a query can start with an exclusion (`-재난 교류`), but a
    misspelled long option (`--minstry`, `--limt`) is an error, not a query word. Words after `--` are
    always query words."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = sorted({opt for param in self.get_params(ctx) for opt in (*param.opts, *param.secondary_opts)
                        if opt.startswith("--")})
        for arg in args[:args.index("--")] if "--" in args else args:
            name = arg.split("=", 1)[0]
            if name.startswith("--") and name not in known:
                raise click.NoSuchOption(name, possibilities=known, ctx=ctx)
        return super().parse_args(ctx, args)


@click.command("search", cls=SearchCommand, context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@click.option("--source", default=None, help="Only this source (spider name).")
@click.option("--ministry", default=None, help="Official name or abbreviation (행안부).")
@click.option("--since", type=DAY, default=None, help="First publication day (KST), inclusive.")
@click.option("--until", type=DAY, default=None, help="Last publication day (KST), inclusive.")
@click.option("--section", default=None, help="Only this section.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--collapse", is_flag=True, help="One result per story cluster, with its number of copies.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@db_option
@config_option
def command(query: tuple[str, ...], source: str | None, ministry: str | None, since: date | None,
            until: date | None, section: str | None, limit: int, collapse: bool, as_json: bool, as_csv: bool,
            db: str | None, config_path: str | None) -> None:
    """Search the archive: words (all must match), "exact phrase", -excluded, a OR b."""
    if as_json and as_csv:
        raise QueryError("--json and --csv cannot be used together")
    url = open_database(db, config_path)
    try:
        # collapsing folds copies together, so look further down the ranking to still fill `limit`
        hits = search(url, " ".join(query), source=source, ministry=ministry, since=since, until=until,
                      section=section, limit=min(limit * 5, 1000) if collapse else limit)
    except SearchError as exc:
        raise QueryError(str(exc)) from None
    copies: dict[int, int] | None = None
    if collapse:
        hits, copies = _collapse(url, hits, limit)
    if as_json:
        click.echo(json.dumps([{**hit.to_dict(), **({"copies": copies.get(hit.id, 1)} if copies else {})}
                               for hit in hits], ensure_ascii=False, indent=2))
    elif as_csv:
        print_csv(hits)
    elif not hits:
        click.echo("no matches", err=True)
    elif sys.stdout.isatty():
        print_rich(hits, copies)
    else:
        print_plain(hits, copies)


def _collapse(url: str, hits: list[SearchHit], limit: int) -> tuple[list[SearchHit], dict[int, int]]:
    """The best-ranked hit of each story cluster, and how many articles each one stands for."""
    from storage.clusters import collapse
    from storage.db import transaction

    with transaction(url) as session:
        folded = collapse(session, hits)[:limit]
    return [c.hit for c in folded], {c.hit.id: c.copies for c in folded}
