"""Local copy of www.etoday.co.kr and rss.etoday.co.kr built from content_etoday.STORIES.

Pages: `/rss/news_sitemap` (Google-News urlset, last 3 days), `rss.etoday.co.kr/eto/etoday_news_all.xml` and
the section feeds (market, finance, economy, company), section lists
`/news/section/subsection?MID=…&page=N` (PAGE_SIZE items, then one empty page), and `/news/view/{id}`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from email.utils import format_datetime
from html import escape

from newsarchive.demo.site.content_etoday import STORIES, Story
from newsarchive.demo.site.etoday_article import BASE, article_html, image_url, not_found_html, thumb_url
from newsarchive.demo.site.expected import ExpectedArticle, kst
from newsarchive.demo.site.resources import Resource

WWW = "www.etoday.co.kr"
RSS = "rss.etoday.co.kr"
PAGE_SIZE = 6
FEEDS = {"all": "etoday_news_all.xml", "market": "market_news.xml", "finance": "finance_news.xml",
         "economy": "economy_news.xml", "company": "company_news.xml"}
FEED_TITLES = {"all": "전체기사", "market": "증권", "finance": "금융", "economy": "경제", "company": "기업"}
SECTION_MIDS = (1100, 1200, 1202, 1206, 1302, 1391, 1603)  # 1200 lists everything; 1202/1603 are empty
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"


def _newest_first(stories: tuple[Story, ...] | list[Story]) -> list[Story]:
    return sorted(stories, key=lambda s: (-s.days_ago, s.time, s.id), reverse=True)


def _url(story: Story, where: str) -> str:
    """The URL under which `story` is listed in `where` (sitemap, feed:<name>, list:<MID>)."""
    url = f"{BASE}/news/view/{story.id}"
    if "tracking" not in story.extras:
        return url
    if where == "feed:all":
        return url + "?utm_source=rss&utm_medium=etoday_news_all&utm_campaign=news"
    if where == "list:1200":
        return url + "?Utm_Source=Naver&UTM_Medium=Referral#comment_area"
    return url


def _sitemap(today: date) -> str:
    rows = []
    for s in _newest_first([s for s in STORIES if s.in_sitemap and s.days_ago <= 2]):
        image = (f"<image:image><image:loc>{image_url(s, today)}</image:loc></image:image>"
                 if s.caption else "")
        rows.append(
            f"<url><loc>{escape(_url(s, 'sitemap'))}</loc><news:news><news:publication>"
            f"<news:name>이투데이</news:name><news:language>ko</news:language></news:publication>"
            f"<news:publication_date>{kst(today, s.days_ago, s.time).isoformat()}</news:publication_date>"
            f"<news:title>{escape(s.title)}</news:title></news:news>{image}</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n'
            + "\n".join(rows) + "\n</urlset>\n")


def _feed(name: str, today: date) -> str:
    items = []
    for s in _newest_first([s for s in STORIES if name in s.feeds]):
        lede = s.paragraphs[0] if s.paragraphs else s.title
        # One feed item carries the broken single-slash image URL seen in the real feeds.
        thumb = thumb_url(s).replace("https://", "https:/") if s.id == 2572301 else thumb_url(s)
        creator = f"<dc:creator>{escape(s.reporter)} 기자</dc:creator>" if s.reporter else ""
        items.append(
            f"<item><title><![CDATA[{s.title}]]></title><link>{escape(_url(s, 'feed:' + name))}</link>"
            f"<description><![CDATA[<img src=\"{thumb}\" /> {lede}]]></description>{creator}"
            f"<pubDate>{format_datetime(kst(today, s.days_ago, s.time))}</pubDate>"
            f"<guid isPermaLink=\"false\">etoday-{s.id}</guid></item>")
    built = format_datetime(kst(today, 0, "12:00"))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
            f"<title>이투데이 - {FEED_TITLES[name]}</title><link>{BASE}</link>"
            f"<description>이투데이 {FEED_TITLES[name]} 뉴스</description><language>ko</language>"
            f"<lastBuildDate>{built}</lastBuildDate>\n" + "\n".join(items) + "\n</channel>\n</rss>\n")


def _list_item(s: Story, mid: int, today: date) -> str:
    href = _url(s, f"list:{mid}").removeprefix(BASE) if "tracking" not in s.extras else _url(s, f"list:{mid}")
    lede = escape(s.paragraphs[0][:60] + "…") if s.paragraphs else ""
    return (f'<li class="sp_newslist"><a href="{escape(href)}">\n'
            f'  <div class="cluster_thumb_link21"><img src="{thumb_url(s)}" alt=""></div>\n'
            f'  <div class="cluster_text">\n'
            f'  <div class="cluster_text_headline21 t_reduce">{escape(s.title)}</div>\n'
            f'  <div class="cluster_text_lede21">{lede}</div>\n'
            f'  <div class="cluster_text_press21">{kst(today, s.days_ago, s.time):%Y-%m-%d %H:%M}</div>\n'
            f"  </div>\n"
            f"</a></li>")


def _list_page(mid: int, page: int, stories: list[Story], today: date) -> str:
    items = "\n".join(_list_item(s, mid, today) for s in stories)
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>이투데이 - 뉴스 섹션</title></head>
<body><div id="wrap">
<header class="header"><h1 class="logo"><a href="/">이투데이</a></h1></header>
<div class="section_wrap"><h2 class="section_title">MID {mid}</h2>
<ul id="list_W">
{items}
</ul>
<div class="paging"><a href="/news/section/subsection?MID={mid}&amp;page={max(page - 1, 1)}">이전</a>
<strong>{page}</strong><a href="/news/section/subsection?MID={mid}&amp;page={page + 1}">다음</a></div>
</div>
<footer class="footer"><p>Copyright ⓒ 이투데이. All rights reserved.</p></footer>
</div></body></html>
"""


