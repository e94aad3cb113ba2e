"""The NewsArticle object of a page's JSON-LD, tolerant of the malformed blocks Korean sites ship."""

from __future__ import annotations

import json
import re
from typing import Any

from lxml.html import HtmlElement

_ARTICLE_TYPES = {
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BlogPosting",
    "WebPage",
}


def _objects(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [o for item in value for o in _objects(item)]
    if isinstance(value, dict):
        found = [value]
        if "@graph" in value:
            found += _objects(value["@graph"])
        return found
    return []


def news_article(doc: HtmlElement) -> dict[str, Any]:
    best: dict[str, Any] = {}
    for script in doc.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        raw = script.text.strip()
        try:
            data = json.loads(raw)
        except ValueError:
            try:
                data = json.loads(re.sub(r"[\x00-\x1f]", " ", raw))
            except ValueError:
                continue
        for obj in _objects(data):
            kind = obj.get("@type")
            kinds = set(kind) if isinstance(kind, list) else {kind}
            is_article = kinds & _ARTICLE_TYPES and ("headline" in obj or "datePublished" in obj)
            if is_article and (not best or "NewsArticle" in kinds):
                best = obj
    return best


def names(value: Any) -> list[str]:
    """Author names from a JSON-LD author value (string, object or list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for item in value for n in names(item)]
    return []
