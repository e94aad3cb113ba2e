"""The sites newsarchive crawls: one file per site (`SITE = Site(...)`, see model.py), read by the crawler,
the extractor and `newsarchive new-spider` through registry.py."""
