"""이투데이 (etoday.co.kr): a general economic daily; only articles naming a ministry are kept."""

from crawler.listings import ListPageRule
from crawler.spiders.base import ArchiveSpider, ListSource

_LIST_RULE = ListPageRule(row="li.sp_newslist", link="a::attr(href)",
                          title=".cluster_text_headline21", date=".cluster_text_press21")
_RSS = "https://rss.etoday.co.kr/eto/{}.xml"


class EtodaySpider(ArchiveSpider):
    name = "etoday"
    sitemaps = ["https://www.etoday.co.kr/rss/news_sitemap"]
    feeds = [_RSS.format(n) for n in ("etoday_news_all", "economy_news", "finance_news", "market_news",
                                      "company_news")]
    list_sources = [
        ListSource(f"https://www.etoday.co.kr/news/section/subsection?MID={mid}&page={{page}}", _LIST_RULE)
        for mid in (1200, 1202)
    ]
    article_pattern = r"^https://www\.etoday\.co\.kr/news/view/\d+$"
    requires_ministry = True
