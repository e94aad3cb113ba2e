"""The article record that extraction produces and every later stage (dedup, store, export) reads."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from core.rejections import Kind

EXPORT_FIELDS = (
    "url", "canonical_url", "source", "title", "subtitle", "body", "published_at", "modified_at",
    "authors", "section", "images", "language", "ministries", "attachments", "fetched_at", "content_hash",
)


class NotAnArticle(Exception):
    """The page is not an article (list page, photo-only item, error page, ...): `kind` says why, and
    whether a later fetch could change that; `reason` is its short label ("no body")."""

    def __init__(self, kind: Kind):
        super().__init__(kind.label)
        self.kind = kind
        self.reason = kind.label


@dataclass
class Image:
    url: str
    caption: str = ""


@dataclass
class Attachment:
    name: str
    url: str


@dataclass
class Article:
    url: str
    canonical_url: str
    title: str
    body: str
    source: str = ""
    subtitle: str = ""
    published_at: datetime | None = None
    modified_at: datetime | None = None
    authors: list[str] = field(default_factory=list)
    section: str = ""
    images: list[Image] = field(default_factory=list)
    language: str = "ko"
    ministries: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    fetched_at: datetime | None = None
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = content_hash(self.body)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the export field names; datetimes as ISO 8601 with offset."""
        data = asdict(self)
        for key in ("published_at", "modified_at", "fetched_at"):
            value = data[key]
            data[key] = value.isoformat(timespec="seconds") if value else None
        return {key: data[key] for key in EXPORT_FIELDS}


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=8)  # a worker normalises each body twice: for its content hash and its shingles
def normalise_body(body: str) -> str:
    """The body as dedup sees it: NFKC, no punctuation or whitespace differences, lower case."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", body)).strip().lower()


def content_hash(body: str) -> str:
    return hashlib.sha256(normalise_body(body).encode("utf-8")).hexdigest()
