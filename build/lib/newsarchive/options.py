"""Options and argument types shared by several sub-commands."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from newsarchive.timewindow import parse_day


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


def open_database(db: str | None) -> str:
    """Resolve the URL, check the server answers, and migrate the schema; returns the URL."""
    from newsarchive.config import resolve_database_url
    from storage.db import migrate

    url = resolve_database_url(db)
    migrate(url)
    return url
