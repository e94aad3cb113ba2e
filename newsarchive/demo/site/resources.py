"""What a test site is made of: pages keyed by host and `path?query`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


# host -> {"/path?query": Resource}
Site = dict[str, dict[str, Resource]]
