"""HTML/RSS for the msit.go.kr and www.mois.go.kr test sites, shaped after SITES.md §3–4: board list pages
with pageIndex paging (msit rows open articles through `fn_detail(id)`), view pages with attachments
(msit through `getExtension_path(…)`), and the mois RSS feed."""

from __future__ import annotations

from datetime import date
from email.utils import format_datetime
from html import escape

from newsarchive.demo.site_ministries.content import Release

MSIT_BOARD = "sCode=user&mId=307&mPid=208&bbsSeqNo=94"
MOIS_BOARD = "bbsId=BBSMSTR_000000000008"
PER_PAGE = 3

_FURNITURE = """
<div class="satisfaction"><h3>이 페이지에서 제공하는 정보에 대하여 만족하십니까?</h3>
 <label><input type="radio" name="s" value="5"> 매우만족</label> <button type="button">평가하기</button></div>
<div class="kogl"><img src="/images/kogl_type1.png" alt="공공누리 제1유형">
 공공누리 출처표시 조건에 따라 이용할 수 있습니다.</div>
"""


def _page(title: str, site: str, content: str) -> str:
    return (f'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
            f'<title>{escape(title)} | {site}</title><meta property="og:title" content="{escape(title)}">'
            f'<meta property="og:site_name" content="{site}"></head><body><div id="header">'
            f'<h1 class="logo"><a href="/"><img src="/images/logo.png" alt="{site}"></a></h1>'
            f'<ul class="gnb"><li><a href="/">알림·소식</a></li><li><a href="/">정책·정보</a></li></ul></div>'
            f'<div id="contents">{content}</div><div id="footer">'
            f'<p>Copyright ⓒ {site}. All rights reserved.</p></div></body></html>')


def _body(release: Release) -> str:
    sub = f'<p class="sub_title">{escape(release.subtitle)}</p>' if release.subtitle else ""
    paras = "".join(f"<p>□ {escape(p)}</p>" for p in release.paragraphs)
    return (f'<div class="view_cont">{sub}{paras}<p>&lt;끝&gt;</p>'
            f'<table class="charge"><tr><th>담당 부서</th><td>{escape(release.department)}</td>'
            f'<th>책임자</th><td>과장 홍길동 (044-202-0000)</td></tr></table></div>')


def _nav(prev: str, nxt: str) -> str:
    return (f'<ul class="view_nav"><li>이전글 <a href="#">{escape(prev)}</a></li>'
            f'<li>다음글 <a href="#">{escape(nxt)}</a></li></ul>')


# --- msit ------------------------------------------------------------------------------------------

