"""`newsarchive new-spider NAME --url ARTICLE_URL --feed|--sitemap|--list URL`: a spider from the template."""

from __future__ import annotations

from pathlib import Path

import click

import crawler


def _project_dir() -> Path:
    return Path(crawler.__file__).resolve().parent.parent


@click.command()
@click.argument("name")
@click.option("--url", "article_url", required=True, metavar="ARTICLE_URL",
              help="One article page of the site.")
@click.option("--feed", default=None, metavar="URL", help="The site's RSS/Atom feed.")
@click.option("--sitemap", default=None, metavar="URL", help="The site's (news) sitemap.")
@click.option("--list", "list_url", default=None, metavar="URL", help="A paginated list page of articles.")
@click.option("--project-dir", type=click.Path(file_okay=False, path_type=Path), default=None, hidden=True)
def command(name: str, article_url: str, feed: str | None, sitemap: str | None, list_url: str | None,
            project_dir: Path | None) -> None:
    """Write crawler/spiders/NAME.py and the fixture folder tests/spiders/NAME/ (nothing is fetched)."""
    from crawler.process import spider_names
    from crawler.spidergen import SpiderSpecError, make_spec, write_spider

    try:
        spec = make_spec(name, article_url, spider_names(), feed=feed, sitemap=sitemap, list_url=list_url)
        spider_file, fixture_dir = write_spider(spec, project_dir or _project_dir())
    except (SpiderSpecError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {spider_file}")
    click.echo(f"created {fixture_dir}/ (read its README.txt: save an article page and the listing there)")
    if list_url:
        click.echo(f"edit the TODO selectors of _LIST_RULE in {spider_file.name} before the first crawl")
