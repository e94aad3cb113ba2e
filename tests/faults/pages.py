# ruff: noqa: E501 - Korean prose
"""The hostile site's pages: fault articles made from the local 이투데이 copy's stories, and its listings
with the fault articles added (and, while faults are on, broken)."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from html import escape

from newsarchive.demo.site.content_etoday import STORIES, Story
from newsarchive.demo.site.etoday import RSS, WWW, build_etoday, expected_etoday
from newsarchive.demo.site.etoday_article import BASE, article_html
from newsarchive.demo.site.expected import default_window, kst
from newsarchive.demo.site.resources import Resource

MOBILE = "m.etoday.co.kr"  # a real-looking second host that a redirect leads to; mirrored to a server of ours
UNMIRRORED = "news.etoday-cdn.co.kr"  # a host a redirect leads to that has no mirror: must be refused
HTML = "text/html; charset=utf-8"
FIRST_ID = 2590001
MIB = 1024 * 1024


@dataclass(frozen=True)
class Fault:
    """An article page at /news/view/{id} that misbehaves. `clears`: served as a plain article once the
    faults are cleared (network faults); content faults (a PDF, a huge title) stay what they are."""

    kind: str
    id: int
    clears: bool = True


# (kind, clears) in id order. A fault's behaviour is in hostile.py (network) or fault_page (content).
KINDS: tuple[tuple[str, bool], ...] = (
    ("plain", False), ("flaky_503", True), ("always_503", True), ("always_500", True), ("not_found_404", True),
    ("retry_after_short", True), ("retry_after_long", True), ("hang", True), ("trickle", True),
    ("truncated", True), ("reset", True), ("gzip_bomb", True), ("redirect_loop", True),
    ("redirect_mobile", False), ("redirect_unmirrored", True), ("redirect_ftp", True), ("redirect_js", True),
    ("redirect_to_article", False), ("wrong_charset", False), ("missing_charset", False), ("nul_bytes", False),
    ("pdf_as_html", False), ("png_as_html", False), ("huge_title", False), ("data_uri_10mb", False),
    ("page_50mb", False), ("tracking_variants", False),
)
FAULTS: tuple[Fault, ...] = tuple(Fault(kind, FIRST_ID + n, clears) for n, (kind, clears) in enumerate(KINDS))
# Too slow to extract for every test crawl (seconds of CPU): bench/faults.py adds it, for peak memory.
TAG_SOUP = Fault("tag_soup_15mb", FIRST_ID + 50, clears=False)
BY_ID = {fault.id: fault for fault in (*FAULTS, TAG_SOUP)}
BY_KIND = {fault.kind: fault for fault in (*FAULTS, TAG_SOUP)}


def article_url(story_id: int) -> str:
    return f"{BASE}/news/view/{story_id}"


def _templates() -> list[Story]:
    return [s for s in STORIES if s.kind == "article" and s.ministries and s.charset == "utf-8"
            and s.duplicate_of is None and len(s.paragraphs) >= 3]


def fault_story(fault: Fault) -> Story:
    """A ministry article of its own (unique title and body) for the fault's page."""
    templates = _templates()
    base = templates[(fault.id - FIRST_ID) % len(templates)]
    n = fault.id - FIRST_ID + 1
    closing = f"관계 부처는 이번 대책의 후속 조치 {n}건을 {n + 2}주 안에 차례로 발표하겠다고 덧붙였다."
    title = f"{base.title} [{n}보]"
    if fault.kind == "huge_title":
        title = ("정부 합동 브리핑 " * 6000)[:34000]  # ~100 KB of UTF-8
    return dataclasses.replace(base, id=fault.id, days_ago=1, time=f"{8 + n % 12:02d}:{(n * 7) % 60:02d}",
                               title=title, paragraphs=(*base.paragraphs, closing), modified=None,
                               feeds=(), in_sitemap=True, in_section_list=False, extras=frozenset(),
                               caption="")


def _html(fault: Fault, today: date, charset: str = "utf-8") -> str:
    return article_html(fault_story(fault), today, [], charset)


