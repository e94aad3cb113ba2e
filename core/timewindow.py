"""Korean Standard Time and the date window a crawl covers (`--since` / `--until`, KST days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")
DEFAULT_WINDOW_DAYS = 2
"""The KST days a crawl covers when --since is not given: yesterday and today."""
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""The days --since/--until accept: the ends of Python's calendar overflow once shifted to UTC."""


def parse_day(value: str) -> date:
    """`YYYY-MM-DD` (also `YYYY.MM.DD`, `YYYYMMDD`); raises ValueError with a readable message."""
    text = value.strip().replace(".", "-").replace("/", "-")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"bad date {value!r}: expected YYYY-MM-DD") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"date {value!r} out of range: expected a day from {FIRST_DAY} to {LAST_DAY}")
    return day


def day_bounds(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """Inclusive KST days as a half-open [start, end) of aware datetimes; an open side stays None."""
    if since and until and since > until:
        raise ValueError(f"--since {since} is after --until {until}")
    start = datetime.combine(since, time.min, KST) if since else None
    end = datetime.combine(until + timedelta(days=1), time.min, KST) if until else None
    return start, end


def now_kst() -> datetime:
    return datetime.now(KST)


def kst_minutes(moment: datetime | None) -> str | None:
    """ISO 8601 in Korean time with its offset, to the minute: how pages and `show` print a moment."""
    return moment.astimezone(KST).isoformat(timespec="minutes") if moment else None


@dataclass(frozen=True)
class Window:
    """A half-open interval [start, end) of aware datetimes, built from inclusive KST days."""

    start: datetime
    end: datetime

    @classmethod
    def from_days(cls, since: date | None, until: date | None, default_days: int = DEFAULT_WINDOW_DAYS,
                  today: date | None = None) -> Window:
        today = today or now_kst().date()
        until = until or today
        since = since or (until - timedelta(days=max(default_days, 1) - 1))
        if since > until:
            raise ValueError(f"--since {since} is after --until {until}")
        start = datetime.combine(since, time.min, KST)
        end = datetime.combine(until + timedelta(days=1), time.min, KST)
        return cls(start, end)

    def contains(self, moment: datetime | None) -> bool:
        """Unknown dates are let through: the page itself decides later."""
        if moment is None:
            return True
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=KST)
        return self.start <= moment < self.end

    @property
    def since_day(self) -> date:
        return self.start.astimezone(KST).date()

    @property
    def until_day(self) -> date:
        return (self.end.astimezone(KST) - timedelta(days=1)).date()
