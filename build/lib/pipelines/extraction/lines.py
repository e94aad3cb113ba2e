"""Page furniture as line rules, run on the body's lines after trafilatura (the DOM rules that run
before it are in furniture.py): reporter credits, copyright and licence lines, captions, button rows,
and the lines at which the article is over (주요 뉴스, 담당 부서, <끝> …)."""

from __future__ import annotations

import re

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_NAME = r"[가-힣]{2,4}"
_CONTACT = r"\s*[(<\[]?\s*" + _EMAIL + r"\s*[)>\]]?"  # a@b, (a@b), <a@b>
_LINE_RULES = [
    re.compile(r"^\S*\s*" + _EMAIL + r"\s*$"),  # bare e-mail
    re.compile(
        r"^[\[(]?[^\]\n]{0,20}?" + _NAME + r"\s*(?:기자|특파원|선임기자|객원기자|인턴기자|통신원|에디터)"
        r"(?:" + _CONTACT + r")?\s*[\])]?\s*$"
    ),  # 홍길동 기자 a@b, [이투데이/홍길동 기자(a@b)]
    re.compile(_NAME + r"\s*(?:기자|특파원)" + _CONTACT),  # …기자 a@b anywhere
    re.compile(r"저작권자|무단\s*전재|재배포\s*금지|All rights reserved|Copyright\s*[ⓒ©(]|^\s*[ⓒ©]"),
    re.compile(r"공공누리\s*제?\s*[1-4]\s*유형"),  # the licence sentence, wherever it starts
    re.compile(r"^\s*[\[(<]?\s*(?:문의|문의처|자료\s*문의|보도\s*문의)\s*[:：]"),  # 문의 : ○○과(044-…)
    re.compile(
        r"^\s*(?:<|〈|\[)?\s*(?:사진|그래픽|자료|영상|출처|사진제공|사진 제공)\s*[=:제]"
    ),  # 사진=연합뉴스
    re.compile(
        r"^\s*[^\s]{0,20}(?:/|=)\s*(?:연합뉴스|뉴시스|뉴스1|로이터|AP|AFP|EPA|신화|게티이미지)[가-힣A-Za-z]*\s*$"
    ),
    re.compile(r"^\s*(?:#[^\s#]+\s*){1,}$"),  # hashtags
    re.compile(
        r"^\s*(?:가장작게|작게|기본|크게|가장크게|작게보기|기본크기|크게보기|글자\s*크기|URL\s*공유|"
        r"URL복사|카카오톡|페이스북|X\(트위터\)|트위터|네이버블로그|공유하기|인쇄|스크랩|닫기|"
        r"기사\s*공유|프린트)(?:\s|$)+(?:(?:가장작게|작게|기본|크게|가장크게|보기|크기|공유|카카오톡|"
        r"페이스북|X\(트위터\)|인쇄|스크랩)\s*)*$"
    ),
    re.compile(
        r"^\s*(?:좋아요|화나요|슬퍼요|추가취재\s*원해요|후속기사\s*원해요)\s*\d*(?:\s+\S+\s*\d+)*\s*$"
    ),
    re.compile(r"^\s*댓글\s*\d+\s*(?:/\s*\d+)?\s*$"),
    re.compile(
        r"^\s*▲.{0,200}(?:연합뉴스|뉴시스|뉴스1|로이터|AP|AFP|EPA|신화|게티이미지|제공|DB|사진)\)?\s*$"
    ),  # caption
    re.compile(r"^\s*(?:▶|☞|▷).{0,120}$"),  # link lines
    re.compile(r"^\s*\[?\s*(?:관련\s*기사|관련\s*뉴스)\s*\]?\s*$"),
    re.compile(r"^\s*\(?끝\)?\s*$|^\s*<\s*끝\s*>\s*$"),
    re.compile(r"^\s*\*?\s*사진\s*설명\s*[:：]"),
    re.compile(r"^\s*\((?:END|끝)\)\s*$"),
    re.compile(
        r"^\s*(?:최초\s*)?(?:입력|수정|기사입력|기사수정|최종수정|등록|승인|작성일)\s*[:：]?\s*(?:19|20)\d{2}[.\-/]"
        r"[\d.\-/:\s]*(?:(?:수정|최종수정)\s*[:：]?\s*[\d.\-/:\s]*)?$"
    ),
]

# A line at which the article is over: everything from it on is furniture.
_CUT_LINES = re.compile(
    r"^\s*(?:주요\s*뉴스|많이\s*본\s*뉴스|관련\s*뉴스|오늘의\s*상승종목|실시간\s*암호화폐\s*시세|"
    r"이전글|다음글|이전\s*기사|다음\s*기사|만족도\s*조사.*|이\s*페이지에서\s*제공하는\s*정보에\s*대하여.*|"
    r"공공누리.*|담당\s*부서.*|담당자.*|첨부\s*파일.*|<\s*끝\s*>|붙임\s*[:：]?.*|※\s*별첨.*)\s*$"
)


_TABLE_RULE = re.compile(r"^[|\-: ]+$")


def is_furniture_line(line: str) -> bool:
    return any(rule.search(line) for rule in _LINE_RULES)


def clean_lines(lines: list[str], captions: set[str] | None = None) -> list[str]:
    """Drop furniture lines; stop at the first line that starts the after-article chrome."""
    captions = captions or set()
    kept: list[str] = []
    for raw in lines:
        line = re.sub(r"[ \t\u00a0\u200b]+", " ", raw).strip()
        if line.startswith("|"):  # trafilatura's markdown table rows → "a | b | c"
            if _TABLE_RULE.match(line):
                continue
            line = line.strip("| ").strip()
        if not line:
            continue
        if len(line) <= 60 and _CUT_LINES.match(line) and kept:
            break
        if line in captions:
            continue
        # before the line rules: a credit at the end of the last paragraph must not take the paragraph with it
        line = strip_credits(line)
        if not line or is_furniture_line(line):
            continue
        kept.append(line)
        if _END_MARK.search(line):  # government releases end with <끝>; what follows is 붙임/담당
            break
    return kept


_TAIL_CREDIT = re.compile(
    # an outlet or place before the name only with a bracket or a = or /, never a word of the sentence
    r"\s*(?:[\[(][가-힣A-Za-z ]{0,12}?[\s=/]\s*|[\[(/]|[가-힣A-Za-z]{1,10}\s*[=/]\s*)?"
    + _NAME + r"\s*(?:기자|특파원)" + _CONTACT + r"\s*[\])]?\s*$"
)


_LEAD_CREDIT = re.compile(
    r"^\s*(?:\[[^\]\n]{0,30}?" + _NAME + r"\s*(?:기자|특파원)\]|"
    r"\([^)\n]{0,20}=[^)\n]{0,20}\)\s*" + _NAME + r"\s*(?:기자|특파원)\s*=)\s*"
)
_END_MARK = re.compile(r"\s*<\s*끝\s*>\s*$")


def strip_credits(line: str) -> str:
    """`[부산=스포츠조선 홍길동 기자] 본문…`, `…처리했다.부산=홍길동 기자 a@b.com`: the sentence without
    the reporter credit."""
    line = _LEAD_CREDIT.sub("", line)
    if "@" not in line:
        return line
    return _TAIL_CREDIT.sub("", line).rstrip()


def strip_end_mark(line: str) -> str:
    """`…말했다. <끝>`: the sentence without the end mark (clean_lines stops at it)."""
    return _END_MARK.sub("", line)
