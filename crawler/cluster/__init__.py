"""Distributed crawls: one crawl seeded into Redis, served by any number of worker processes on any
machines, storing into one shared archive (docs/architecture.md, "Distributed crawls")."""