def msit_list(releases: list[Release], today: date, page: int) -> str:
    rows = []
    for i, r in enumerate(releases[(page - 1) * PER_PAGE: page * PER_PAGE]):
        rows.append(
            f'<div class="toggle"><dl><dt class="blind">번호</dt><dd class="num">{r.post_id - 3180000}</dd>'
            f'<dt class="blind">제목</dt><dd class="title"><a href="#view" class="nttInfoBtn" '
            f'onclick="fn_detail({r.post_id}); return false;"><p class="title">{escape(r.title)}</p></a></dd>'
            f'<dt class="blind">담당부서</dt><dd id="td_CHRG_DEPT_NM_{i}">{escape(r.department)}</dd>'
            f'<dt class="blind">등록일</dt><dd class="date" id="td_CREAT_DT_{i}">'
            f'{r.published(today):%Y-%m-%d}</dd></dl></div>')
    pager = "".join(f'<a href="#" onclick="fn_pageIndex({n}); return false;">{n}</a>'
                    for n in range(1, (len(releases) + PER_PAGE - 1) // PER_PAGE + 1))
    return _page("보도자료", "과학기술정보통신부",
                 f'<h2>보도자료</h2><form id="boardForm" action="/bbs/list.do"><input type="hidden" '
                 f'name="pageIndex" value="{page}"></form><div class="board_list">{"".join(rows)}</div>'
                 f'<div class="paging">{pager}</div>')


def msit_view(release: Release, today: date) -> str:
    files = "".join(
        f'<li><span class="name">{escape(name)}</span> '
        f'<a href="#none" class="view" title="새창 열림" '
        f"onclick=\"getExtension_path('{key}','{n}'); return false;\">바로보기</a></li>"
        for n, (name, key) in enumerate(release.files, start=1))
    head = (f'<div class="view_head"><h2 class="title">{escape(release.title)}</h2><dl class="info">'
            f'<dt>담당부서</dt><dd>{escape(release.department)}</dd><dt>등록일</dt>'
            f'<dd>{release.published(today):%Y-%m-%d %H:%M}</dd><dt>조회수</dt><dd>1024</dd></dl></div>')
    return _page(release.title, "과학기술정보통신부",
                 f'<div class="board_view">{head}<div class="view_file"><dl><dt>첨부파일</dt><dd><ul>{files}'
                 f'</ul></dd></dl></div>{_body(release)}</div>'
                 f'{_nav("이전 보도자료 제목", "다음 보도자료 제목")}{_FURNITURE}')


# --- mois ------------------------------------------------------------------------------------------

def mois_article_path(release: Release) -> str:
    return f"/frt/bbs/type010/commonSelectBoardArticle.do?{MOIS_BOARD}&nttId={release.post_id}"


def mois_list(releases: list[Release], today: date, page: int) -> str:
    rows = "".join(
        f'<tr><td>{r.post_id - 126000}</td><td class="l"><a href="/frt/bbs/type010/'
        f'commonSelectBoardArticle.do;jsessionid=Xk2mPq9.node10?{MOIS_BOARD}&amp;nttId={r.post_id}">'
        f'{escape(r.title)}</a></td>'
        f'<td>{escape(r.department)}</td><td>{r.published(today):%Y.%m.%d.}</td><td>87</td></tr>'
        for r in releases[(page - 1) * PER_PAGE: page * PER_PAGE])
    return _page("보도자료", "행정안전부",
                 '<h3>보도자료</h3><div class="table_wrap"><table class="table_list"><thead><tr><th>번호</th>'
                 '<th>제목</th><th>담당부서</th><th>등록일</th><th>조회수</th></tr></thead>'
                 f'<tbody>{rows}</tbody></table></div>')


def mois_view(release: Release, today: date) -> str:
    files = "".join(
        f'<li><a href="/cmm/fms/FileDown.do?atchFileId={key}&amp;fileSn={n}">{escape(name)}</a> '
        f'<a href="#" class="btn_preview">미리보기</a></li>'
        for n, (name, key) in enumerate(release.files))
    head = (f'<div class="view_head"><h4 class="subject">{escape(release.title)}</h4><ul class="info">'
            f'<li>담당부서 {escape(release.department)}</li>'
            f'<li>등록일 {release.published(today):%Y.%m.%d %H:%M}</li><li>조회수 87</li></ul></div>')
    return _page(release.title, "행정안전부",
                 f'<div class="board_view">{head}<div class="fileList"><strong>첨부파일</strong>'
                 f'<ul>{files}</ul></div>{_body(release)}</div>'
                 f'{_nav("이전 보도자료", "다음 보도자료")}{_FURNITURE}')


def mois_rss(releases: list[Release], today: date) -> str:
    items = "".join(
        f"<item><title><![CDATA[{r.title}]]></title>"
        f"<link><![CDATA[https://www.mois.go.kr{mois_article_path(r)}]]></link>"
        f"<description><![CDATA[{r.paragraphs[0]}]]></description>"
        f"<pubDate>{format_datetime(r.published(today)).upper().replace('+0900', 'KST')}</pubDate>"
        f"<author>{escape(r.department)}</author></item>"
        for r in releases)
    return ('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>보도자료</title>'
            f'<link>https://www.mois.go.kr</link><language>ko</language>{items}</channel></rss>')
