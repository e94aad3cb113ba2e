"""Local test sites for www.msit.go.kr and www.mois.go.kr, served with newsarchive.demo.site.server."""

from __future__ import annotations

from datetime import date

from newsarchive.demo.site.server import Resource, Site
from newsarchive.demo.site_ministries.content import releases
from newsarchive.demo.site_ministries.pages import (
    MOIS_BOARD,
    MSIT_BOARD,
    PER_PAGE,
    mois_article_path,
    mois_list,
    mois_rss,
    mois_view,
    msit_list,
    msit_view,
)

HTML = "text/html; charset=utf-8"
MSIT_HOST = "www.msit.go.kr"
MOIS_HOST = "www.mois.go.kr"
MOIS_FEED = "/gpms/view/jsp/rss/rss.jsp?ctxCd=1012"


def _html(text: str) -> Resource:
    return Resource(text.encode("utf-8"), HTML)


def build_site(today: date) -> Site:
    msit, mois = releases("msit"), releases("mois")
    msit_pages: dict[str, Resource] = {}
    mois_pages: dict[str, Resource] = {
        MOIS_FEED: Resource(mois_rss(mois, today).encode("utf-8"), "application/xml; charset=utf-8")}
    # one empty page past the end
    pages = range(1, (max(len(msit), len(mois)) + PER_PAGE - 1) // PER_PAGE + 2)
    for n in pages:
        msit_pages[f"/bbs/list.do?{MSIT_BOARD}&pageIndex={n}"] = _html(msit_list(msit, today, n))
        mois_pages[f"/frt/bbs/type010/commonSelectBoardList.do?{MOIS_BOARD}&pageIndex={n}"] = _html(
            mois_list(mois, today, n))
    for r in msit:
        msit_pages[f"/bbs/view.do?{MSIT_BOARD}&nttSeqNo={r.post_id}"] = _html(msit_view(r, today))
    for r in mois:
        mois_pages[mois_article_path(r)] = _html(mois_view(r, today))
    return {MSIT_HOST: msit_pages, MOIS_HOST: mois_pages}
