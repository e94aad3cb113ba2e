"""Backing off a host that answers 503 must not hold up the others (a real crawl, timed by the server)."""

from __future__ import annotations

from pathlib import Path

from tests.crawl_helpers import kst_today
from tests.faults.crawls import crawl
from tests.faults.hostile import HostileSite
from tests.faults.pages import FIRST_ID, MOBILE, Fault

WWW = "www.etoday.co.kr"


def test_a_host_answering_503_does_not_delay_another_hosts_pages(tmp_path: Path) -> None:
    # Ten listed pages redirect to m.etoday.co.kr, which is down (503); the sitemap lists them last, so
    # they are requested first. Retried once, after the backoff; meanwhile www's own pages are fetched.
    down = tuple(Fault("redirect_mobile", FIRST_ID + 100 + n) for n in range(10))
    with HostileSite(kst_today(), faults=down, only_sitemap=True, mobile_status=503) as site:
        # a roomy timeout: on a loaded machine a 3 s one can lapse before the server reads the request,
        # which then goes unseen by the server and is retried as a third attempt's worth of noise
        crawl(site, f"sqlite:///{tmp_path / 'archive.db'}", "--set", "RETRY_TIMES=1",
              "--set", "NEWSARCHIVE_RETRY_BACKOFF_BASE=5", "--set", "DOWNLOAD_TIMEOUT=30")
        hits = site.hits
    down_paths = {f"/news/view/{fault.id}" for fault in down}
    attempts: dict[str, list[float]] = {}
    for at, host, target in hits:
        if host == MOBILE and target in down_paths:
            attempts.setdefault(target, []).append(at)
    counts = {target: len(times) for target, times in attempts.items()}
    assert len(counts) == len(down_paths) and set(counts.values()) == {2}, f"one attempt and one retry each: {counts}"
    first_retry = min(times[1] for times in attempts.values())
    good = [at for at, host, target in hits
            if host == WWW and target.startswith("/news/view/") and target not in down_paths]
    assert good, "www's own articles were fetched"
    assert max(good) < first_retry, "www's pages were fetched while the down host's retries waited"
