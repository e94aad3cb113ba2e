"""`newsarchive demo`: try newsarchive without the network. Serves the bundled copies of the four sites
on 127.0.0.1, crawls them into demo.db and says what to run next; `--serve-only` just serves them."""

from __future__ import annotations

import signal
import threading
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import FrameType

import click

from newsarchive.demo.sites import DEFAULT_PORT, HOSTS

DEFAULT_DB = "demo.db"
# What to try on the demo archive; every line returns something there (tests/test_demo.py runs them).
NEXT_STEPS = (
    "newsarchive search 디지털정부",
    "newsarchive search '\"디지털정부 혁신\"'",
    "newsarchive search 재난 --ministry 행안부 --collapse",
    "newsarchive show 1",
    "newsarchive export --format csv --source msit",
    "newsarchive runs",
)


def absolute_url(url: str) -> str:
    """A SQLite URL with a relative path made absolute, so the printed commands work from anywhere."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        return parsed.set(database=str(Path(parsed.database).resolve())).render_as_string(hide_password=False)
    return url


@click.command()
@click.option("--db", default=None, metavar="URL",
              help=f"Archive to crawl into (default: sqlite:///{DEFAULT_DB} in the working directory).")
@click.option("--port", type=click.IntRange(0, 65530), default=DEFAULT_PORT, show_default=True,
              help=f"First of the {sum(map(len, HOSTS.values()))} ports to serve on (0: any free ports).")
@click.option("--serve-only", is_flag=True, help="Only serve the sites, until Ctrl-C, to crawl them by hand.")
def command(db: str | None, port: int, serve_only: bool) -> None:
    """Serve local copies of etoday, korea_kr, msit and mois and crawl them into a demo archive."""
    from core.timewindow import now_kst
    from newsarchive.demo.site.server import serve
    from newsarchive.demo.sites import build_demo_site, oldest_day

    today = now_kst().date()
    since = oldest_day(today)
    with serve(build_demo_site(today), first_port=port) as running:
        click.echo(f"Serving the demo sites (their news dated {since} to {today}, KST) on 127.0.0.1:")
        for host, base in running.mirrors.items():
            click.echo(f"  {host:<18} {base}")
        for host, wanted in running.moved.items():
            click.echo(f"  (port {wanted} is taken: {host} is served on "
                       f"{running.mirrors[host].rsplit(':', 1)[1]} instead)")
        if serve_only:
            _serve_until_stopped(running.mirrors, since)
            return
        _crawl_and_report(absolute_url(db or f"sqlite:///{DEFAULT_DB}"), running.mirrors, since, today)


def _serve_until_stopped(mirrors: Mapping[str, str], since: date) -> None:
    from newsarchive.demo.crawls import mirror_args

    click.echo("\nCrawl them by hand, from any directory:")
    for spider, hosts in HOSTS.items():
        click.echo(f"  newsarchive crawl {spider} --since {since} {' '.join(mirror_args(mirrors, hosts))}")
    click.echo("or point every command at them: export NEWSARCHIVE_MIRROR="
               + ",".join(f"{host}={base}" for host, base in mirrors.items()))
    click.echo("Press Ctrl-C to stop.", nl=True)
    stopped = threading.Event()

    def on_term(_signum: int, _frame: FrameType | None) -> None:
        stopped.set()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo("stopped")


def _crawl_and_report(url: str, mirrors: Mapping[str, str], since: date, today: date) -> None:
    from newsarchive.demo.crawls import crawl_all
    from newsarchive.options import open_database

    open_database(url, write=True)  # the demo creates its archive
    click.echo(f"\nCrawling {', '.join(HOSTS)} ({since} to {today}) into {url} ...")
    results = crawl_all(url, mirrors, list(HOSTS), since, today)
    for result in results:
        click.echo(f"  {result.summary}")
    failed = [r for r in results if r.exit_code != 0]
    if failed:
        raise click.ClickException("the demo crawl of " + ", ".join(r.spider for r in failed) + " failed: "
                                   + failed[0].summary)
    counts = _articles_per_source(url)
    click.echo(f"\nThe demo archive holds {sum(counts.values())} articles ("
               + ", ".join(f"{source} {n}" for source, n in counts.items()) + "). Try:\n")
    click.echo(f"  export NEWSARCHIVE_DATABASE_URL={url}")
    for line in NEXT_STEPS:
        click.echo(f"  {line}")
    click.echo(f"\n(or add --db {url} to each), and any search, show or export example of the README.")
    click.echo("`newsarchive demo --serve-only` keeps the sites up to crawl them yourself.")


def _articles_per_source(url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from storage.db import transaction
    from storage.models import Article

    with transaction(url) as session:
        rows = session.execute(select(Article.source, func.count()).group_by(Article.source).order_by(Article.source))
        return {source: int(n) for source, n in rows}
