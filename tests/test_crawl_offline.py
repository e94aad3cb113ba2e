"""A crawl whose hosts cannot be reached (offline, or names that do not resolve: `.invalid` never does)
says so in one line naming the hosts, and a name that did not resolve is not retried. (A host refusing
connections: test_crawl_cli.py.)"""

from __future__ import annotations

import re

from sqlalchemy import select

from newsarchive.demo.site import build_site
from newsarchive.demo.site.etoday import RSS, WWW
from newsarchive.demo.site.server import serve
from storage.db import transaction
from storage.models import CrawlRun
from tests.crawl_helpers import FAST, kst_today, newsarchive

UNRESOLVABLE = ["--mirror", f"{WWW}=http://www.etoday.invalid", "--mirror", f"{RSS}=https://rss.etoday.invalid"]


def run_of(url: str) -> CrawlRun:
    with transaction(url) as session:
        return session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()  # type: ignore[return-value]


def test_hosts_that_do_not_resolve_fail_the_crawl_in_one_line(sqlite_url: str) -> None:
    result = newsarchive("crawl", "etoday", "--db", sqlite_url, *UNRESOLVABLE, *FAST)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert re.fullmatch(r"run \d+ etoday: failed in .* — no listing could be fetched \(8 tried\): network problem: "
                        r"could not reach rss\.etoday\.invalid, www\.etoday\.invalid \(DNS lookup failed: no network, "
                        r"or the host name does not exist\)", lines[0]), lines[0]
    run = run_of(sqlite_url)
    assert run.status == "failed" and "www.etoday.invalid" in run.reason


def test_a_name_that_does_not_resolve_is_tried_once(sqlite_url: str) -> None:
    verbose = newsarchive("crawl", "etoday", "--db", sqlite_url, *UNRESOLVABLE, *FAST, "-v")
    assert verbose.returncode == 1
    # Scrapy's closing stats: every request (2 robots.txt, 8 listings) failed once, none was retried.
    assert "'downloader/exception_count': 10," in verbose.stderr, verbose.stderr[-3000:]
    assert "retry/" not in verbose.stderr and "Gave up retrying" not in verbose.stderr
    assert "INFO: listing failed: https://rss.etoday.invalid/eto/" in verbose.stderr  # the detail, with -v


def test_one_unreachable_host_is_named_in_a_finished_run(sqlite_url: str) -> None:
    with serve(build_site(kst_today())) as site:
        result = newsarchive("crawl", "etoday", "--db", sqlite_url, "--mirror", f"{WWW}={site.mirrors[WWW]}",
                             "--mirror", f"{RSS}=http://rss.etoday.invalid", *FAST)
    assert result.returncode == 0, result.stderr
    run = run_of(sqlite_url)
    assert run.status == "finished" and run.stored > 0
    assert run.reason == ("network problem: could not reach rss.etoday.invalid "
                          "(DNS lookup failed: no network, or the host name does not exist)")
    assert "could not reach rss.etoday.invalid" in result.stderr
