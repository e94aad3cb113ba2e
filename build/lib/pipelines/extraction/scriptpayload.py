"""Article bodies that only exist inside a script payload (Next.js / React Query state).

한국일보's 2026 template renders nothing in the DOM: the article is an HTML string in a JSON
object pushed from an inline <script>, e.g. `{"detail": {"title": …, "subTitle": …, "contentHtml":
"<p class=\\"editor-p\\">…", "deployDt": "2026.01.29 18:40", "byLines": [...]}}`. We look for the
longest JSON string value under an html-ish key that holds paragraph markup, and read its sibling
fields for metadata."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

_HTML_KEYS = r"contentHtml|content_html|articleBody|articleHtml|bodyHtml|body_html|contents|content|html|body"
_STRING_FIELD = re.compile(r'"(' + _HTML_KEYS + r')"\s*:\s*"((?:[^"\\]|\\.){200,})"')
_SCALAR_FIELD = r'"{key}"\s*:\s*"((?:[^"\\]|\\.)*)"'
_PARAGRAPH = re.compile(r"<p[\s>]|<br|\\u003cp", re.I)


@dataclass
class Payload:
    html: str
    fields: dict[str, str] = field(default_factory=dict)
    writers: list[str] = field(default_factory=list)


def _unescape(raw: str) -> str:
    raw = raw.replace("$$ARTICLEAD$$", "")
    try:
        value: str = json.loads('"' + raw + '"')
        return value
    except ValueError:
        return raw


def find_payload(scripts: list[str]) -> Payload | None:
    """The article html carried by inline scripts, with the detail fields next to it."""
    best: tuple[int, str, str] | None = None
    for script in scripts:
        if len(script) < 400 or "<" not in script and "\\u003c" not in script:
            continue
        for match in _STRING_FIELD.finditer(script):
            html = _unescape(match.group(2))
            if not _PARAGRAPH.search(html):
                continue
            if best is None or len(html) > best[0]:
                best = (len(html), html, script[max(0, match.start() - 6000) : match.end() + 6000])
    if best is None:
        return None
    _, html, around = best
    fields: dict[str, str] = {}
    for key in (
        "title",
        "subTitle",
        "subtitle",
        "deployDt",
        "reDeployDt",
        "publishedAt",
        "updatedAt",
        "createDt",
        "sectionName",
        "writerDisplay",
    ):
        found = re.search(_SCALAR_FIELD.format(key=key), around)
        if found:
            fields[key] = _unescape(found.group(1))
    writers = [_unescape(m) for m in re.findall(r'"writerName"\s*:\s*"((?:[^"\\]|\\.)+)"', around)]
    return Payload(html=html, fields=fields, writers=list(dict.fromkeys(writers)))
