"""Images with their captions (captions never go into the body) and press-release attachments."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement

from core.article import Attachment, Image
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
# A photo credit standing alone: `(사진제공=과기정통부)`, `[사진 출처 = 연합뉴스]`, `(연합뉴스)`, `(이투데이DB)`,
# `사진=뉴시스`. It belongs to a photo: never a subtitle, never body text. (`▲` opens etoday's captions but
# is also a bullet of government releases: only right after an image does it mark a caption.)
_AGENCY = r"(?:연합뉴스|뉴시스|뉴스1|로이터|AP|AFP|EPA|UPI|신화|교도|게티이미지\w*|셔터스톡|픽사베이)"
_PHOTO_CREDIT = re.compile(
    r"^\s*[(\[<]?\s*(?:사진|그래픽|자료|이미지|영상)\s*(?:제공|출처)?\s*[=:]\s*[^()\[\]<>]{1,40}[)\]>]?\s*$"
    r"|^\s*[(\[]\s*(?:[^()\[\]]{0,20}[/=]\s*)?(?:" + _AGENCY + r"|[^()\[\]\s]{1,15}\s*(?:DB|제공))"
    r"(?:\s*[/=][^()\[\]]{1,20})?\s*[)\]]\s*$"
)
_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp)(?:[?#]|$)", re.I)
_INLINE_TAGS = {"span", "em", "i", "b", "strong", "small", "font", "a", "sup", "sub", "u"}


def is_photo_credit(line: str) -> bool:
    """A line that only credits or captions a photo (see _PHOTO_CREDIT)."""
    return bool(_PHOTO_CREDIT.search(line))


_CAPTION_LINE = re.compile(r"^\s*[*※]?\s*사진\s*설명\s*[:：]\s*(?P<caption>\S.*)$")


def attach_caption_lines(lines: list[str], images: list[Image]) -> list[str]:
    """`*사진설명 : …` lines of a government release (the photo sits apart from the text) become the
    captions of the images still without one, in order; the lines leave the body."""
    rest: list[str] = []
    waiting = [image for image in images if not image.caption]
    for line in lines:
        match = _CAPTION_LINE.match(line)
        if not match:
            rest.append(line)
        elif waiting:
            waiting.pop(0).caption = match.group("caption").strip()
    return rest


def _text_after(img: HtmlElement) -> str:
    """Bare text right after the image in its block (`<img><br>(사진제공=…)`), up to the next block."""
    parts = [img.tail or ""]
    sibling = img.getnext()
    while sibling is not None:
        if isinstance(sibling.tag, str) and sibling.tag != "br":
            if sibling.tag not in _INLINE_TAGS:
                break
            parts.append(sibling.text_content() or "")
        parts.append(sibling.tail or "")
        sibling = sibling.getnext()
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


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
    """The caption text and the element holding it (figure/photo box), searching up to 3 ancestors.

    A photo box with no text of its own (`div.img-box > img` beside `div.caption`) passes the search on
    to the box around it."""
    node = img
    box: HtmlElement | None = None
    for _ in range(3):
        parent = node.getparent()
        if parent is None or parent is container:
            break
        node = parent
        attrs = f"{node.get('class', '')} {node.get('id', '')}"
        if node.tag == "figure" or _BOX_ATTR.search(attrs):
            box = box if box is not None else node
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
            if text:
                return "", node
    after = _text_after(img)
    if after and len(after) < 300 and (is_photo_credit(after) or after.startswith("▲")):
        return after, None
    return "", box


def _teaser(img: HtmlElement) -> bool:
    """An image inside a link to another page (related-article thumbnails), not to the picture itself."""
    for link in img.iterancestors("a"):
        href = (link.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:")) and not _IMAGE_EXT.search(href):
            return True
    return False


def images_of(doc: HtmlElement, container: HtmlElement | None, base_url: str) -> tuple[list[Image], set[str]]:
    """Images in the article container with captions, else og:image; plus the caption lines."""
    images: list[Image] = []
    captions: set[str] = set()
    seen: set[str] = set()
    if container is not None:
        for img in container.iter("img"):
            src = img.get("data-src") or img.get("data-original") or img.get("src") or ""
            if not src or src.startswith("data:") or _NOT_PHOTO.search(src) or _teaser(img):
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
