"""Reading listings (RSS/Atom feeds, sitemaps, HTML list pages) into entries: pure functions of the bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector

from core.ministries import resolve_ministry
from pipelines.extraction.kodate import parse_datetime
from sites.model import ListPageRule


@dataclass
class Entry:
    url: str
    listed_at: datetime | None = None
    title: str = ""
    ministries: list[str] = field(default_factory=list)


def _parse_xml(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data.strip(), parser=parser)
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(node: etree._Element, *names: str) -> str:
    for child in node.iter():
        if _local(child.tag) in names and child.text and child.text.strip():
            return child.text.strip()
    return ""


def parse_feed(data: bytes, base_url: str) -> list[Entry]:
    """RSS 2.0 `<item>` or Atom `<entry>` elements; the address is link (or a URL guid / id), the date
    pubDate / dc:date / published / updated."""
    root = _parse_xml(data)
    if root is None:
        return []
    entries = []
    for node in root.iter():
        name = _local(node.tag)
        if name not in ("item", "entry"):
            continue
        link = _child_text(node, "link")
        if not link:
            for child in node:
                if _local(child.tag) == "link" and child.get("href"):
                    link = child.get("href", "")
                    break
        if not link:  # feeds that leave <link> empty and give the address as a permalink guid
            guid = _child_text(node, "guid", "id")
            link = guid if guid.startswith(("http://", "https://", "/")) else ""
        if not link:
            continue
        when = _child_text(node, "pubDate", "date", "published", "updated", "issued")
        entries.append(Entry(url=urljoin(base_url, link), listed_at=parse_datetime(when),
                             title=_child_text(node, "title")))
    return entries


_SITEMAP_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:urlset|sitemapindex)\b[^>]*>")
_SITEMAP_NODE = re.compile(rb"<((?:[\w.-]+:)?(?:url|sitemap))\b[^>]*>.*?</\1\s*>", re.S)


def parse_sitemap(data: bytes, base_url: str) -> tuple[list[Entry], list[str]]:
    """(article entries, nested sitemap URLs) from a urlset or sitemapindex; Google-News dates preferred.

    One mis-nested element (an unclosed <b> in a news:title) makes libxml2's recovery swallow every
    following <url>; when the document read whole yields fewer nodes than it has, each <url> (or
    <sitemap>) is read on its own, inside the document's root tag so its namespaces still apply."""
    root = _parse_xml(data)
    nodes = list(root) if root is not None else []
    chunks = [match.group(0) for match in _SITEMAP_NODE.finditer(data)]
    if len(chunks) > sum(1 for node in nodes if _local(node.tag) in ("url", "sitemap")):
        opening = _SITEMAP_ROOT.search(data)
        head = opening.group(0) if opening else b"<urlset>"
        close = b"</" + head[1:].split(None, 1)[0].rstrip(b">") + b">"
        nodes = []
        for chunk in chunks:
            part = _parse_xml(head + chunk + close)
            nodes += list(part) if part is not None else []
    entries: list[Entry] = []
    nested: list[str] = []
    for node in nodes:
        name = _local(node.tag)
        loc = _child_text(node, "loc")
        if not loc:
            continue
        if name == "sitemap":
            nested.append(urljoin(base_url, loc))
        elif name == "url":
            when = _child_text(node, "publication_date") or _child_text(node, "lastmod")
            entries.append(Entry(url=urljoin(base_url, loc), listed_at=parse_datetime(when),
                                 title=_child_text(node, "title")))
    return entries, nested


def parse_list_page(html: str, base_url: str, rule: ListPageRule) -> list[Entry]:
    selector = Selector(text=html)
    entries = []
    for row in selector.css(rule.row):
        href = ""
        if rule.link_id_pattern:
            match = re.search(rule.link_id_pattern, row.get())
            if match:
                href = rule.link_template.format(id=match.group(1))
        if not href:
            href = (row.css(rule.link).get() or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        title = " ".join(t.strip() for t in row.css(rule.title + " ::text").getall()).strip() if rule.title else ""
        date_text = " ".join(row.css(rule.date + " ::text").getall()) if rule.date else ""
        ministry = resolve_ministry(row.css(rule.ministry + " ::text").get() or "") if rule.ministry else None
        entries.append(Entry(url=urljoin(base_url, href), listed_at=parse_datetime(date_text),
                             title=re.sub(r"\s+", " ", title), ministries=[ministry] if ministry else []))
    return entries
