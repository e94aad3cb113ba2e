"""What a scheduled job and its crawl runs are called: SPIDER for a crawl, SPIDER-revisit for a revisit of its
recent articles (crawl_runs.spider, the job lock, the log)."""

from __future__ import annotations

REVISIT_SUFFIX = "-revisit"


def revisit_name(spider: str) -> str:
    """The name revisit runs of `spider` are recorded under."""
    return spider + REVISIT_SUFFIX
