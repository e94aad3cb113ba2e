"""Deduplication: one row per canonical URL, one article per normalised body (decided in pipelines/store.py,
with the archive read once per batch)."""

from __future__ import annotations

from enum import Enum


class Verdict(Enum):
    NEW = "new"
    ARCHIVED = "archived"  # this canonical URL is already stored (or recorded as a duplicate)
    DUPLICATE = "duplicate"  # the same body is stored under another URL
