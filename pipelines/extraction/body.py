"""Body text of a pruned container: trafilatura first, a block renderer when trafilatura loses text."""

from __future__ import annotations

import copy
import re

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, document_fromstring
from trafilatura.settings import Extractor

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "section",
    "article",
    "figure",
    "figcaption",
    "pre",
    "hr",
}
_CELL_TAGS = {"td", "th"}


def render_text(el: HtmlElement) -> list[str]:
    """Plain text by blocks: one line per block element or <br>, table cells joined by ' | '."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if tag in _CELL_TAGS:
            parts.append(" | ")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(el)
    text = "".join(parts)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"\s+", " ", line).strip(" |")
        if line:
            lines.append(line.strip())
    return lines


_INLINE = {
    "a",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "span",
    "font",
    "br",
    "sup",
    "sub",
    "small",
    "big",
    "mark",
    "s",
    "strike",
    "abbr",
    "cite",
    "q",
    "code",
    "img",
    "label",
    "time",
}


def _has_loose_text(el: HtmlElement) -> bool:
    if el.text and el.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in el)


def paragraphize(container: HtmlElement) -> None:
    """Wrap loose text runs (text between blocks, `<br><br>` layouts) in <p>, which trafilatura keeps."""
    for el in [container, *container.iter("div", "td", "section", "article")]:
        if not isinstance(el.tag, str) or not _has_loose_text(el):
            continue
        if all(isinstance(c.tag, str) and c.tag in _INLINE for c in el) and el is not container:
            continue
        _wrap_runs(el)


def _wrap_runs(el: HtmlElement) -> None:
    from lxml.html import Element

    children = list(el)
    leading = el.text
    el.text = None
    for child in children:
        el.remove(child)
    run: list[HtmlElement | str] = [leading] if leading and leading.strip() else []

    def flush() -> None:
        if any((isinstance(n, str) and n.strip()) or (not isinstance(n, str) and n.tag != "br") for n in run):
            para = Element("p")
            last: HtmlElement | None = None
            for node in run:
                if isinstance(node, str):
                    if last is None:
                        para.text = (para.text or "") + node
                    else:
                        last.tail = (last.tail or "") + node
                else:
                    para.append(node)
                    last = node
            el.append(para)
        run.clear()

    for child in children:
        tail = child.tail
        child.tail = None
        is_inline = isinstance(child.tag, str) and child.tag in _INLINE
        if is_inline and child.tag == "br" and run and not isinstance(run[-1], str) and run[-1].tag == "br":
            run.pop()
            flush()
        elif is_inline:
            run.append(child)
        else:
            flush()
            el.append(child)
        if tail and tail.strip():
            run.append(tail)
    flush()


# What trafilatura.extract would build from these keywords on every call (its config file read again each
# time, a twentieth of a page's extraction); trafilatura copies it before changing anything.
_OPTIONS = Extractor(output_format="txt", fast=True, recall=True, comments=False, links=False, images=False,
                     tables=True, dedup=False, with_metadata=False)


def trafilatura_lines(container: HtmlElement) -> list[str]:
    """trafilatura on a document holding only the (pruned) container."""
    doc = document_fromstring("<html><body><article></article></body></html>")
    article = doc.find(".//article")
    assert article is not None
    article.append(copy.deepcopy(container))
    text = trafilatura.extract(doc, options=_OPTIONS)
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def body_lines(container: HtmlElement) -> list[str]:
    """The container's text lines; trafilatura unless it dropped a large share of the prose."""
    paragraphize(container)
    rendered = render_text(container)
    rendered_len = sum(len(line) for line in rendered)
    if rendered_len == 0:
        return []
    extracted = trafilatura_lines(container)
    extracted_len = sum(len(line) for line in extracted)
    if extracted_len >= 0.85 * rendered_len:
        return extracted
    return rendered


__all__ = ["render_text", "trafilatura_lines", "body_lines", "etree"]
