# ruff: noqa: E501 - Korean prose and html templates: full-width text would wrap mid-sentence
"""The 이투데이 article page: chrome in the order of SITES.md (header, headline, 입력/수정, reporter, share
and font widgets before the body, subtitle, div.articleView, tags, 관련 뉴스, reactions, 주요뉴스, 댓글,
e스튜디오, 많이 본 뉴스, 실시간 암호화폐 시세, 오늘의 상승종목, footer)."""

from __future__ import annotations

from datetime import date
from html import escape

from newsarchive.demo.site.content_etoday import Story
from newsarchive.demo.site.expected import kst

BASE = "https://www.etoday.co.kr"
COPYRIGHT = "<저작권자 ⓒ 이투데이, 무단전재 및 재배포 금지>"


def image_url(story: Story, today: date) -> str:
    moment = kst(today, story.days_ago, story.time)
    return (f"https://img.etoday.co.kr/pto_db/{moment:%Y/%m}/600/"
            f"{moment:%Y%m%d%H%M}00_{story.id - 280000}_600_400.jpg")


def thumb_url(story: Story) -> str:
    return f"https://img.etoday.co.kr/crop/200/120/{story.id - 280000}.jpg"


def _head(story: Story, today: date, charset: str) -> str:
    published = kst(today, story.days_ago, story.time)
    modified = kst(today, story.days_ago, story.modified) if story.modified else published
    title = escape(story.title)
    lede = escape(story.paragraphs[0][:80] if story.paragraphs else story.title)
    image = escape(image_url(story, today)) if story.caption else "https://www.etoday.co.kr/images/etoday_og.png"
    return f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - 이투데이</title>
<meta name="description" content="{lede}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="이투데이">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{BASE}/news/view/{story.id}">
<meta property="og:image" content="{image}">
<meta property="og:description" content="{lede}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:image" content="{image}">
<meta property="article:published_time" content="{published.isoformat()}">
<meta property="article:modified_time" content="{modified.isoformat()}">
<meta property="article:section" content="{escape(story.section[0])}">
<link rel="canonical" href="{BASE}/news/view/{story.id}">
<link rel="stylesheet" href="/css/news_view.css?v=20260101">
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>window.googletag = window.googletag || {{cmd: []}};</script>
<style>.articleView p {{ margin: 0 0 1.2em; }}</style>
</head>
"""


def _header(story: Story) -> str:
    return f"""<body>
<div id="wrap">
<header class="header">
  <h1 class="logo"><a href="/">이투데이</a></h1>
  <nav class="gnb"><ul>
    <li><a href="/news/section/subsection?MID=1200">경제</a></li>
    <li><a href="/news/section/subsection?MID=1206">증권·금융</a></li>
    <li><a href="/news/section/subsection?MID=1302">기업</a></li>
    <li><a href="/news/section/subsection?MID=1100">정치·사회</a></li>
    <li><a href="/news/section/subsection?MID=1603">글로벌경제</a></li>
  </ul></nav>
</header>
<div class="section_path"><a href="/news/section/subsection?MID={story.mid}">{escape(story.section[0])}</a>
  <a href="/news/section/subsection?MID={story.mid}">{escape(story.section[1])}</a></div>
"""


def _view_header(story: Story, today: date) -> str:
    published = kst(today, story.days_ago, story.time)
    lines = [f"<span>입력 {published:%Y-%m-%d %H:%M}</span>"]
    if story.modified:
        lines.append(f"<span>수정 {kst(today, story.days_ago, story.modified):%Y-%m-%d %H:%M}</span>")
    reporter = ""
    if story.reporter:
        reporter = (f'<div class="reporter_info"><span class="name">{escape(story.reporter)} 기자</span>\n'
                    f'  <a class="email" href="mailto:{story.email}">{story.email}</a></div>')
    subtitle = "".join(f"<h2>{escape(line)}</h2>" for line in story.subtitle)
    return f"""<div class="view_wrap">
<div class="view_header">
  <h1 class="main_title">{escape(story.title)}</h1>
  <div class="newsinfo">{"".join(lines)}</div>
  {reporter}
  <div class="ico_share"><a href="#" class="url_copy">URL공유</a><a href="#" class="kakao">카카오톡</a>
    <a href="#" class="facebook">페이스북</a><a href="#" class="x">X(트위터)</a></div>
  <div class="font_size"><button type="button">가장작게</button><button type="button">작게</button>
    <button type="button">기본</button><button type="button">크게</button><button type="button">가장크게</button></div>
