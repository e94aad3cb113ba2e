"""The one Scrapy settings surface. newsarchive-specific settings are prefixed NEWSARCHIVE_. Scrapy components
read only these: the user's configuration (newsarchive.toml, the environment) is resolved by whoever starts the
crawl and passed in here (crawler/process.py; newsarchive/scrapy_settings.py for `scrapy crawl`)."""

from scrapy.settings import default_settings

from core.timewindow import DEFAULT_WINDOW_DAYS

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness
ROBOTSTXT_OBEY = True
USER_AGENT = "newsarchive/0.1 (Korean government news archive; polite crawler; contact: see README)"
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
# A news page is well under 1 MB; a few carry inline images. Scrapy's default (1 GiB, also the bound on a
# decompressed body) let one gzip bomb hold a gigabyte in the crawl process and five in a worker. The cap
# applies to the body as sent and once decompressed; a larger page fails as "too large".
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy's HTTP control server (runs code sent to it): not for a nightly job
LOG_LEVEL = "INFO"
# Items per response processed concurrently. An article response yields one item, and Scrapy starts
# CONCURRENT_ITEMS tasks for every response's output whatever its size (scrapy/scrapy#5182): the default
# 100 spent a fifth of the crawl process's time creating tasks.
CONCURRENT_ITEMS = 4

# Components that are off are left out of Scrapy's base lists, not only disabled: Scrapy imports every
# component it is given, even one set to None, before asking whether it is enabled, and the remote-control
# extension's import of aiohttp and the cookie middleware's of tldextract were a fifth of the CPU of a
# small crawl's process.
_left_out = {"scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl",
             "scrapy.extensions.memdebug.MemoryDebugger", "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"}
EXTENSIONS_BASE = {k: v for k, v in default_settings.EXTENSIONS_BASE.items() if k not in _left_out}
DOWNLOADER_MIDDLEWARES_BASE = {k: v for k, v in default_settings.DOWNLOADER_MIDDLEWARES_BASE.items()
                               if k not in _left_out}
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.HostMirrorMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.SkipArchivedMiddleware": 100,
}
ITEM_PIPELINES = {
    "crawler.archive_stage.ArchivePipeline": 100,
}
EXTENSIONS = {
    "crawler.extensions.CrawlRunExtension": 100,
    "crawler.quietlogs.QuietNetworkErrors": 0,
}

# newsarchive
NEWSARCHIVE_DATABASE_URL: str | None = None  # the archive's URL, which the one starting the crawl must set
NEWSARCHIVE_MIRROR: dict[str, str] = {}  # host -> base URL
NEWSARCHIVE_RUN_ID = None  # crawl_runs row opened by the launcher; the extension opens one when None
NEWSARCHIVE_RUN_FLUSH_SECONDS = 10
NEWSARCHIVE_RETRY_BACKOFF_BASE = 2.0  # seconds; doubled per retry
NEWSARCHIVE_RETRY_BACKOFF_MAX = 60.0
NEWSARCHIVE_MAX_LIST_PAGES = 20
NEWSARCHIVE_RETRY_REJECTED = False  # fetch again pages rejected before (e.g. after extraction rules improved)
NEWSARCHIVE_WINDOW_DAYS = DEFAULT_WINDOW_DAYS  # days a spider covers when not given since (its window_days)
NEWSARCHIVE_EXTRACT_WORKERS = 1  # processes that extract and store beside the crawl process; 0 = in-process

FEED_EXPORT_ENCODING = "utf-8"
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"

# distributed crawls (`newsarchive worker`, crawler/cluster/): set for a worker by crawler/cluster/settings.py
NEWSARCHIVE_CLUSTER_REDIS = None  # redis:// URL of the crawl's shared queue; None: not a worker
NEWSARCHIVE_CLUSTER_PREFIX = "newsarchive"  # every Redis key of the cluster starts with it
NEWSARCHIVE_CLUSTER_IDLE_SECONDS = 30.0  # a worker leaves when the crawl's queue stayed empty this long
NEWSARCHIVE_CLUSTER_DOMAIN_DELAY = 1.0  # the crawl's promise per domain, kept across all its workers
NEWSARCHIVE_CLUSTER_DOMAIN_CONCURRENCY = 2
