"""One page → one Article: a pure function of (html, url, source, encoding, fetched_at).

Narrow to the article container (site profile, generic Korean selectors, script payload, scoring),
take subtitles and image captions out, prune the furniture, run trafilatura on what is left, then
drop furniture lines. Metadata comes from meta tags, JSON-LD, payload fields and visible lines."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lxml.html import HtmlElement, document_fromstring, fragment_fromstring

from core.article import Article, NotAnArticle
from core.ministries import find_ministries, resolve_ministry
from core.rejections import Kind
from core.urls import canonical_url
from pipelines.extraction.authors import authors_of, issuing_department
from pipelines.extraction.body import body_lines
from pipelines.extraction.container import find_container
from pipelines.extraction.decode import decode_html
from pipelines.extraction.furniture import link_text_length, loose_classes, prune, select, selector, text_of
from pipelines.extraction.jsonld import news_article
from pipelines.extraction.lines import clean_lines, strip_end_mark
from pipelines.extraction.media import attach_caption_lines, attachments_of, images_of, is_photo_credit
from pipelines.extraction.metadata import language_of, section_of, title_of
from pipelines.extraction.pagedates import page_dates
from pipelines.extraction.profiles import SiteProfile, profile_for
from pipelines.extraction.scriptpayload import Payload, find_payload
from pipelines.extraction.subtitle import (
    decks_before,
    leading_subtitles,
    near_title,
    split_html_lines,
    take_subtitles,
)

MIN_BODY_CHARS = 60
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# An inline image can be megabytes of base64; libxml2 stops at an attribute over 10 MB and drops the rest
# of the page with it. Extraction never needs the image's bytes.
_HUGE_DATA_URI = re.compile(r"data:[^\s\"'<>),]{0,100},[^\s\"'<>)]{4096,}")
_ERROR_PAGE = re.compile(
    r"(?:페이지|기사|게시물)를\s*찾을\s*수\s*없|존재하지\s*않는\s*(?:기사|페이지|게시물)|삭제된\s*(?:기사|게시물)|"
    r"404\s*Not\s*Found|Page\s*Not\s*Found|요청하신\s*페이지|잘못된\s*접근",
    re.I,
)
# the site is down for a while: the article may well be there tomorrow
_UNAVAILABLE = re.compile(r"서비스\s*점검|시스템\s*점검|점검\s*중입니다|일시적(?:인|으로)?\s*(?:오류|장애)", re.I)
_LIST_URL = re.compile(r"List\.do|/list\b|list\.(?:php|asp|html?)|subsection|/section/|boardList", re.I)
_PLACEHOLDER = re.compile(r"본\s*자료는.{0,40}배포한\s*자료입니다")
_HEADER_CLASSES = (
    "article_head",
    "article-head",
    "news_head",
    "view_head",
    "view_top",
    "art_header",
    "info_group",
    "registration",
    "news_date",
    "article_info",
    "byline",
    "info-text",
    "media_end_head_info",
    "view_titlebox",
    "board_view_head",
    "date",
    "writer",
)


def _document(html: bytes | str, encoding: str | None) -> tuple[HtmlElement, str]:
    text = decode_html(html, encoding)[0] if isinstance(html, bytes) else html
    text = _XML_DECL.sub("", text)
    text = _HUGE_DATA_URI.sub("data:,", text)
    if not text.strip():
        raise NotAnArticle(Kind.EMPTY_PAGE)
    try:
        return document_fromstring(text), text
    except Exception as exc:  # lxml raises ParserError/ValueError on unusable input
        raise NotAnArticle(Kind.UNPARSEABLE) from exc


def _header_text(doc: HtmlElement, profile: SiteProfile | None, markup: str) -> str:
    """Text of the article header blocks, where 입력/수정 and reporter lines live."""
    found = select(doc, profile.header, markup) if profile and profile.header else []
    found += loose_classes(doc, _HEADER_CLASSES, markup)
    texts: list[str] = []
    for el in found:
        texts.append(text_of(el))
        if sum(len(t) for t in texts) > 3000:
            break
    return " ".join(texts)


def _lead_text(page_text: str, container_text: str | None) -> str:
    """The page text just before the article body (`container_text`, None without a container): headline,
    입력 line, reporter line."""
    if container_text is None:
        return ""
    start = container_text[:40]
    at = page_text.find(start) if start else -1
    return page_text[max(0, at - 1200) : at] if at > 0 else ""


def _viewer_frame(doc: HtmlElement, container: HtmlElement | None) -> HtmlElement | None:
    """The inlined document-viewer frame when the container holds only the placeholder sentence."""
    frames = selector("[data-newsarchive-frame]")(doc)
    if not frames:
        return None
    own = text_of(container) if container is not None else ""
    for frame in frames:
        own = own.replace(text_of(frame), "")
    if container is None or len(own) < 200 or _PLACEHOLDER.search(own):
        first: HtmlElement = frames[0]
        return first
    return None


def _only_placeholder(doc: HtmlElement, profile: SiteProfile) -> bool:
    """The profile's body box says only "본 자료는 ○○부에서 배포한 자료입니다." (the text is in a viewer)."""
    for css in profile.container:
        boxes = list(selector(css)(doc))
        if boxes:
            text = text_of(boxes[0])
            return bool(_PLACEHOLDER.search(text)) and len(re.sub(r"\W", "", _PLACEHOLDER.sub("", text))) < 10
    return False


