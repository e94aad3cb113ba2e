"""Where every user-facing setting is resolved: command-line value, then environment, then
`newsarchive.toml`, then the default. Scrapy's own knobs live in crawler/settings.py."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.jobs import revisit_name
from core.timewindow import DEFAULT_WINDOW_DAYS

DEFAULT_DATABASE_URL = "sqlite:///archive.db"
DATABASE_ENV = "NEWSARCHIVE_DATABASE_URL"
MIRROR_ENV = "NEWSARCHIVE_MIRROR"
CONFIG_ENV = "NEWSARCHIVE_CONFIG"
CONFIG_FILE = "newsarchive.toml"
DEFAULT_GRACE_SECONDS = 60
DEFAULT_SCHEDULES: dict[str, str] = {"etoday": "30 2 * * *", "korea_kr": "0 3 * * *"}
"""Cron (in the schedule's time zone) per spider, used when newsarchive.toml has no [schedule.spiders]."""
DEFAULT_REVISITS: dict[str, str] = {"etoday": "15 */6 * * *", "korea_kr": "45 */6 * * *"}
"""Cron per spider for `newsarchive revisit` (edited articles), used when the schedule is not configured."""
DEFAULT_REVISIT_DAYS = 3


class ConfigError(ValueError):
    """A setting the user gave cannot be used; the message is shown as is."""


@dataclass(frozen=True)
class Config:
    database_url: str = DEFAULT_DATABASE_URL
    window_days: int = DEFAULT_WINDOW_DAYS
    timezone: str = "Asia/Seoul"
    schedules: dict[str, str] = field(default_factory=dict)
    crawl_timeout_minutes: int = 120
    log_file: str = "newsarchive.log"
    raw: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    grace_seconds: int = DEFAULT_GRACE_SECONDS
    crawl_command: tuple[str, ...] = ()
    """Replaces `python -m newsarchive crawl` when launching a crawl (empty: the default)."""
    revisits: dict[str, str] | None = None
    """[schedule.revisit]: cron per spider for revisits; None when the file has no such table."""
    revisit_days: int = DEFAULT_REVISIT_DAYS

    @property
    def effective_schedules(self) -> dict[str, str]:
        """[schedule.spiders] when given (only those spiders run), else DEFAULT_SCHEDULES."""
        return dict(self.schedules) if self.schedules else dict(DEFAULT_SCHEDULES)

    @property
    def effective_revisits(self) -> dict[str, str]:
        """[schedule.revisit] when given; else the defaults, unless [schedule.spiders] narrows the schedule
        (then only what is configured runs)."""
        if self.revisits is not None:
            return dict(self.revisits)
        return {} if self.schedules else dict(DEFAULT_REVISITS)

    @property
    def job_crons(self) -> dict[str, str]:
        """Every scheduled job and its cron: SPIDER (crawls), then SPIDER-revisit (revisits)."""
        return {**self.effective_schedules,
                **{revisit_name(spider): cron for spider, cron in self.effective_revisits.items()}}


def load_config(path: str | Path | None = None) -> Config:
    """Read `newsarchive.toml` (explicit path, $NEWSARCHIVE_CONFIG, or the working directory)."""
    explicit = path or os.environ.get(CONFIG_ENV)
    candidate = Path(explicit) if explicit else Path.cwd() / CONFIG_FILE
    data: dict[str, Any] = {}
    if candidate.exists():
        try:
            data = tomllib.loads(candidate.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{candidate}: invalid TOML: {exc}") from exc
    elif explicit:
        raise ConfigError(f"config file not found: {candidate}")
    crawl = data.get("crawl", {})
    schedule = data.get("schedule", {})
    try:
        window_days = int(crawl.get("window_days", DEFAULT_WINDOW_DAYS))
        timeout = int(crawl.get("timeout_minutes", 120))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{candidate}: [crawl] values must be integers") from exc
    try:
        grace = int(schedule.get("grace_seconds", DEFAULT_GRACE_SECONDS))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{candidate}: [schedule] grace_seconds must be an integer") from exc
    command = crawl.get("command", [])
    if not isinstance(command, list) or not all(isinstance(part, str) for part in command):
        raise ConfigError(f"{candidate}: [crawl] command must be a list of strings")
    spiders = schedule.get("spiders", {})
    revisits = schedule.get("revisit")
    for table, value in (("spiders", spiders), ("revisit", revisits or {})):
        if not isinstance(value, dict):
            raise ConfigError(f"{candidate}: [schedule.{table}] must be a table of spider = \"cron\"")
    try:
        revisit_days = int(crawl.get("revisit_days", DEFAULT_REVISIT_DAYS))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{candidate}: [crawl] revisit_days must be an integer") from exc
    return Config(
        database_url=str(data.get("database", DEFAULT_DATABASE_URL)),
        window_days=window_days,
        timezone=str(schedule.get("timezone", "Asia/Seoul")),
        schedules={str(k): str(v) for k, v in spiders.items()},
        crawl_timeout_minutes=timeout,
        log_file=str(data.get("log_file", "newsarchive.log")),
        raw=data,
        path=candidate if candidate.exists() else None,
        grace_seconds=max(grace, 0),
        crawl_command=tuple(command),
        revisits=None if revisits is None else {str(k): str(v) for k, v in revisits.items()},
        revisit_days=max(revisit_days, 1),
    )


def resolve_database_url(cli_value: str | None = None, config: Config | None = None) -> str:
    """--db beats $NEWSARCHIVE_DATABASE_URL beats the config file beats ./archive.db."""
    if cli_value:
        return as_database_url(cli_value)
    env = os.environ.get(DATABASE_ENV)
    if env:
        return as_database_url(env)
    if config is not None:
        return as_database_url(config.database_url)
    return as_database_url(load_config().database_url)


def as_database_url(value: str) -> str:
    """A bare path (`archive.db`, `~/news/archive.db`) means that SQLite file."""
    if "://" in value or value.startswith("sqlite:"):
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def parse_mirrors(values: list[str] | tuple[str, ...] = (), env: str | None = None) -> dict[str, str]:
    """`HOST=BASE_URL` pairs from --mirror options and $NEWSARCHIVE_MIRROR (comma-separated).

    Options given on the command line win over the environment for the same host."""
    env_value = os.environ.get(MIRROR_ENV, "") if env is None else env
    pairs = [p for p in env_value.split(",") if p.strip()] + list(values)
    mirrors: dict[str, str] = {}
    for pair in pairs:
        host, sep, base = pair.strip().partition("=")
        host, base = host.strip().lower(), base.strip().rstrip("/")
        if not sep or not host or not base.startswith(("http://", "https://")):
            raise ConfigError(f"bad mirror {pair!r}: expected HOST=http(s)://BASE_URL")
        mirrors[host] = base
    return mirrors
