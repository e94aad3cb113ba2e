"""Publication and modification times of a page, from machine dates first, then visible lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lxml.html import HtmlElement

from pipelines.extraction.furniture import selector
from pipelines.extraction.kodate import best, labelled_date, parse_date

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dcterms.created",
    "article.published",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "og:article:modified_time",
    "dateModified",
    "lastmod",
    "last-modified",
    "article.updated",
)


def _meta(doc: HtmlElement, names: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    wanted = {n.lower() for n in names}
    for el in doc.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in wanted and el.get("content"):
            found.append(el.get("content", ""))
    for el in selector("time[datetime]")(doc)[:1]:
        if "published" in wanted:
            found.append(el.get("datetime", ""))
    return found


def page_dates(
    doc: HtmlElement, header_text: str, page_text: str, ld: dict[str, Any], payload_fields: dict[str, str]
) -> tuple[datetime | None, datetime | None]:
    """(published_at, modified_at); a timed source wins over a date-only one."""
    stamped = [el.get("data-date-time", "") for el in selector("[data-date-time]")(doc)]
    modified_stamp = [el.get("data-modify-date-time", "") for el in selector("[data-modify-date-time]")(doc)]
    published = best(
        [
            *(parse_date(v) for v in _meta(doc, _PUBLISHED_META)),
            parse_date(str(ld.get("datePublished", ""))),
            parse_date(payload_fields.get("deployDt", "") or payload_fields.get("publishedAt", "")),
            *(parse_date(v) for v in stamped[:1]),
            labelled_date(header_text, "published"),
            labelled_date(page_text, "published"),
        ]
    )
    modified = best(
        [
            *(parse_date(v) for v in _meta(doc, _MODIFIED_META)),
            parse_date(str(ld.get("dateModified", ""))),
            parse_date(payload_fields.get("reDeployDt", "") or payload_fields.get("updatedAt", "")),
            *(parse_date(v) for v in modified_stamp[:1]),
            labelled_date(header_text, "modified"),
        ]
    )
    if published is None:
        published = best([parse_date(header_text)])
    if published and modified and modified < published:
        modified = None
    return published, modified