def _framed_container(doc: HtmlElement, container: HtmlElement | None, profile: SiteProfile) -> HtmlElement | None:
    """For a site whose body may be a placeholder beside a document viewer: the viewer's inlined text
    when the page has it. A page showing only the placeholder, with no viewer text inlined (the viewer
    failed, hung or came back empty), is not stored: the next crawl fetches it again."""
    frame = _viewer_frame(doc, container)
    if frame is not None:
        container = frame
    if _only_placeholder(doc, profile) and (frame is None or len(re.sub(r"\s", "", text_of(frame))) < MIN_BODY_CHARS):
        raise NotAnArticle(Kind.PLACEHOLDER_ONLY)
    return container


def _payload_container(scripts: list[str]) -> tuple[HtmlElement | None, Payload | None]:
    payload = find_payload(scripts)
    if payload is None:
        return None, None
    return fragment_fromstring(payload.html, create_parent="div"), payload


def _page_ministries(doc: HtmlElement, profile: SiteProfile | None) -> list[str]:
    if profile is None:
        return []
    found: list[str] = []
    for css in profile.ministry:
        for el in selector(css)(doc):
            name = text_of(el)
            official = resolve_ministry(name) or next(iter(find_ministries(name)), None)
            if official:
                found.append(official)
    return found


def _issuer(doc: HtmlElement, profile: SiteProfile | None, page_ministries: list[str]) -> str:
    """`<ministry> <담당 부서>` on press-release sites (see authors.py); "" elsewhere."""
    if profile is None or not profile.department:
        return ""
    own = resolve_ministry(profile.site_names[0]) if profile.site_names else None
    return issuing_department(doc, profile, next(iter(page_ministries), own or ""))


