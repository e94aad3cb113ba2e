"""The settings `scrapy crawl` runs with (scrapy.cfg): crawler/settings.py, with the archive, the mirrors and the
window resolved from the environment and newsarchive.toml as `newsarchive crawl` resolves them."""

from crawler.settings import *  # noqa: F403
from newsarchive.config import load_config, parse_mirrors, resolve_database_url

_config = load_config()
NEWSARCHIVE_DATABASE_URL = resolve_database_url(config=_config)
NEWSARCHIVE_MIRROR = parse_mirrors()
NEWSARCHIVE_WINDOW_DAYS = _config.window_days