def _sections(today: date) -> Iterator[tuple[str, str]]:
    for mid in SECTION_MIDS:
        listed = _newest_first([s for s in STORIES if s.in_section_list and (mid == 1200 or s.mid == mid)])
        chunks = [listed[i:i + PAGE_SIZE] for i in range(0, len(listed), PAGE_SIZE)] + [[]]
        for page, chunk in enumerate(chunks, 1):
            html = _list_page(mid, page, chunk, today)
            yield f"/news/section/subsection?MID={mid}&page={page}", html
            if page == 1:
                yield f"/news/section/subsection?MID={mid}", html


def _article(story: Story, today: date) -> Resource:
    others = [o for o in _newest_first(STORIES) if o.id != story.id and o.kind == "article"]
    if story.kind == "not_found":
        return Resource(not_found_html(story).encode(), HTML)
    if story.charset == "euc-kr":
        return Resource(article_html(story, today, others, "euc-kr").encode("euc_kr"),
                        "text/html; charset=EUC-KR")
    if story.charset == "utf-8-declared-euc-kr":
        return Resource(article_html(story, today, others, "euc-kr").encode(), "text/html")
    return Resource(article_html(story, today, others).encode(), HTML)


def build_etoday(today: date) -> dict[str, dict[str, Resource]]:
    www: dict[str, Resource] = {
        "/rss/news_sitemap": Resource(_sitemap(today).encode(), XML),
        "/robots.txt": Resource(b"User-agent: *\nDisallow: /admin/\n\n"
                                b"Sitemap: https://www.etoday.co.kr/rss/news_sitemap\n", "text/plain"),
    }
    for key, html in _sections(today):
        www[key] = Resource(html.encode(), HTML)
    for story in STORIES:
        www[f"/news/view/{story.id}"] = _article(story, today)
    rss = {f"/eto/{file}": Resource(_feed(name, today).encode(), "text/xml; charset=utf-8")
           for name, file in FEEDS.items()}
    return {WWW: www, RSS: rss}


def _listed_as(story: Story) -> tuple[str, ...]:
    wheres = [f"feed:{n}" for n in story.feeds]
    wheres += ["sitemap"] if story.in_sitemap and story.days_ago <= 2 else []
    wheres += ["list:1200", f"list:{story.mid}"] if story.in_section_list else []
    return tuple(dict.fromkeys(_url(story, w) for w in wheres))


def expected_etoday(today: date) -> tuple[ExpectedArticle, ...]:
    out = []
    for s in _newest_first(STORIES):
        served, declared = {"euc-kr": ("euc-kr", "euc-kr"), "utf-8-declared-euc-kr": ("utf-8", "euc-kr")}.get(
            s.charset, ("utf-8", "utf-8"))
        out.append(ExpectedArticle(
            source="etoday", url=f"{BASE}/news/view/{s.id}", title=s.title,
            published=kst(today, s.days_ago, s.time), kind=s.kind,
            modified=kst(today, s.days_ago, s.modified) if s.modified else None,
            ministries=s.ministries, authors=(s.reporter,) if s.reporter else (),
            subtitle="\n".join(s.subtitle), body=s.paragraphs,
            duplicate_of=f"{BASE}/news/view/{s.duplicate_of}" if s.duplicate_of else None,
            listed_as=_listed_as(s), served_charset=served, declared_charset=declared,
            images=((image_url(s, today), s.caption),) if s.caption else (), section=s.section[0],
            extras=s.extras))
    return tuple(out)
