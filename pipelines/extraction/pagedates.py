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


def _meta(doc: HtmlElement, names: tuple[str, ...], source: str | None) -> list[str]:
    found: list[str] = []
    wanted = {n.lower() for n in names}
    for el in doc.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in wanted and el.get("content"):
            found.append(el.get("content", ""))
    for el in _with_attribute("time[datetime]", "datetime", doc, source)[:1]:
        if "published" in wanted:
            found.append(el.get("datetime", ""))
    return found


def _with_attribute(css: str, attribute: str, doc: HtmlElement, source: str | None) -> list[HtmlElement]:
    """selector(css)(doc), or none at once when the attribute's name is nowhere in the page source (in any
    case: the parser lower-cases attribute names). `source`: the lower-cased source; None: always look."""
    if source is not None and attribute not in source:
        return []
    found: list[HtmlElement] = selector(css)(doc)
    return found


def page_dates(
    doc: HtmlElement, header_text: str, page_text: str, ld: dict[str, Any], payload_fields: dict[str, str],
    markup: str | None = None,
) -> tuple[datetime | None, datetime | None]:
    """(published_at, modified_at); a timed source wins over a date-only one. `markup`: the page's source,
    when given, spares the look-ups of attributes it does not hold."""
    source = markup.lower() if markup is not None else None
    stamped = [el.get("data-date-time", "")
               for el in _with_attribute("[data-date-time]", "data-date-time", doc, source)]
    modified_stamp = [el.get("data-modify-date-time", "")
                      for el in _with_attribute("[data-modify-date-time]", "data-modify-date-time", doc, source)]
    published = best(
        [
            *(parse_date(v) for v in _meta(doc, _PUBLISHED_META, source)),
            parse_date(str(ld.get("datePublished", ""))),
            parse_date(payload_fields.get("deployDt", "") or payload_fields.get("publishedAt", "")),
            *(parse_date(v) for v in stamped[:1]),
            labelled_date(header_text, "published"),
            labelled_date(page_text, "published"),
        ]
    )
    modified = best(
        [
            *(parse_date(v) for v in _meta(doc, _MODIFIED_META, source)),
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
