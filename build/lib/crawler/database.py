"""How Scrapy components find the archive: one resolution rule, shared by middlewares, pipelines and
extensions."""

from __future__ import annotations

from typing import Any

from newsarchive.config import resolve_database_url


def database_url(settings: Any) -> str:
    return resolve_database_url(settings.get("NEWSARCHIVE_DATABASE_URL"))
