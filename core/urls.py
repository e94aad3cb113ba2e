"""The one canonical-URL function: every table, middleware and dedup step keys on its output."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from sites.model import CanonicalRule, Site
from sites.registry import all_sites

TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "msclkid", "igshid", "mc_cid", "mc_eid", "ref", "referer", "from",
    "call_from", "pwise", "pwisesub", "pageindex", "repcodetype", "repcode", "startdate", "enddate",
    "srchword", "period", "sns", "share", "outlink", "rss", "nv", "trk",
}
TRACKING_PREFIXES = ("utm_", "stk_")

ID_QUERY_KEYS = ("idxno", "newsId", "nttSeqNo", "nttId", "article_no", "aid", "seq", "idx", "pk_no")


@cache
def _site_rules() -> tuple[tuple[Site, re.Pattern[str], CanonicalRule], ...]:
    return tuple((site, re.compile(site.canonical.path), site.canonical)
                 for site in all_sites() if site.canonical is not None)


def _site_rule(host: str) -> tuple[re.Pattern[str], CanonicalRule] | None:
    for site, pattern, rule in _site_rules():
        if site.owns(host):
            return pattern, rule
    return None


def canonical_url(url: str) -> str:
    """Normalise `url` to the form that names one article.

    The sites' canonical rules first (sites/*.py: etoday keeps only the numeric id, korea.kr only
    `newsId`, both on their www host over https); elsewhere tracking parameters and fragments go and
    the rest is sorted."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    rule = _site_rule(host)
    if rule is not None:
        pattern, canonical = rule
        match = pattern.match(parts.path)
        if match:
            path = match.group(0)
            pairs = parse_qsl(parts.query)
            query = [(k, v) for key in canonical.keys for k, v in pairs if k == key]  # in the rule's order
            return canonical.base + path + ("?" + urlencode(query) if query else "")
    query_pairs = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    if any(k in ID_QUERY_KEYS for k, _ in query_pairs):
        # Board-style pages: the id and the board/menu keys name the article; paging/search do not.
        query_pairs = [(k, v) for k, v in query_pairs if k.lower() not in {"page", "pageno", "pagenum"}]
    netloc = host + (f":{parts.port}" if parts.port and parts.port not in (80, 443) else "")
    rebuilt = urlunsplit((parts.scheme.lower() or "https", netloc, parts.path or "/",
                          urlencode(query_pairs), ""))
    return canonicalize_url(rebuilt, keep_fragments=False)
