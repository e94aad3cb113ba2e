"""Cron arithmetic as pure functions of `now`, so catch-up and health rules are testable with any clock."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from core.jobs import revisit_name
from newsarchive.config import DEFAULT_SCHEDULES, Config, ConfigError

# Windows searched backwards for the latest fire time; a cron that never fired within a year is "never".
_LOOKBACK = (timedelta(minutes=2), timedelta(hours=2), timedelta(days=2), timedelta(days=33),
             timedelta(days=367))


def zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {name!r} in [schedule] timezone") from None


_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _crontab_weekdays(field: str) -> str:
    """Crontab day-of-week numbers (0 or 7 = Sunday) as names: APScheduler 3 counts from Monday."""
    parts = []
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() else None
        if step_text and step is None:
            raise ValueError(f"bad step in {part!r}")
        low, dash, high = base.partition("-")
        if base == "*" and step:
            low, high, dash = "0", "6", "-"
        if not (low.isdigit() and (not dash or high.isdigit())):
            parts.append(part)  # names and plain `*` mean the same in both conventions
            continue
        first, last = int(low), int(high) if dash else int(low)
        if step and not dash:
            last = 6
        if not 0 <= first <= 7 or not 0 <= last <= 7 or first > last:
            raise ValueError(f"bad day of week {part!r}")
        days = range(first, last + 1, step or 1)
        parts.extend(_WEEKDAYS[day % 7] for day in days)
    return ",".join(dict.fromkeys(parts))


def parse_cron(spider: str, expr: str, tz: tzinfo) -> CronTrigger:
    """A standard five-field crontab line (Sunday = 0 or 7) as an APScheduler trigger."""
    fields = expr.split()
    try:
        if len(fields) != 5:
            raise ValueError(f"expected 5 fields, got {len(fields)}")
        fields[4] = _crontab_weekdays(fields[4])
        return CronTrigger(minute=fields[0], hour=fields[1], day=fields[2], month=fields[3],
                           day_of_week=fields[4], timezone=tz)
    except ValueError as exc:
        raise ConfigError(f"bad cron {expr!r} for spider {spider}: {exc}") from None


def next_fire(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The first fire time at or after `now`."""
    fire: datetime | None = trigger.get_next_fire_time(None, now)
    return fire


def previous_fire(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The latest fire time at or before `now` (None when it never fired in the past year)."""
    for back in _LOOKBACK:
        fire = next_fire(trigger, now - back)
        if fire is None or fire > now:
            continue
        while True:
            following = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
            if following is None or following > now:
                return fire
            fire = following
    return None


def interval(trigger: CronTrigger, now: datetime) -> timedelta:
    """The gap between the latest fire time and the one after it: how often the spider runs now."""
    prev = previous_fire(trigger, now)
    upcoming = next_fire(trigger, now + timedelta(seconds=1))
    if prev is None or upcoming is None:
        return timedelta(days=1)
    if upcoming <= prev:
        upcoming = next_fire(trigger, prev + timedelta(seconds=1)) or prev + timedelta(days=1)
    return upcoming - prev


def needs_catch_up(trigger: CronTrigger, last_success: datetime | None, now: datetime) -> bool:
    """True when the spider has not succeeded since its latest scheduled time (or ever)."""
    if last_success is None:
        return True
    prev = previous_fire(trigger, now)
    return prev is not None and last_success < prev


def known_spiders() -> set[str]:
    """Spider names the crawler provides; falls back to the default schedule's names."""
    try:
        from crawler.process import spider_names

        return set(spider_names()) or set(DEFAULT_SCHEDULES)
    except Exception:  # noqa: BLE001 - a broken spider module must not stop the schedule of the others
        return set(DEFAULT_SCHEDULES)


def load_jobs(config: Config) -> dict[str, CronTrigger]:
    """Every job the service runs, keyed as in Config.job_crons: the crawls, then the revisits."""
    return {**load_schedules(config), **load_schedules(config, revisits=True)}


def load_schedules(config: Config, revisits: bool = False) -> dict[str, CronTrigger]:
    """The configured (or default) crawl schedule — or, with `revisits`, the revisit schedule keyed by
    SPIDER-revisit — validated: unknown spider or bad cron -> ConfigError."""
    tz = zone(config.timezone)
    known = known_spiders()
    table, entries = ("revisit", config.effective_revisits) if revisits else ("spiders", config.effective_schedules)
    plan: dict[str, CronTrigger] = {}
    for spider, expr in entries.items():
        if spider not in known:
            raise ConfigError(f"unknown spider {spider!r} in [schedule.{table}] "
                              f"(known: {', '.join(sorted(known))})")
        job = revisit_name(spider) if revisits else spider
        plan[job] = parse_cron(job, expr, tz)
    return plan



class ShiftedTrigger(BaseTrigger):
    """`trigger` read on a clock `offset` ahead of the real one. APScheduler measures real time; a service
    whose clock is set elsewhere (Service(clock=...), e.g. a second before a cron's time) fires its cron
    lines at that clock's times."""

    def __init__(self, trigger: BaseTrigger, offset: timedelta) -> None:
        self.trigger = trigger
        self.offset = offset

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        previous = previous_fire_time + self.offset if previous_fire_time else None
        fire: datetime | None = self.trigger.get_next_fire_time(previous, now + self.offset)
        return fire - self.offset if fire else None

    def __str__(self) -> str:
        return f"{self.trigger} (service clock)"
