"""Request parameters, checked by hand so that every bad value gets a readable 400 (never a 500, never
the framework's generic validation error) on the pages and in the API alike."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from core.ministries import resolve_ministry
from core.timewindow import parse_day

PAGE_SIZE = 20
MAX_PAGE = 50  # search() ranks at most 1000 results
MAX_FIELD_CHARS = 500
MAX_QUERIES = 3


class WebError(Exception):
    """A request the explorer cannot answer: its HTTP status and one readable line."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def clean(name: str, value: str | None) -> str | None:
    """A text parameter stripped; None when empty. NUL characters and overlong values are refused."""
    if value is None:
        return None
    if "\x00" in value:
        raise WebError(400, f"{name} contains a NUL character")
    if len(value) > MAX_FIELD_CHARS:
        raise WebError(400, f"{name} too long: {len(value)} characters (at most {MAX_FIELD_CHARS})")
    value = value.strip()
    return value or None


def day(name: str, value: str | None) -> date | None:
    text = clean(name, value)
    if text is None:
        return None
    try:
        return parse_day(text)
    except ValueError as exc:
        raise WebError(400, f"{name}: {exc}") from None


def number(name: str, value: str | None, default: int, low: int, high: int) -> int:
    text = clean(name, value)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise WebError(400, f"{name} must be a whole number from {low} to {high}, not {text[:40]!r}")
    return int(text)


def flag(name: str, value: str | None) -> bool:
    text = clean(name, value)
    if text is None or text in ("0", "false", "off", "no"):
        return False
    if text in ("1", "true", "on", "yes"):
        return True
    raise WebError(400, f"{name} must be 1 or 0, not {text[:40]!r}")


def choice(name: str, value: str | None, allowed: tuple[str, ...], default: str | None) -> str | None:
    text = clean(name, value)
    if text is None:
        return default
    if text not in allowed:
        raise WebError(400, f"{name} must be one of {', '.join(allowed)}, not {text[:40]!r}")
    return text


@dataclass(frozen=True)
class Filters:
    """The filters shared by the search and the timeline, as the user gave them."""

    ministry: str | None = None
    source: str | None = None
    section: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(cls, ministry: str | None, source: str | None, section: str | None, since: str | None,
              until: str | None) -> Filters:
        found = cls(clean("ministry", ministry), clean("source", source), clean("section", section),
                    day("since", since), day("until", until))
        if found.ministry and resolve_ministry(found.ministry) is None:
            raise WebError(400, f"unknown ministry {found.ministry!r}: give an official name or "
                                "abbreviation (행안부, 과기정통부)")
        if found.since and found.until and found.since > found.until:
            raise WebError(400, f"since {found.since} is after until {found.until}")
        return found

    def kwargs(self) -> dict[str, object]:
        """As keyword arguments of storage.search.search() and count_timeline()."""
        return {"ministry": self.ministry, "source": self.source, "section": self.section,
                "since": self.since, "until": self.until}

    def pairs(self) -> list[tuple[str, str]]:
        return [(key, str(value)) for key, value in (
            ("ministry", self.ministry), ("source", self.source), ("section", self.section),
            ("since", self.since), ("until", self.until)) if value]


@dataclass(frozen=True)
class SearchParams:
    q: str
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    collapse: bool = False

    def url(self, path: str = "/search", **changes: object) -> str:
        """This search with some parameters changed, as a link (the URL holds the whole query)."""
        params = replace(self, **changes)  # type: ignore[arg-type]
        pairs = [("q", params.q), *params.filters.pairs()]
        if params.collapse:
            pairs.append(("collapse", "1"))
        if params.page > 1:
            pairs.append(("page", str(params.page)))
        return f"{path}?{urlencode(pairs)}"

    def with_ministry(self, ministry: str) -> str:
        return replace(self, filters=replace(self.filters, ministry=ministry), page=1).url()


def search_params(q: str | None, ministry: str | None, source: str | None, section: str | None,
                  since: str | None, until: str | None, page: str | None, collapse: str | None) -> SearchParams:
    return SearchParams(clean("q", q) or "", Filters.parse(ministry, source, section, since, until),
                        number("page", page, 1, 1, MAX_PAGE), flag("collapse", collapse))


@dataclass(frozen=True)
class TimelineParams:
    queries: tuple[str, ...]
    filters: Filters = field(default_factory=Filters)
    interval: str = "auto"  # day, week, month or auto
    split: str | None = None  # ministry or source, with one query only

    def url(self, path: str = "/timeline", **extra: str) -> str:
        pairs = [*(("q", q) for q in self.queries), *self.filters.pairs(), ("interval", self.interval)]
        if self.split:
            pairs.append(("split", self.split))
        pairs += list(extra.items())
        return f"{path}?{urlencode(pairs)}"


def timeline_params(q: list[str] | None, ministry: str | None, source: str | None, section: str | None,
                    since: str | None, until: str | None, interval: str | None,
                    split: str | None) -> TimelineParams:
    queries = tuple(dict.fromkeys(text for text in (clean("q", value) for value in q or []) if text))
    if len(queries) > MAX_QUERIES:
        raise WebError(400, f"at most {MAX_QUERIES} queries can be compared, not {len(queries)}")
    chosen_split = choice("split", split, ("ministry", "source"), None)
    if chosen_split and len(queries) > 1:
        raise WebError(400, "split by ministry or source works with one query; compare queries without split")
    return TimelineParams(queries, Filters.parse(ministry, source, section, since, until),
                          choice("interval", interval, ("auto", "day", "week", "month"), "auto") or "auto",
                          chosen_split)
