"""The one parser for dates in Korean pages and listings: text → aware datetime in KST (+09:00).

Both the page extractor (pagedates.py) and the listing reader (crawler/listings.py) go through
`parse_date`, so a date line means the same minute wherever it is read. Understood:
ISO 8601 with or without an offset (`2024-04-05T14:03:00+09:00`, `…Z`), RFC 822 (`Fri, 05 Apr 2024
14:03:00 +0900`, `… KST`, `… GMT`), `YYYY.MM.DD`, `YYYY-MM-DD HH:MM[:SS]`, `YYYY/MM/DD`, `오전/오후 H:MM`,
`YYYY년 M월 D일 [오전/오후] H시 M분` or `… H:MM`, a weekday `(금)`, trailing dots (`2024. 4. 5.`).
A time without an offset (or with `KST`) is Korean time."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from core.timewindow import KST

_DATE = (
    r"(?P<y>(?:19|20)\d{2})\s*[.\-/년]\s*(?P<m>\d{1,2})\s*[.\-/월]\s*(?P<d>\d{1,2})\s*일?\.?"
    r"(?:\s*\(?[월화수목금토일]\)?)?"
)
_TIME = (
    r"(?:[T\s]*(?P<ampm>오전|오후|AM|PM|am|pm)?\s*(?P<H>\d{1,2})\s*[:시]\s*(?P<M>\d{1,2})\s*분?"
    r"(?:\s*:\s*(?P<S>\d{2})(?:\.\d+)?|\s*(?P<S2>\d{1,2})\s*초)?"
    r"(?P<tz>Z|\s?[+-]\d{2}:?\d{2}\b|\s*(?:KST|GMT|UTC)\b)?)?"
)
DATE_RE = re.compile(_DATE + _TIME)
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
)}
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3},?\s+)?(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]{3})[a-z]*\s+(?P<y>\d{4}|\d{2})"
    r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
    r"(?:\s*(?P<tz>[+-]\d{4}|KST|GMT|UTC|UT|Z))?"
)

PUBLISHED_LABELS = (
    r"(?:최초\s*입력|기사\s*입력|입력|등록일?시?|게재|작성일?시?|발행일?|승인|송고|보도일?시?|날짜|"
    r"Posted|Published)"
)
MODIFIED_LABELS = r"(?:최종\s*수정|수정일?시?|업데이트|Updated|Modified)"
_LABELLED = {
    "published": re.compile(PUBLISHED_LABELS + r"\s*[:：|]?\s*" + _DATE + _TIME),
    "modified": re.compile(MODIFIED_LABELS + r"\s*[:：|]?\s*" + _DATE + _TIME),
}


def _offset(tz: str) -> timedelta | None:
    """The UTC offset a zone text names; None for Korean time (no zone, or KST)."""
    tz = tz.strip().upper()
    if not tz or tz == "KST":
        return None
    if tz in ("Z", "GMT", "UTC", "UT"):
        return timedelta(0)
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def _moment(
    y: int, m: int, d: int, hms: tuple[int, int, int] | None, tz: str
) -> tuple[datetime, bool] | None:
    try:
        day = datetime(y, m, d)
    except ValueError:
        return None
    if hms is None or hms[0] > 23 or hms[1] > 59 or hms[2] > 59:
        return day.replace(tzinfo=KST), False
    moment = day.replace(hour=hms[0], minute=hms[1], second=hms[2])
    offset = _offset(tz)
    if offset is None:
        return moment.replace(tzinfo=KST), True
    return moment.replace(tzinfo=timezone(offset)).astimezone(KST), True


def _build(match: re.Match[str]) -> tuple[datetime, bool] | None:
    g = match.groupdict()
    hms = None
    if g.get("H") is not None:
        hour = int(g["H"])
        ampm = (g.get("ampm") or "").lower()
        if ampm in ("오후", "pm") and hour < 12:
            hour += 12
        elif ampm in ("오전", "am") and hour == 12:
            hour = 0
        hms = (hour, int(g["M"]), int(g.get("S") or g.get("S2") or 0))
    return _moment(int(g["y"]), int(g["m"]), int(g["d"]), hms, g.get("tz") or "")


def _rfc822(text: str) -> tuple[datetime, bool] | None:
    match = _RFC822.match(text.strip())
    if not match or match.group("mon").lower()[:3] not in _MONTHS:
        return None
    g = match.groupdict()
    year = int(g["y"]) + (2000 if len(g["y"]) == 2 else 0)
    hms = (int(g["H"]), int(g["M"]), int(g["S"] or 0)) if g["H"] else None
    return _moment(year, _MONTHS[g["mon"].lower()[:3]], int(g["d"]), hms, g["tz"] or "")


def parse_date(text: str | None) -> tuple[datetime, bool] | None:
    """The first date in `text` as (KST datetime, whether a time of day was given); None if none."""
    if not text:
        return None
    found = _rfc822(text)
    if found is not None:
        return found
    match = DATE_RE.search(text)
    return _build(match) if match else None


def parse_datetime(text: str | None) -> datetime | None:
    """`parse_date` without the flag: a date alone is that day at 00:00 KST."""
    found = parse_date(text)
    return found[0] if found else None


def labelled_date(text: str, kind: str) -> tuple[datetime, bool] | None:
    """The first `입력 …` (kind="published") or `수정 …` (kind="modified") date in visible text."""
    match = _LABELLED[kind].search(text or "")
    return _build(match) if match else None


def best(candidates: list[tuple[datetime, bool] | None]) -> datetime | None:
    """The first candidate; when it has no time of day, a later timed candidate on the same day."""
    found = [c for c in candidates if c is not None]
    if not found:
        return None
    first, timed = found[0]
    if timed:
        return first
    for moment, has_time in found[1:]:
        if has_time and moment.date() == first.date():
            return moment
    return first
