"""`newsarchive spiders`: the registered spiders and their sources."""

from __future__ import annotations

import click


@click.command()
def command() -> None:
    """List the spiders and where each discovers articles."""
    from crawler.process import spider_class, spider_names

    for name in spider_names():
        cls = spider_class(name)
        doc = (cls.__module__ and __import__(cls.__module__, fromlist=["_"]).__doc__ or "").strip()
        click.echo(f"{name}\t{doc.splitlines()[0] if doc else ''}")
