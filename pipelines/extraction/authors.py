"""Who wrote the article: reporters' names, or for a government press release its issuing department.

Rules (a reader filters and cites by these, so only what the page itself names):
- Names only: `서울=홍길동 기자 hong@x.kr` → `홍길동`; no `기자`, no e-mail, no outlet (`이투데이`).
- Sources in order: the site profile's reporter elements, the usual byline classes, `dl.author dt.name`,
  JSON-LD and meta authors, payload writers; when none name a person, a `이름 기자` line in the header,
  then a signature with an e-mail closing the article text (`최윤호 기자 uknow@donga.com`).
- Press releases (korea.kr, the ministries' boards) have no byline: when no person is named, the
  issuing body is the author, `<ministry> <담당 부서>` as the page's 담당 부서 row gives it
  (`과학기술정보통신부 전파정책국 전파정책기획과`); the department already starting with the ministry
  is not repeated. Contact people (담당자, 책임자) are not authors. The ministry also stays in `ministries`.
"""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from pipelines.extraction.furniture import loose_classes, might_match, select, selector, text_of
from pipelines.extraction.jsonld import names
from pipelines.extraction.metadata import meta
from pipelines.extraction.profiles import SiteProfile

_ROLE = r"(?:기자|특파원|선임기자|객원기자|인턴기자|통신원|논설위원|편집위원|에디터|PD)"
_REPORTER = re.compile(r"([가-힣]{2,4})\s*" + _ROLE + r"(?![A-Za-z가-힣])")
_AUTHOR_CLASSES = (
    "article-writer-name",
    "writer_name",
    "reporter_name",
    "journalist_name",
    "media_end_head_journalist_name",
    "byline_name",
    "name_reporter",
)
_SIGNED = re.compile(r"([가-힣]{2,4})\s*" + _ROLE + r"\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ORG = re.compile(r"(?:일보|신문|뉴스|방송|닷컴|미디어|통신|경제|투데이|데일리|청|부|처|시청|군청|구청)$")
_DEPARTMENT_LABEL = re.compile(r"^\s*담당\s*부서\s*[:：]?\s*")


def clean_author(raw: str) -> list[str]:
    """Names only: `서울=이정준 기자` → 이정준, `순천, 광양 구현모 기자 a@b` → 구현모."""
    raw = re.sub(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", " ", raw)
    reporters = _REPORTER.findall(raw)
    if reporters:
        return reporters
    raw = re.sub(r"^.*=", "", raw).strip(" ,·/")
    if re.fullmatch(r"[가-힣]{2,4}", raw):
        return [raw]
    if re.fullmatch(r"[A-Z][a-zA-Z.'-]+(?: [A-Z][a-zA-Z.'-]+){1,3}", raw):
        return [raw]
    return []


def authors_of(
    doc: HtmlElement,
    ld: dict[str, Any],
    header_text: str,
    payload_writers: list[str],
    markup: str = "",
    profile: SiteProfile | None = None,
    closing_text: str = "",
) -> list[str]:
    raw: list[str] = list(payload_writers)
    if profile is not None and profile.author:
        raw += [text_of(el) for el in select(doc, profile.author, markup)]
    raw += [text_of(el) for el in loose_classes(doc, _AUTHOR_CLASSES, markup)]
    if might_match("dl.author dt.name", markup):
        raw += [text_of(el) for el in selector("dl.author dt.name")(doc)]
    raw += names(ld.get("author"))
    raw += [
        m
        for m in meta(doc, "author", "article:author", "og:article:author", "dable:author", "byl")
        if not m.startswith("http")
    ]
    found: list[str] = []
    for item in raw:
        found += [n for n in clean_author(item) if not _ORG.search(n)]
    if not found and header_text:
        found = _REPORTER.findall(header_text)[:3]
    if not found and closing_text:
        found = _SIGNED.findall(closing_text)[-3:]
    return list(dict.fromkeys(found))


def _department_rows(block: HtmlElement) -> list[str]:
    """Values of `담당 부서` rows: `<th>담당 부서</th><td>…</td>`, `<dt>담당부서</dt><dd>…</dd>`,
    `<li>담당부서 주민과</li>`."""
    values: list[str] = []
    for label in block.iter("th", "dt", "li", "span", "strong", "em"):
        text = text_of(label)
        if not _DEPARTMENT_LABEL.match(text):
            continue
        rest = _DEPARTMENT_LABEL.sub("", text)
        if rest:
            values.append(rest)
            continue
        value = label.getnext()
        if value is not None and isinstance(value.tag, str):
            values.append(text_of(value))
    return [v for v in values if 1 < len(v) <= 60]


def issuing_department(doc: HtmlElement, profile: SiteProfile | None, ministry: str) -> str:
    """`<ministry> <담당 부서>` of a press release whose profile says where the row is; "" if none."""
    if profile is None or not profile.department:
        return ""
    for block in selector(", ".join(profile.department))(doc):
        for department in _department_rows(block):
            if ministry and not department.startswith(ministry):
                return f"{ministry} {department}"
            return department
    return ""
