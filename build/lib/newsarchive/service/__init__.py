"""The scheduling service's parts: cron timing, the crawl-process launcher, health rules, logging.

scheduler.py (top level) wires them into the APScheduler service."""
