# ruff: noqa: E501 - Korean prose and html templates: full-width text would wrap mid-sentence
"""korea.kr press-release view page, its document-viewer skin and result (.view.xhtml), and the error page."""

from __future__ import annotations

from datetime import date
from html import escape

from newsarchive.demo.site.content_korea_kr import DEPTS, Release
from newsarchive.demo.site.expected import kst

BASE = "https://www.korea.kr"
WEEKDAYS = "월화수목금토일"


def view_path(r: Release) -> str:
    return f"/briefing/pressReleaseView.do?newsId={r.id}"


def og_image(r: Release, today: date) -> str:
    return f"{BASE}/newsWeb/resources/attaches/{kst(today, r.days_ago, r.time):%Y.%m/%d}/{r.id:x}0a1b2c.jpg"


def doc_dir(r: Release, today: date) -> str:
    return f"/docViewer/result/{kst(today, r.days_ago, r.time):%Y.%m/%d}/{r.file_id}/"


def skin_path(r: Release, today: date) -> str:
    return f"/docViewer/iframe_skin/doc.html?fn={r.file_id}.hwpx&rs={doc_dir(r, today)}"


def xhtml_path(r: Release, today: date) -> str:
    return f"{doc_dir(r, today)}{r.file_id}.view.xhtml"


def _contact_table(r: Release) -> str:
    dept, person, phone = (escape(x) for x in r.contact)
    return (f'<table class="tb_contact"><tr><th>담당부서</th><td>{dept}</td><th>담당자</th><td>{person}</td>'
            f"<th>전화</th><td>{phone}</td></tr></table>\n")


def _text_blocks(r: Release) -> str:
    lines = [f'<p class="sub_tit">{escape(s)}</p>' for s in r.subtitle]
    lines += [f"<p>{escape(p)}</p>" for p in r.paragraphs]
    lines.append("<p>&lt;끝&gt;</p>")
    return "\n".join(lines) + "\n"


def _chrome_top(title: str) -> str:
    return f"""<header id="header"><div class="header_in">
<h1 class="logo"><a href="/">대한민국 정책브리핑</a></h1>
<nav id="gnb"><ul><li><a href="/news/policyNewsList.do">뉴스</a></li>
<li><a href="/briefing/pressReleaseList.do">브리핑룸</a></li><li><a href="/archive/expDocList.do">정책자료</a></li>
<li><a href="/celebrity/policyQuizList.do">국민이 말하는 정책</a></li></ul></nav></div></header>
<section class="area_contents" id="container"><h2 class="sr-only">콘텐츠 영역</h2>
<div class="article_wrap"><div class="container"><div class="article_body">
<div class="location"><span>홈</span><span>브리핑룸</span><span>{escape(title)}</span></div>
"""


CHROME_BOTTOM = """</div></div></div></section>
<footer id="footer"><p>(30119) 세종특별자치시 갈매로 388 문화체육관광부 국민소통실</p>
<p>정책브리핑의 모든 콘텐츠는 저작권법의 보호를 받은바, 무단 전재, 복사, 배포 등을 금합니다.</p></footer>
</body></html>
"""


def view_html(r: Release, today: date, prev: Release | None, nxt: Release | None) -> str:
    ministry, rep_code = DEPTS[r.dept]
    day = kst(today, r.days_ago, r.time)
    title = escape(r.title)
    lead = escape((r.paragraphs[0] if r.paragraphs else r.title)[:120])
    if r.placeholder:
        view_cont = f"<p>본 자료는 {escape(ministry)}에서 배포한 자료입니다.</p>\n"
    else:
        view_cont = _text_blocks(r) + _contact_table(r)
    frame = ""
    if r.doc_viewer or r.placeholder:
        frame = (f'<div class="docConversion"><iframe id="content_press" name="content_press" '
                 f'src="{escape(skin_path(r, today))}" title="보도자료 본문 바로보기" width="100%" '
                 f'height="800"></iframe></div>\n')
    files = "".join(
        f'<li><span class="ico_{ext}"></span><a href="/common/download.do?fileId={r.file_id + n}&amp;tblKey=GMN">'
        f"(보도자료) {title}.{ext}</a></li>" for n, ext in enumerate(("hwpx", "pdf")))

    def link(label: str, other: Release | None) -> str:
        target = f'<a href="{view_path(other)}">{escape(other.title)}</a>' if other else "<span>없습니다.</span>"
        return f"<li><strong>{label}</strong>{target}</li>"

    return f"""<!DOCTYPE html><html lang="ko"><head>
<title>{title} | 보도자료 | 대한민국 정책브리핑</title>
<meta charset="UTF-8">
<meta name="description" content="{lead}">
<link rel="canonical" href="{BASE}{view_path(r)}">
<meta property="og:image" content="{og_image(r, today)}">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{lead}">
<meta property="og:url" content="{BASE}{view_path(r)}">
<meta name="twitter:card" content="summary_large_image">
<script>function pageLink(n){{document.getElementById('pageIndex').value=n;document.mainForm.submit();}}</script>
</head><body>
{_chrome_top(r.title)}<div class="article_head">
<h2 class="page_title"><strong>{title}</strong></h2>
<div class="info"><span>{day:%Y.%m.%d}</span>
<span><a href="/news/ministryNewsList.do?repCodeType={rep_code[0]}&amp;repCode={rep_code}">{escape(ministry)}</a></span></div>
<div class="sns_share"><button type="button">페이스북</button><button type="button">X</button>
<button type="button">카카오스토리</button><button type="button">URL 복사</button><button type="button">인쇄</button></div>
</div>
<div class="filedown"><strong>첨부파일</strong><ul>{files}</ul></div>
<div class="view_cont">
{view_cont}</div>
{frame}<div class="kogl"><img src="/images/kogl/img_opentype01.png" alt="공공누리 제1유형">
<p>{escape(ministry)}이(가) 창작한 「{title}」 저작물은 "공공누리" 출처표시 조건에 따라 이용할 수 있습니다.</p></div>
<div class="satisfy"><h3>이 자료에 대해 만족하십니까?</h3><ul><li><label><input type="radio" name="sat">매우만족</label></li>
<li><label><input type="radio" name="sat">만족</label></li><li><label><input type="radio" name="sat">보통</label></li>
<li><label><input type="radio" name="sat">불만족</label></li></ul><button type="button">만족도 평가</button></div>
<div class="prev_next"><ul>{link("이전글", prev)}{link("다음글", nxt)}</ul></div>
{CHROME_BOTTOM}"""


