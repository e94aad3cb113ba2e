"""The one canonical-URL function: every table, middleware and dedup step keys on its output."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "msclkid", "igshid", "mc_cid", "mc_eid", "ref", "referer", "from",
    "call_from", "pwise", "pwisesub", "pageindex", "repcodetype", "repcode", "startdate", "enddate",
    "srchword", "period", "sns", "share", "outlink", "rss", "nv", "trk",
}
TRACKING_PREFIXES = ("utm_", "stk_")

# host -> (path pattern, query keys that identify the article, canonical scheme+host)
SITE_RULES: dict[str, tuple[re.Pattern[str], tuple[str, ...], str]] = {
    "etoday.co.kr": (re.compile(r"^/news/view/(\d+)"), (), "https://www.etoday.co.kr"),
    "korea.kr": (re.compile(r"^/briefing/pressReleaseView\.do$|^/news/\w+View\.do$"), ("newsId",),
                 "https://www.korea.kr"),
    # msit/mois boards: no `$`, so a `;jsessionid=…` path parameter is dropped with the junk query keys
    "msit.go.kr": (re.compile(r"^/bbs/view\.do"), ("sCode", "mId", "mPid", "bbsSeqNo", "nttSeqNo"),
                   "https://www.msit.go.kr"),
    "mois.go.kr": (re.compile(r"^/frt/bbs/type\d+/commonSelectBoardArticle\.do"), ("bbsId", "nttId"),
                   "https://www.mois.go.kr"),
}
ID_QUERY_KEYS = ("idxno", "newsId", "nttSeqNo", "nttId", "article_no", "aid", "seq", "idx", "pk_no")


def _site_rule(host: str) -> tuple[re.Pattern[str], tuple[str, ...], str] | None:
    for domain, rule in SITE_RULES.items():
        if host == domain or host.endswith("." + domain):
            return rule
    return None


def canonical_url(url: str) -> str:
    """Normalise `url` to the form that names one article.

    Site rules first (etoday keeps only the numeric id, korea.kr only `newsId`, both on their
    www host over https); elsewhere tracking parameters and fragments go and the rest is sorted."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    rule = _site_rule(host)
    if rule is not None:
        pattern, keys, base = rule
        match = pattern.match(parts.path)
        if match:
            path = match.group(0)
            pairs = parse_qsl(parts.query)
            query = [(k, v) for key in keys for k, v in pairs if k == key]  # in the rule's key order
            return base + path + ("?" + urlencode(query) if query else "")
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