def extract(
    html: bytes | str,
    url: str,
    *,
    source: str = "",
    encoding: str | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """Extract the article on a page; raises NotAnArticle(reason) for anything that is not one."""
    doc, markup = _document(html, encoding)
    profile = profile_for(url)
    ld = news_article(doc)
    scripts = [s.text for s in doc.iter("script") if s.text and len(s.text) > 400]
    for el in doc.iter("script", "style", "noscript"):
        el.text = ""
    body_el = doc.find("body")
    page_text = text_of(body_el) if body_el is not None else ""
    header_text = _header_text(doc, profile, markup)

    container = find_container(doc, profile, markup)
    if profile is not None and profile.placeholder_frame:
        container = _framed_container(doc, container, profile)
    payload: Payload | None = None
    container_text = text_of(container) if container is not None else None
    if container_text is None or len(container_text) < 200:
        scripted, payload = _payload_container(scripts)
        if scripted is not None:
            container, container_text = scripted, text_of(scripted)
    # nothing changes the container from here to _reject: its text is taken once
    header_text += " " + _lead_text(page_text, container_text) + " " + (container_text or "")[:300]
    title = title_of(doc, url, profile, ld, payload.fields.get("title", "") if payload else "", markup)
    _reject(container, container_text or "", url, title, page_text)
    assert container is not None

    subtitles = decks_before(doc, container, profile.deck, markup) if profile else []
    # a script payload's markup was unescaped from the page's: its class names need not be there verbatim
    subtitles += [d for d in take_subtitles(container, profile.subtitle if profile else (),
                                            markup if payload is None else None) if d not in subtitles]
    if payload and (payload.fields.get("subTitle") or payload.fields.get("subtitle")):
        subtitles = split_html_lines(payload.fields.get("subTitle") or payload.fields.get("subtitle", ""))
    images, captions = images_of(doc, container, url)
    had_photo = container.find(".//img") is not None
    attachments = attachments_of(doc, url)  # before pruning: file boxes can sit inside the container
    # before pruning: the reporter's signature and the 담당 부서 row can sit inside the container
    closing_text = text_of(container)[-1500:]
    page_ministries = _page_ministries(doc, profile)
    department = _issuer(doc, profile, page_ministries)
    prune(container, profile.remove if profile else ())
    lines = attach_caption_lines(body_lines(container), images)
    while lines and title and lines[0].strip() == title:
        lines = lines[1:]
    # a photo credit is a caption: never a subtitle, never a body line
    lines = [line for line in lines if line not in captions and not is_photo_credit(line)]
    leading, lines = leading_subtitles(lines)
    subtitles += [d for d in (*near_title(doc, title), *leading) if d not in subtitles]
    subtitles = [d for d in subtitles if d not in captions and not is_photo_credit(d)]
    lines = [line for line in lines if line not in subtitles]
    lines = clean_lines(lines, captions)
    lines = [strip_end_mark(line) for line in lines]
    body = "\n".join(line for line in lines if line)
    if len(re.sub(r"\s", "", body)) < MIN_BODY_CHARS:
        raise NotAnArticle(Kind.PHOTO_ONLY if had_photo else Kind.NO_BODY)

    subtitle = "\n".join(subtitles)
    published, modified = page_dates(doc, header_text, page_text, ld, payload.fields if payload else {}, markup)
    ministries = list(dict.fromkeys([*page_ministries, *find_ministries(title, subtitle, body)]))
    authors = authors_of(
        doc, ld, header_text, payload.writers if payload else [], markup, profile, closing_text
    )
    if not authors and department:
        authors = [department]
    return Article(
        url=url,
        canonical_url=canonical_url(url),
        source=source,
        title=title,
        subtitle=subtitle,
        body=body,
        published_at=published,
        modified_at=modified,
        authors=authors,
        section=section_of(doc, profile, ld, payload.fields.get("sectionName", "") if payload else "", markup),
        images=images,
        language=language_of(doc, body),
        ministries=ministries,
        attachments=attachments,
        fetched_at=fetched_at or datetime.now(UTC),
    )


def _reject(container: HtmlElement | None, container_text: str, url: str, title: str, page_text: str) -> None:
    if len(container_text) < 300:
        for pattern, kind in ((_UNAVAILABLE, Kind.UNAVAILABLE), (_ERROR_PAGE, Kind.ERROR_PAGE)):
            if pattern.search(title) or pattern.search(page_text[:3000]):
                raise NotAnArticle(kind)
    if _LIST_URL.search(url) and not re.search(r"View|view|idxno|newsId=|/article/|/news/view/", url):
        raise NotAnArticle(Kind.LIST_PAGE)
    if container is None:
        raise NotAnArticle(Kind.NO_BODY)
    if container_text and link_text_length(container) > 0.6 * len(container_text):
        raise NotAnArticle(Kind.LIST_PAGE)
