"""Attachment links that government boards open through JavaScript calls instead of plain hrefs
(msit.go.kr: `getExtension_path('{atchFileNo}','{fileOrd}')`; SITES.md §3, not checked on a live page)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from core.article import Attachment
from pipelines.extraction.furniture import text_of


@dataclass(frozen=True)
class ScriptLink:
    """A JS call in an onclick/href that stands for a download URL: the call's arguments fill `template`."""

    hosts: tuple[str, ...]
    call: re.Pattern[str]
    template: str


SCRIPT_ATTACHMENTS = (
    # msit: getExtension_path('{atchFileNo}','{fileOrd}') opens /ssm/file/fileDown.do?atchFileNo=…&fileOrd=…
    ScriptLink(
        ("msit.go.kr",),
        re.compile(r"""getExtension_path\(\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*\)"""),
        "/ssm/file/fileDown.do?atchFileNo={0}&fileOrd={1}",
    ),
)

_DOC_NAME = re.compile(r"\S.*?\.(?:hwpx?|pdf|docx?|xlsx?|pptx?|zip)\b", re.I)
_BUTTON_WORDS = re.compile(
    r"바로보기|미리보기|다운로드|내려받기|새창\s*열림|\(\s*[\d.,]+\s*[KMG]?B\s*\)", re.I
)


def _file_name(link: HtmlElement) -> str:
    """The file name printed next to a JS link (the link itself usually just says 바로보기)."""
    node: HtmlElement | None = link
    for _ in range(3):
        if node is None:
            break
        match = _DOC_NAME.search(_BUTTON_WORDS.sub(" ", text_of(node)))
        if match:
            return match.group(0).strip()
        node = node.getparent()
    return ""


def script_attachments(doc: HtmlElement, url: str) -> list[Attachment]:
    """Attachments whose links are JS calls (see SCRIPT_ATTACHMENTS); [] on every other host."""
    host = (urlsplit(url).hostname or "").lower()
    rules = [r for r in SCRIPT_ATTACHMENTS if any(host == h or host.endswith("." + h) for h in r.hosts)]
    found: dict[str, Attachment] = {}
    for rule in rules:
        for link in doc.iter("a", "button"):
            match = rule.call.search(f"{link.get('onclick', '')} {link.get('href', '')}")
            if not match:
                continue
            target = urljoin(url, rule.template.format(*match.groups()))
            name = _file_name(link)
            if name and target not in found:
                found[target] = Attachment(name=name, url=target)
    return list(found.values())
