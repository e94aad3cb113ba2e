"""Which download errors are the network's (a host that does not resolve, refuses, or does not answer)
and how to say so in one line. A name that did not resolve is not retried: the system resolver has
already tried, and offline every retry only adds its backoff to a crawl that cannot succeed."""

from __future__ import annotations

from scrapy import exceptions
from twisted.internet import error as twisted_errors
from twisted.web.client import ResponseFailed


def _scrapy(*names: str) -> tuple[type[BaseException], ...]:
    """Recent Scrapy wraps Twisted's network errors in its own exceptions; older versions raise Twisted's."""
    return tuple(getattr(exceptions, name) for name in names if hasattr(exceptions, name))


DNS_ERRORS: tuple[type[BaseException], ...] = (*_scrapy("CannotResolveHostError"), twisted_errors.DNSLookupError)
REFUSED_ERRORS: tuple[type[BaseException], ...] = (*_scrapy("DownloadConnectionRefusedError"),
                                                   twisted_errors.ConnectionRefusedError)
TIMEOUT_ERRORS: tuple[type[BaseException], ...] = (*_scrapy("DownloadTimeoutError"), twisted_errors.TimeoutError)
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    *DNS_ERRORS, *REFUSED_ERRORS, *TIMEOUT_ERRORS, *_scrapy("DownloadFailedError", "ResponseDataLossError"),
    twisted_errors.ConnectError, twisted_errors.ConnectionLost, ResponseFailed,
)
DNS_FAILED = "DNS lookup failed"


def network_problem(error: BaseException | None) -> str | None:
    """What kind of network failure `error` is ("DNS lookup failed", "connection refused", ...), or None
    when it is not the network's."""
    if isinstance(error, DNS_ERRORS):
        return DNS_FAILED
    if isinstance(error, REFUSED_ERRORS):
        return "connection refused"
    if isinstance(error, TIMEOUT_ERRORS):
        return "timed out"
    if isinstance(error, NETWORK_ERRORS):
        return "network error"
    return None


def unreachable(hosts: dict[str, str]) -> str:
    """One line naming the hosts that could not be reached (host -> kind of failure), grouped by kind."""
    by_kind: dict[str, list[str]] = {}
    for host, kind in hosts.items():
        by_kind.setdefault(kind, []).append(host)
    parts = []
    for kind, names in by_kind.items():
        hint = ": no network, or the host name does not exist" if kind == DNS_FAILED else ""
        parts.append(f"{', '.join(sorted(names))} ({kind}{hint})")
    return "network problem: could not reach " + "; ".join(parts)
