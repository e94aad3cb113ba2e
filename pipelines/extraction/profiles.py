"""A page's site profile (each site file in sites/ carries its own) and the generic container selectors
for Korean outlets.

A profile only says where things are; every rule that decides what is furniture lives in
furniture.py so that pages without a profile get the same cleaning."""

from __future__ import annotations

from sites.model import SiteProfile
from sites.registry import site_for_url

# Where Korean outlets without a profile keep the article body (most specific first).
GENERIC_CONTAINERS = (
    "#article-view-content-div",  # ndsoft CMS: hundreds of regional outlets
    "article#dic_area",
    "#dic_area",
    "#newsct_article",  # 네이버 뉴스
    "div.news_cnt_detail_wrap",  # 매일경제
    "[itemprop=articleBody]",
    "#articleBodyContents",
    "#articeBody",
    "#articleBody",
    "#article_body",
    "#article-body",
    "#articletxt",
    "#news_body_id",
    ".article_txt",
    ".article_body",
    ".article-body",
    ".article_view",
    ".news_body",
    ".news_view",
    ".view_con",
    ".view_cont",
    ".text_viewbox",
    ".view_content",
    ".board_view .view_cont",
    ".bbs_view .substance",
    ".body_txt",
    ".story-news",
    ".board_view_body",
    ".bbs_view_body",
    ".view_body",
    ".board_view .view_con",
    ".bbs_content",
    ".board_content",
)


def profile_for(url: str) -> SiteProfile | None:
    """The extraction profile of the registered site (sites/*.py) the URL belongs to."""
    site = site_for_url(url)
    return site.profile if site is not None else None