</div>
<div class="subview_title">{subtitle}</div>
"""


def _photo(story: Story, today: date) -> str:
    if not story.caption:
        return ""
    return (f'<div class="img_box_C"><img src="{image_url(story, today)}" alt="{escape(story.title)}">'
            f'<p class="img_caption">{escape(story.caption)}</p></div>\n')


TICKER = """<div class="stock_ticker"><table class="tb_stock"><caption>실시간 시세</caption>
<thead><tr><th>지수</th><th>현재가</th><th>등락</th></tr></thead>
<tbody><tr><td>코스피</td><td>2,893.11</td><td>▲12.40 (+0.43%)</td></tr>
<tr><td>코스닥</td><td>874.52</td><td>▼3.18 (-0.36%)</td></tr>
<tr><td>원/달러</td><td>1,443.20</td><td>▲5.70 (+0.40%)</td></tr></tbody></table></div>
"""
RELATED_LINKS = """<p>[관련기사]<br>
▶ <a href="/news/view/2569001">원·달러 환율 1440원 돌파…15년 만에 최고 수준</a><br>
▶ <a href="/news/view/2568775">외환보유액 4100억 달러 회복…한 달 만에 증가 전환</a></p>
"""


def _tags_related_reactions(story: Story, others: list[Story]) -> str:
    tags = "".join(f'<a href="/search/?keyword={escape(t)}">#{escape(t)}</a> ' for t in story.hashtags)
    related = "".join(f'<li><a href="/news/view/{o.id}">{escape(o.title)}</a></li>' for o in others[:3])
    return f"""<div class="kwd_tags">{tags}</div>
<div class="relation_newslist"><h3>관련 뉴스</h3><ul>{related}</ul></div>
<div class="recommend_btn"><button type="button">좋아요<span>0</span></button>
  <button type="button">화나요<span>0</span></button><button type="button">슬퍼요<span>0</span></button>
  <button type="button">추가취재 원해요<span>0</span></button></div>
"""


def _body(story: Story, today: date, others: list[Story]) -> str:
    parts = [_photo(story, today)]
    for i, text in enumerate(story.paragraphs):
        parts.append(f"<p>{escape(text)}</p>\n")
        if i == 1:
            parts.append('<div id="div-gpt-ad-1650001234567-0" class="ad_box"><script>googletag.cmd.push('
                         "function() { googletag.display('div-gpt-ad-1650001234567-0'); });</script></div>\n")
        if i == 2 and "ticker" in story.extras:
            parts.append(TICKER)
    if "related_links" in story.extras:
        parts.append(RELATED_LINKS)
    if "copyright_inside" in story.extras:
        parts.append(f"<p>{escape(COPYRIGHT)}</p>\n")
    inside = "furniture_inside" in story.extras
    if inside:
        parts.append(_tags_related_reactions(story, others))
    body = "".join(parts)
    after = "" if inside else _tags_related_reactions(story, others)
    return (f'<div class="articleView" itemprop="articleBody" id="articleBody">\n{body}</div>\n'
            f'<div class="copyright">{escape(COPYRIGHT)}</div>\n{after}</div>\n')


def _after_body(others: list[Story]) -> str:
    major = "".join(f'<li><a href="/news/view/{o.id}">{escape(o.title)}</a></li>' for o in others[:5])
    popular = "".join(f'<li><span class="rank">{n}</span><a href="/news/view/{o.id}">{escape(o.title)}</a></li>'
                      for n, o in enumerate(others[-5:], 1))
    return f"""<div class="maj_list_wrap"><h3>주요뉴스</h3><ul>{major}</ul></div>
<div class="cmt_wrap" id="comment_area"><h3>댓글 <span>0</span> / 300</h3>
  <textarea placeholder="로그인 후 댓글을 남길 수 있습니다."></textarea><button type="button">등록</button></div>
<div class="estudio"><h3>e스튜디오</h3><ul><li><a href="/estudio/1">[영상] 새해 달라지는 금융제도 한눈에</a></li></ul></div>
<aside class="side">
<div class="best_click"><h3>많이 본 뉴스</h3><ol>{popular}</ol></div>
<div class="coin_price"><h3>실시간 암호화폐 시세</h3><table><tr><td>비트코인</td><td>141,200,000</td>
  <td>▲1.20%</td></tr><tr><td>이더리움</td><td>5,120,000</td><td>▲5.10%</td></tr></table></div>
<div class="up_stock"><h3>오늘의 상승종목</h3><ul><li>SK하이닉스 216,000 ▲4.10%</li>
  <li>삼성전자 73,500 ▲2.80%</li></ul></div>
</aside>
<footer class="footer"><p>(주)이투데이 서울특별시 서초구 | 대표전화 02-0000-0000 | 등록번호 서울 아00000</p>
  <p>Copyright ⓒ 이투데이. All rights reserved.</p></footer>
</div>
</body>
</html>
"""


def article_html(story: Story, today: date, others: list[Story], charset: str = "utf-8") -> str:
    """The full article page; `others` feed the 관련/주요/많이 본 뉴스 boxes (their titles name ministries)."""
    return (_head(story, today, charset) + _header(story) + _view_header(story, today)
            + _body(story, today, others) + _after_body(others))


def not_found_html(story: Story) -> str:
    """What the site answers (with 200) for a deleted article: chrome, no headline, no body."""
    return f"""<!DOCTYPE html>
<html lang="ko">
<head><meta charset="utf-8"><title>이투데이</title>
<meta property="og:site_name" content="이투데이"></head>
<body><div id="wrap">
<header class="header"><h1 class="logo"><a href="/">이투데이</a></h1></header>
<div class="error_wrap"><h2>기사를 찾을 수 없습니다.</h2>
<p>요청하신 기사(번호 {story.id})는 삭제되었거나 주소가 변경되었습니다.</p>
<a href="/">이투데이 홈으로</a></div>
<footer class="footer"><p>Copyright ⓒ 이투데이. All rights reserved.</p></footer>
</div></body></html>
"""
