"""Per-site hints (etoday, korea.kr) and the generic container selectors for Korean outlets.

A profile only says where things are; every rule that decides what is furniture lives in
furniture.py so that pages without a profile get the same cleaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SiteProfile:
    name: str
    hosts: tuple[str, ...]
    container: tuple[str, ...]  # CSS selectors, first match wins
    title: tuple[str, ...] = ()
    subtitle: tuple[str, ...] = ()  # removed from the body, joined into `subtitle`
    deck: tuple[str, ...] = ()  # subtitle elements under the headline, outside the container
    author: tuple[str, ...] = ()  # reporter name elements (`홍길동 기자`)
    department: tuple[str, ...] = ()  # blocks holding a `담당 부서` row: the issuing department
    header: tuple[str, ...] = ()  # where the 입력/수정 line and reporter line live
    section: tuple[str, ...] = ()
    ministry: tuple[str, ...] = ()  # the page names the issuing ministry here
    remove: tuple[str, ...] = ()
    placeholder_frame: bool = False  # korea.kr: body may be a placeholder + inlined frame
    site_names: tuple[str, ...] = field(default_factory=tuple)


ETODAY = SiteProfile(
    name="etoday",
    hosts=("etoday.co.kr",),
    container=("div.articleView[itemprop=articleBody]", "div.articleView", "[itemprop=articleBody]"),
    title=("h1.main_title", "meta[property='og:title']"),
    subtitle=(
        ".articleView .subtitle_box",
        ".articleView .sub_title",
        ".articleView h2.stitle",
        ".subtitle_box",
        ".sub_title",
    ),
    deck=("h2.sub_title", ".subview_title"),
    author=(".reporter_name", ".reporter_name_box", ".reporter_info .name", ".reporter_box .name"),
    header=(".news_dtail_view_top_wrap", ".view_top_container", ".article_header", "header"),
    section=(".location a", ".nav_location a", ".breadcrumb a"),
    remove=(
        ".img_box_C",
        "[id^=div-gpt-ad]",
        ".relation_newslist",
        ".kwd_tags",
        ".card-container",
        ".reporter_topNews",
        ".recommend_btn",
        ".ico_share",
        ".maj_list_wrap",
    ),
    site_names=("이투데이", "etoday"),
)

KOREA_KR = SiteProfile(
    name="korea_kr",
    hosts=("korea.kr",),
    container=("div.view_cont", "div.article_body", "div.view_content"),
    title=("h2.page_title strong", "div.article_head h1", "meta[property='og:title']"),
    subtitle=("div.view_cont > .sub_title", "h2.page_title + .sub_title", ".article_head .sub_title"),
    header=("div.info", "div.article_head", "div.view_head"),
    section=(),
    ministry=("a[href*='ministryNewsList']", "div.info span.ministry", "div.info .source"),
    department=(".charge_box", "table.tb_contact", "div.info"),
    remove=("div.view_info_box", "div.file_down", "div.satisfy", "div.kogl", ".article_footer"),
    placeholder_frame=True,
    site_names=("대한민국 정책브리핑", "정책브리핑", "korea.kr"),
)

# Ministries' own boards (SITES.md §3-4): selectors from public crawler code for the same CMS.
MSIT = SiteProfile(
    name="msit",
    hosts=("msit.go.kr",),
    container=(".board_view .view_cont", "div.view_cont"),
    title=(".view_head .title", ".view_head h2", "meta[property='og:title']"),
    header=(".view_head",),
    department=(".view_head", "table.charge"),
    remove=(".view_file", ".file_list", ".satisfaction", ".kogl", ".btn_list"),
    site_names=("과학기술정보통신부",),
)

MOIS = SiteProfile(
    name="mois",
    hosts=("mois.go.kr",),
    container=(".board_view .view_cont", "div.view_cont", "div.bbs_view .substance"),
    title=(".view_head .subject", ".view_head h4", "meta[property='og:title']"),
    header=(".view_head", ".view_head .info"),
    department=(".view_head", "table.charge"),
    remove=(".fileList", ".satisfaction", ".kogl", ".btn_list"),
    site_names=("행정안전부",),
)

PROFILES = (ETODAY, KOREA_KR, MSIT, MOIS)

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
    host = (urlsplit(url).hostname or "").lower()
    for profile in PROFILES:
        if any(host == h or host.endswith("." + h) for h in profile.hosts):
            return profile
    return None
