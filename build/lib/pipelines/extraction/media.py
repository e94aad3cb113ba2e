"""Images with their captions (captions never go into the body) and press-release attachments."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement

from pipelines.article import Attachment, Image
from pipelines.extraction.furniture import text_of
from pipelines.extraction.metadata import meta
from pipelines.extraction.scriptlinks import script_attachments

_CAPTION_ATTR = re.compile(r"caption|desc|txt|text|cap", re.I)
_BOX_ATTR = re.compile(r"img|image|photo|figure|pic|caption", re.I)
_NOT_PHOTO = re.compile(
    r"icon|btn|button|logo|blank|spacer|banner|[/_]ad[s/_.]|emoticon|profile|reporter|"
    r"\.svg|\.gif|opencode|kogl",
    re.I,
)
_DOC_EXT = re.compile(r"\.(hwpx?|pdf|docx?|xlsx?|zip)\b", re.I)
_DOC_LINK = re.compile(r"download\.do|filedown|file_down|fileDownload|atchFile|/download", re.I)


_BLIND = re.compile(r"blind|hidden|sr-only|screen_out|zoom|btn", re.I)


def _visible_text(node: HtmlElement) -> str:
    """Text without buttons and screen-reader-only labels (`사진 확대`)."""
    parts = []
    for el in node.iter():
        if not isinstance(el.tag, str) or el.tag == "button" or _BLIND.search(el.get("class", "")):
            continue
        if (
            el.text
            and el.getparent() is not None
            and any(a.tag == "button" or _BLIND.search(a.get("class", "")) for a in el.iterancestors())
        ):
            continue
        parts.append(el.text or "")
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def _caption_for(img: HtmlElement, container: HtmlElement) -> tuple[str, HtmlElement | None]:
    """The caption text and the element holding it (figure/photo box), searching up to 3 ancestors."""
    node = img
    for _ in range(3):
        parent = node.getparent()
        if parent is None or parent is container:
            break
        node = parent
        attrs = f"{node.get('class', '')} {node.get('id', '')}"
        if node.tag == "figure" or _BOX_ATTR.search(attrs):
            has_caption_element = False
            for cap in node.iter("figcaption", "p", "span", "div", "em", "dd"):
                cap_attrs = f"{cap.get('class', '')} {cap.get('id', '')}"
                if cap.tag == "figcaption" or _CAPTION_ATTR.search(cap_attrs):
                    has_caption_element = True
                    text = text_of(cap)
                    if text:
                        return text, node
            if has_caption_element:
                return "", node
            text = _visible_text(node)
            if 0 < len(text) < 300:
                return text, node
            return "", node
    return "", None


def images_of(doc: HtmlElement, container: HtmlElement | None, base_url: str) -> tuple[list[Image], set[str]]:
    """Images in the article container with captions, else og:image; plus the caption lines."""
    images: list[Image] = []
    captions: set[str] = set()
    seen: set[str] = set()
    if container is not None:
        for img in container.iter("img"):
            src = img.get("data-src") or img.get("data-original") or img.get("src") or ""
            if not src or src.startswith("data:") or _NOT_PHOTO.search(src):
                continue
            width = img.get("width", "")
            if width.isdigit() and int(width) < 60:
                continue
            url = urljoin(base_url, src.strip().replace("https:/img", "https://img"))
            if url in seen:
                continue
            seen.add(url)
            caption, _box = _caption_for(img, container)
            images.append(Image(url=url, caption=caption))
            if caption:
                captions.add(caption)
                captions.update(line.strip() for line in caption.splitlines() if line.strip())
    if not images:
        for og in meta(doc, "og:image", "twitter:image")[:1]:
            images.append(Image(url=urljoin(base_url, og.replace("https:/img", "https://img")), caption=""))
    return images, captions


def is_press_release_site(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith((".go.kr", "korea.kr")) or host == "korea.kr"


def attachments_of(doc: HtmlElement, base_url: str) -> list[Attachment]:
    """hwp/hwpx/pdf links of government press-release pages (news sites link forms, not releases)."""
    found: dict[str, Attachment] = {}
    if not is_press_release_site(base_url):
        return []
    for link in doc.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        if not (_DOC_EXT.search(href) or _DOC_LINK.search(href)):
            tail_text = (link.text or "")[-12:]
            if not _DOC_EXT.search(tail_text) and not _DOC_EXT.search(link.text_content()[-12:]):
                continue
        text = text_of(link)
        name_match = _DOC_EXT.search(text) or _DOC_EXT.search(unquote(href))
        if not name_match or not (_DOC_EXT.search(href) or _DOC_LINK.search(href) or _DOC_EXT.search(text)):
            continue
        if not re.search(r"\.(hwpx?|pdf)\b", text + " " + unquote(href), re.I):
            continue
        url = urljoin(base_url, href)
        if re.search(r"print|popup", url, re.I):
            continue
        name = re.sub(
            r"\s*(?:\(\s*[\d.,]+\s*[KMG]?B\s*\)|다운로드|바로보기|미리보기|내려받기)\s*", " ", text
        ).strip()
        if not _DOC_EXT.search(name):
            name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or name
        found.setdefault(url, Attachment(name=name, url=url))
    for attachment in script_attachments(doc, base_url):
        found.setdefault(attachment.url, attachment)
    return list(found.values())
