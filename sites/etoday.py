"""이투데이 (etoday.co.kr): a general economic daily; only articles naming a ministry are kept."""

from sites.model import CanonicalRule, ListPageRule, ListSource, Site, SiteProfile

_LIST_RULE = ListPageRule(row="li.sp_newslist", link="a::attr(href)",
                          title=".cluster_text_headline21", date=".cluster_text_press21")
_RSS = "https://rss.etoday.co.kr/eto/{}.xml"

SITE = Site(
    name="etoday",
    description="이투데이, a general economic daily",
    hosts=("etoday.co.kr",),
    sitemaps=("https://www.etoday.co.kr/rss/news_sitemap",),
    feeds=tuple(_RSS.format(n) for n in ("etoday_news_all", "economy_news", "finance_news", "market_news",
                                         "company_news")),
    list_sources=tuple(
        ListSource(f"https://www.etoday.co.kr/news/section/subsection?MID={mid}&page={{page}}", _LIST_RULE)
        for mid in (1200, 1202)
    ),
    article_pattern=r"^https://www\.etoday\.co\.kr/news/view/\d+$",
    requires_ministry=True,
    # only the numeric id names an article
    canonical=CanonicalRule(path=r"^/news/view/(\d+)", base="https://www.etoday.co.kr"),
    profile=SiteProfile(
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
    ),
)
