"""The four sites of the demo, together: which hosts each spider reads, in a fixed order so the default
ports are always the same, and the oldest day they publish."""

from __future__ import annotations

from datetime import date, timedelta

from newsarchive.demo import site, site_ministries
from newsarchive.demo.site import content_etoday, content_korea_kr, etoday, korea_kr
from newsarchive.demo.site.resources import Site
from newsarchive.demo.site_ministries import content as ministries

DEFAULT_PORT = 8001
HOSTS: dict[str, tuple[str, ...]] = {
    "etoday": (etoday.WWW, etoday.RSS),
    "korea_kr": (korea_kr.HOST,),
    "msit": (site_ministries.MSIT_HOST,),
    "mois": (site_ministries.MOIS_HOST,),
}
"""spider -> the hosts it reads; their order is the order of the ports."""
SPIDERS = tuple(HOSTS)


def build_demo_site(today: date) -> Site:
    """All four sites' pages, dated relative to `today` (a KST day), hosts in HOSTS order."""
    pages = {**site.build_site(today), **site_ministries.build_site(today)}
    return {host: pages[host] for hosts in HOSTS.values() for host in hosts}


def oldest_day(today: date) -> date:
    """The first day any of the sites publishes on: a crawl from there to `today` archives everything."""
    days_ago = [s.days_ago for s in content_etoday.STORIES] + [r.days_ago for r in content_korea_kr.RELEASES]
    days_ago += [r.days_ago for r in ministries.RELEASES]
    return today - timedelta(days=max(days_ago))
