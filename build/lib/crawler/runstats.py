"""The crawl-run counters, kept in Scrapy's stats under one prefix so every component counts the same way.

listed: article entries found in listings; skipped: not fetched or not kept by policy (with a reason);
fetched: article pages downloaded; stored; duplicates; failed: fetched but unusable (with a reason)."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from storage.repository import RUN_COUNTERS

PREFIX = "newsarchive/"
COUNTERS = RUN_COUNTERS  # the crawl_runs columns they are written to


def count(stats: Any, counter: str, reason: str | None = None) -> None:
    if counter not in COUNTERS:
        raise ValueError(f"unknown counter {counter}")
    stats.inc_value(PREFIX + counter)
    if reason:
        stats.inc_value(f"{PREFIX}reasons/{reason}")


def snapshot(stats: Any) -> tuple[dict[str, int], dict[str, int]]:
    """(counters, reasons) read back from the stats collector."""
    values = stats.get_stats()
    counts = {name: int(values.get(PREFIX + name, 0)) for name in COUNTERS}
    reason_prefix = PREFIX + "reasons/"
    reasons = {key[len(reason_prefix):]: int(v) for key, v in values.items() if key.startswith(reason_prefix)}
    return counts, reasons

page_failed = object()
"""Signal sent by spiders when an article page could not be fetched: kwargs url, reason."""


class RecordedDrop(DropItem):
    """An item the pipeline dropped and counted itself: its page is in rejected_pages already (written with
    its batch), or, when the database or the worker failed, not recorded so that the next crawl tries it."""
