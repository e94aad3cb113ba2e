"""`newsarchive new-spider NAME --url ARTICLE_URL --feed|--sitemap|--list URL [--into DIR]`: a site file
from the template, written into the user's working tree."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("name")
@click.option("--url", "article_url", required=True, metavar="ARTICLE_URL",
              help="One article page of the site.")
@click.option("--feed", default=None, metavar="URL", help="The site's RSS/Atom feed.")
@click.option("--sitemap", default=None, metavar="URL", help="The site's (news) sitemap.")
@click.option("--list", "list_url", default=None, metavar="URL", help="A paginated list page of articles.")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=Path("sites"),
              show_default=True, help="The folder of site files in your working tree (created if missing).")
def command(name: str, article_url: str, feed: str | None, sitemap: str | None, list_url: str | None,
            into: Path) -> None:
    """Write the site file DIR/NAME.py and the fixture folder tests/spiders/NAME/ beside DIR (nothing is
    fetched)."""
    from crawler.spidergen import SpiderSpecError, make_spec, write_site
    from sites.registry import PACKAGE_DIR, SITES_DIR_ENV, all_sites, site_files, user_sites_dir

    known = [site.name for site in all_sites()]
    known += [path.stem for path in site_files(into)] if into.is_dir() else []
    try:
        spec = make_spec(name, article_url, known, feed=feed, sitemap=sitemap, list_url=list_url)
        site_file, fixture_dir = write_site(spec, into)
    except (SpiderSpecError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {site_file}")
    click.echo(f"created {fixture_dir}/ (read its README.txt: save an article page and the listing there)")
    if list_url:
        click.echo(f"edit the TODO selectors of the ListPageRule in {site_file.name} before the first crawl")
    folder = into.resolve()
    if folder not in (user_sites_dir(), PACKAGE_DIR):
        click.echo(f"newsarchive reads ./sites/ of the current folder; elsewhere set {SITES_DIR_ENV}={folder}")
