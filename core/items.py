"""What a spider hands to the pipelines: the fetched page, untouched, plus what the listing said."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class PageItem:
    url: str
    html: bytes
    source: str
    fetched_at: datetime
    encoding: str | None = None  # charset from the HTTP Content-Type header, if any
    listed_at: datetime | None = None
    listed_title: str = ""
    ministries: list[str] = field(default_factory=list)  # official names the listing attributes it to
    etag: str | None = None  # HTTP validators of the response, for conditional revisits
    last_modified: str | None = None
    listed_url: str = ""  # canonical URL of the listing entry, when a redirect led elsewhere