def fault_page(fault: Fault, today: date, faults_on: bool) -> Resource:
    """The page as served when no network fault applies (content faults always apply)."""
    kind = fault.kind if not (fault.clears and not faults_on) else "plain"
    if kind == "wrong_charset":
        return Resource(_html(fault, today, "euc-kr").encode("cp949"), "text/html; charset=utf-8")
    if kind == "missing_charset":
        text = _html(fault, today, "euc-kr").replace('<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">', "")
        return Resource(text.encode("cp949"), "text/html")
    if kind == "nul_bytes":
        data = _html(fault, today).encode()
        at = data.index(b"<p>", data.index(b'class="articleView"')) + 3
        return Resource(data[:at] + b"\x00\xff\xfe\x00" + data[at:at + 30] + b"\x00" + data[at + 30:], HTML)
    if kind == "pdf_as_html":
        return Resource(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n" + bytes(range(256)) * 64 + b"\nendstream\n%%EOF\n", HTML)
    if kind == "png_as_html":
        return Resource(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64, HTML)
    if kind == "data_uri_10mb":
        text = _html(fault, today)
        at = text.index('<div class="articleView"')
        image = '<img alt="" src="data:image/png;base64,' + "iVBORw0KGgoAAAANSUhEUg" * (10 * MIB // 22) + '">'
        return Resource((text[:at] + image + text[at:]).encode(), HTML)
    if kind == "tag_soup_15mb":  # some 900,000 elements beside the article: the costliest tree under the size cap
        text = _html(fault, today)
        at = text.index('<div class="articleView"')
        soup = '<div class="aside">' + "<span>가</span>" * (15 * MIB // 17) + "</div>"
        return Resource((text[:at] + soup + text[at:]).encode(), HTML)
    return Resource(_html(fault, today).encode(), HTML)


def redirect_target(fault: Fault, target: str) -> str | None:
    """Location of a redirecting fault; `target` is the request's path?query (for the loop)."""
    return {
        "redirect_loop": f"/news/view/{fault.id}?hop={target.count('hop') + len(target)}",
        "redirect_mobile": f"https://{MOBILE}/news/view/{fault.id}",
        "redirect_unmirrored": f"https://{UNMIRRORED}/news/view/{fault.id}",
        "redirect_ftp": f"ftp://ftp.etoday.co.kr/news/{fault.id}.html",
        "redirect_js": "javascript:location.href='/news/view/1'",
        "redirect_to_article": f"{BASE}/news/view/{BY_KIND['plain'].id}",
    }.get(fault.kind)


@cache
def gzip_bomb(expanded: int = 200 * MIB) -> bytes:
    """A gzip body of a few hundred KB that expands to `expanded` bytes of html, compressed chunk by chunk."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b"<!DOCTYPE html><html><head><title>bomb</title></head><body><p>")]
    chunk = b" " * MIB
    for _ in range(expanded // MIB):
        parts.append(packer.compress(chunk))
    parts.append(packer.compress(b"</p></body></html>"))
    parts.append(packer.flush())
    return b"".join(parts)


def filler(total: int, chunk: int = MIB) -> Iterator[bytes]:
    """`total` bytes of an html page, a chunk at a time (the 50 MB page is never held whole)."""
    head = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>big</title></head><body><p>"
    yield head
    left = total - len(head)
    while left > 0:
        piece = min(chunk, left)
        yield b"x" * piece
        left -= piece


# --- listings ---------------------------------------------------------------------------------------

def _sitemap_row(fault: Fault, today: date, url: str | None = None) -> str:
    story = fault_story(fault)
    return (f"<url><loc>{escape(url or article_url(fault.id))}</loc><news:news><news:publication>"
            f"<news:name>이투데이</news:name><news:language>ko</news:language></news:publication>"
            f"<news:publication_date>{kst(today, story.days_ago, story.time).isoformat()}</news:publication_date>"
            f"<news:title>{escape(story.title[:200])}</news:title></news:news></url>")


def sitemap(original: bytes, today: date, faults: tuple[Fault, ...], faults_on: bool) -> bytes:
    """The site's news sitemap with the fault articles added (the tracking one twice more, with junk
    query strings); while faults are on, an unclosed <b> in the first title, as real feeds have."""
    rows = [_sitemap_row(f, today) for f in faults]
    if "tracking_variants" in {f.kind for f in faults}:
        tracked = BY_KIND["tracking_variants"]
        rows += [_sitemap_row(tracked, today, article_url(tracked.id) + "?utm_source=naver&utm_medium=news"),
                 _sitemap_row(tracked, today, article_url(tracked.id) + "?Utm_Source=daum#comment_area")]
    text = original.decode()
    if faults_on:
        text = text.replace("<news:title>", "<news:title><b>", 1)
    return text.replace("</urlset>", "\n".join(rows) + "\n</urlset>").encode()


def build_pages(today: date, faults: tuple[Fault, ...], faults_on: bool,
                only_sitemap: bool = False) -> dict[str, dict[str, Resource]]:
    """Every host's static pages (the fault articles themselves are answered by the server)."""
    site = build_etoday(today)
    www, rss = dict(site[WWW]), dict(site[RSS])
    www["/rss/news_sitemap"] = Resource(sitemap(www["/rss/news_sitemap"].body, today, faults, faults_on),
                                        "application/xml; charset=utf-8")
    if only_sitemap:  # one listing, in a known order
        rss = {key: Resource(b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "text/xml")
               for key in rss}
        www = {key: res for key, res in www.items() if not key.startswith("/news/section/")}
    elif faults_on:
        feed = rss["/eto/economy_news.xml"]
        rss["/eto/economy_news.xml"] = Resource(feed.body[: len(feed.body) * 3 // 5], feed.content_type)
        for key in [k for k in www if k.startswith("/news/section/subsection?MID=1202")]:
            www[key] = Resource(b"<html><body>Service Unavailable</body></html>", HTML, status=500)
    return {WWW: www, RSS: rss, MOBILE: {}}


def listed_urls(today: date, faults: tuple[Fault, ...], only_sitemap: bool = False) -> set[str]:
    """Canonical URLs of every in-window article the listings name: what a crawl must account for."""
    since, until = default_window(today)
    base = {a.url for a in expected_etoday(today) if a.in_window(since, until)
            and (not only_sitemap or any("/news/view/" in u and "utm" not in u.lower() for u in a.listed_as))}
    if only_sitemap:
        in_sitemap = {article_url(s.id) for s in STORIES if s.in_sitemap and s.days_ago <= 2}
        base &= in_sitemap
    return base | {article_url(f.id) for f in faults}