def skin_html(r: Release, today: date) -> str:
    return f"""<!DOCTYPE html><html lang="ko"><head><meta charset="UTF-8"><title>문서뷰어</title>
<link rel="stylesheet" href="/docViewer/iframe_skin/css/skin.css"></head>
<body><div id="toolbar"><button type="button">이전</button><span class="page">1 / 1</span>
<button type="button">다음</button><button type="button">확대</button><button type="button">축소</button></div>
<div id="contentWrap"><iframe name="innerWrap" id="innerWrap" src="{xhtml_path(r, today)}" title="문서 내용"
 width="100%" height="100%"></iframe></div></body></html>
"""


def xhtml(r: Release, today: date) -> str:
    """The converted document: a header table with 보도시점 (to the minute), title, subtitle, text, contacts."""
    moment = kst(today, r.days_ago, r.time)
    hold = f"{moment.year}. {moment.month}. {moment.day}.({WEEKDAYS[moment.weekday()]}) {moment:%H:%M}"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ko" lang="ko"><head>
<meta http-equiv="Content-Type" content="application/xhtml+xml; charset=UTF-8"/>
<title>{r.file_id}.hwpx</title><style type="text/css">p {{ margin: 0; line-height: 160%; }}</style></head>
<body><div class="hwp_page" id="page_1">
<table class="tb_head"><tr><td rowspan="2">보도자료</td><td>보도시점</td><td>{hold}</td></tr>
<tr><td>배포</td><td>{moment.year}. {moment.month}. {moment.day}.</td></tr></table>
<p class="title">{escape(r.title)}</p>
{_text_blocks(r)}{_contact_table(r)}</div></body></html>
"""


def error_html() -> str:
    return f"""<!DOCTYPE html><html lang="ko"><head><title>대한민국 정책브리핑</title><meta charset="UTF-8"></head>
<body>
{_chrome_top("오류")}<div class="error_page"><h2>요청하신 페이지를 찾을 수 없습니다.</h2>
<p>삭제되었거나 주소가 잘못 입력되었습니다. 입력하신 주소를 다시 확인해 주세요.</p>
<a href="/">정책브리핑 홈으로</a></div>
{CHROME_BOTTOM}"""


def list_row_html(href: str, title: str, lead: str, day: str, ministry: str) -> str:
    """One row of the press-release list, in the saved page's markup and indentation."""
    return f"""
									<li>
										<a href="{escape(href)}">
											<span class="text">
												<strong style="overflow-wrap: break-word;">{escape(title)}</strong>
												<span class="lead is-truncated" style="overflow-wrap: break-word;">
													{escape(lead)}</span>
												<span class="source">
													<span>{day}</span>
													<span>{escape(ministry)}</span>
												</span>
											</span>
										</a>
									</li>
"""


def paging_html(page: int, last: int) -> str:
    def a(cls: str, n: int, label: str) -> str:
        return (f'<a class="{cls}" href="#pageLink" onclick="pageLink({n}); return false;">'
                f'<span class="sr-only">{label}</span></a>')

    nums = "".join(
        f'<span class="num on"><a href="#pageLink" onclick="return false;" class="on" title="현재페이지">{n}</a></span>'
        if n == page else
        f'<span class="num"><a href="#pageLink" onclick="pageLink({n}); return false;" title="{n}페이지">{n}</a></span>'
        for n in range(1, last + 1))
    return (f'<div class="paging">{a("first", 1, "첫 페이지로 이동")}{a("prev", max(page - 1, 1), "이전페이지로 이동")}'
            f'{nums}{a("next", min(page + 1, last), "다음페이지로 이동")}{a("last", last, "마지막 페이지로 이동")}</div>')
