"""Options and argument types shared by several sub-commands."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from core.timewindow import parse_day


class DayType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_day(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DAY = DayType()

db_option = click.option("--db", "db", metavar="URL", default=None,
                         help="Database URL (default: $NEWSARCHIVE_DATABASE_URL, newsarchive.toml, "
                              "sqlite:///archive.db).")
since_option = click.option("--since", type=DAY, default=None, help="First day (KST), inclusive.")
until_option = click.option("--until", type=DAY, default=None, help="Last day (KST), inclusive.")


config_option = click.option("--config", "config_path", metavar="PATH", default=None,
                             help="newsarchive.toml to read (default: $NEWSARCHIVE_CONFIG or ./newsarchive.toml).")


def open_database(db: str | None, config_path: str | None = None, *, write: bool = False) -> str:
    """Resolve the URL and check the archive there can be used; returns the URL to use.

    Only writers (`write=True`: crawl, revisit, reextract, the schedule) create an archive or upgrade its
    schema; readers get a one-line error when there is no archive at that URL."""
    from newsarchive.config import load_config, resolve_database_url
    from storage.opening import open_archive

    config = load_config(config_path) if config_path else None
    return open_archive(resolve_database_url(db, config), write=write)
