"""Cron timing and catch-up decisions with a controlled clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.timewindow import KST
from newsarchive.config import Config, ConfigError
from newsarchive.service.timing import (
    interval,
    load_schedules,
    needs_catch_up,
    next_fire,
    parse_cron,
    previous_fire,
    zone,
)
from scheduler import Service
from storage.db import transaction
from storage.repository import create_run, update_run

SEOUL = zone("Asia/Seoul")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=KST)  # 2025-03-10 is a Monday


def test_previous_and_next_fire_of_a_nightly_cron() -> None:
    trigger = parse_cron("etoday", "30 2 * * *", SEOUL)
    assert previous_fire(trigger, at(10, 1)) == at(9, 2, 30)
    assert previous_fire(trigger, at(10, 2, 30)) == at(10, 2, 30)
    assert previous_fire(trigger, at(10, 3)) == at(10, 2, 30)
    assert next_fire(trigger, at(10, 3)) == at(11, 2, 30)
    assert interval(trigger, at(10, 3)) == timedelta(days=1)


def test_cron_is_read_in_the_schedule_time_zone() -> None:
    trigger = parse_cron("etoday", "30 2 * * *", zone("UTC"))
    assert previous_fire(trigger, at(10, 12)) == at(10, 11, 30)  # 02:30 UTC is 11:30 KST


@pytest.mark.parametrize(("expr", "expected"), [
    ("0 9 * * 1", at(3, 9)),     # crontab 1 = Monday (APScheduler 3 alone would say Tuesday)
    ("0 9 * * 0", at(9, 9)),     # 0 = Sunday
    ("0 9 * * 7", at(9, 9)),     # 7 = Sunday too
    ("0 9 * * 1-5", at(7, 9)),   # weekdays: the latest is Friday
    ("0 9 * * sat", at(8, 9)),
])
def test_day_of_week_follows_crontab(expr: str, expected: datetime) -> None:
    assert previous_fire(parse_cron("etoday", expr, SEOUL), at(10, 1)) == expected


def test_weekday_interval_is_measured_around_now() -> None:
    trigger = parse_cron("etoday", "0 9 * * 1-5", SEOUL)
    assert interval(trigger, at(10, 1)) == timedelta(days=3)  # Friday -> Monday
    assert interval(trigger, at(11, 12)) == timedelta(days=1)


@pytest.mark.parametrize(("last", "now", "expected"), [
    (None, at(10, 12), True),                 # never succeeded
    (at(10, 2, 30), at(10, 12), False),       # succeeded at today's slot
    (at(10, 2, 31), at(10, 12), False),
    (at(9, 2, 30), at(10, 12), True),         # missed today's 02:30
    (at(9, 2, 30), at(10, 2, 29), False),     # today's slot not reached yet
    (at(8, 2, 30), at(10, 2, 29), True),      # missed yesterday's
])
def test_needs_catch_up(last: datetime | None, now: datetime, expected: bool) -> None:
    trigger = parse_cron("etoday", "30 2 * * *", SEOUL)
    assert needs_catch_up(trigger, last, now) is expected


def test_every_minute_cron() -> None:
    trigger = parse_cron("etoday", "* * * * *", SEOUL)
    now = at(10, 12, 7) + timedelta(seconds=30)
    assert previous_fire(trigger, now) == at(10, 12, 7)
    assert interval(trigger, now) == timedelta(minutes=1)


@pytest.mark.parametrize(("schedules", "message"), [
    ({"nosuchsite": "0 3 * * *"}, "unknown spider 'nosuchsite'"),
    ({"etoday": "0 3 * *"}, "bad cron '0 3 * *' for spider etoday"),
    ({"etoday": "0 25 * * *"}, "bad cron '0 25 * * *'"),
    ({"etoday": "0 3 * * 8"}, "bad cron"),
])
def test_bad_schedules_are_config_errors(schedules: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("*", r"\*")):
        load_schedules(Config(schedules=schedules))


def test_bad_time_zone_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown time zone"):
        load_schedules(Config(timezone="Mars/Olympus"))


def test_defaults_schedule_every_spider() -> None:
    assert set(load_schedules(Config())) == {"etoday", "korea_kr"}


def test_catch_up_plan_reads_the_run_table(db_url: str) -> None:
    config = Config(database_url=db_url, schedules={"etoday": "30 2 * * *", "korea_kr": "0 3 * * *"})
    now = at(10, 12)
    service = Service(config, db_url, clock=lambda: now)
    with transaction(db_url) as session:
        ok = create_run(session, "etoday")
        update_run(session, ok.id, status="finished")
        ok.started_at = at(10, 2, 30)
        failed = create_run(session, "korea_kr")
        update_run(session, failed.id, status="failed")
        failed.started_at = at(10, 3)  # today's run failed: korea_kr must catch up
        older = create_run(session, "korea_kr")
        update_run(session, older.id, status="finished")
        older.started_at = at(9, 3)
    assert service.catch_up_plan(now) == {"etoday": False, "korea_kr": True}
    scheduler = service.build()
    real_now = datetime.now(SEOUL)
    assert abs(scheduler.get_job("korea_kr").next_run_time - real_now) < timedelta(seconds=30)  # at once
    etoday = scheduler.get_job("etoday")
    assert getattr(etoday, "next_run_time", None) is None  # left to its cron, on the service's clock:
    wait = etoday.trigger.get_next_fire_time(None, real_now) - real_now
    assert abs(wait - (at(11, 2, 30) - now)) < timedelta(seconds=1)
