"""Korean date lines and machine dates to aware datetimes in KST (+09:00)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from newsarchive.timewindow import KST

_DATE = (
    r"(?P<y>(?:19|20)\d{2})\s*[.\-/년]\s*(?P<m>\d{1,2})\s*[.\-/월]\s*(?P<d>\d{1,2})\s*일?\.?"
    r"(?:\s*\(?[월화수목금토일]\)?)?"
)
_TIME = (
    r"(?:[T\s]*(?P<ampm>오전|오후|AM|PM|am|pm)?\s*(?P<H>\d{1,2})\s*[:시]\s*(?P<M>\d{2})"
    r"(?:\s*[:분]\s*(?P<S>\d{2})(?:\.\d+)?)?\s*(?:초)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2}|\s*KST)?)?"
)
DATE_RE = re.compile(_DATE + _TIME)

PUBLISHED_LABELS = (
    r"(?:최초\s*입력|기사\s*입력|입력|등록일?시?|게재|작성일?시?|발행일?|승인|송고|보도일?시?|날짜|"
    r"Posted|Published)"
)
MODIFIED_LABELS = r"(?:최종\s*수정|수정일?시?|업데이트|Updated|Modified)"
_LABELLED = {
    "published": re.compile(PUBLISHED_LABELS + r"\s*[:：|]?\s*" + _DATE + _TIME),
    "modified": re.compile(MODIFIED_LABELS + r"\s*[:：|]?\s*" + _DATE + _TIME),
}


def _build(match: re.Match[str]) -> tuple[datetime, bool] | None:
    """(datetime in KST, whether the text gave a time of day)."""
    g = match.groupdict()
    try:
        day = datetime(int(g["y"]), int(g["m"]), int(g["d"]))
    except ValueError:
        return None
    if g.get("H") is None:
        return day.replace(tzinfo=KST), False
    hour, minute, second = int(g["H"]), int(g["M"]), int(g["S"] or 0)
    ampm = (g.get("ampm") or "").lower()
    if ampm in ("오후", "pm") and hour < 12:
        hour += 12
    elif ampm in ("오전", "am") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return day.replace(tzinfo=KST), False
    moment = day.replace(hour=hour, minute=minute, second=second)
    tz = (g.get("tz") or "").strip()
    if tz and tz not in ("KST",):
        if tz == "Z":
            offset = timedelta(0)
        else:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return (moment - offset).replace(tzinfo=KST) + timedelta(hours=9), True
    return moment.replace(tzinfo=KST), True


def parse_date(text: str) -> tuple[datetime, bool] | None:
    """The first date in `text` as (KST datetime, has time); None when there is none."""
    match = DATE_RE.search(text or "")
    return _build(match) if match else None


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
