"""대한민국 정책브리핑 (korea.kr) press releases: every ministry's releases, from its RSS feeds and the list.

`newsarchive crawl korea_kr --arg ministries=msit,mois` crawls only those ministries' feeds (codes below)."""

from sites.model import CanonicalRule, FrameRule, ListPageRule, ListSource, MinistryFeed, Site, SiteProfile

BASE = "https://www.korea.kr"
# feed code -> official ministry name (korea.kr/rss/dept_{code}.xml)
_DEPARTMENTS = {
    "msit": "과학기술정보통신부", "mois": "행정안전부", "moef": "기획재정부", "fsc": "금융위원회",
    "molit": "국토교통부", "nts": "국세청", "moel": "고용노동부", "me": "환경부", "mcst": "문화체육관광부",
    "moe": "교육부", "ftc": "공정거래위원회", "pipc": "개인정보보호위원회", "motir": "산업통상부",
    "mcee": "기후에너지환경부",
}

SITE = Site(
    name="korea_kr",
    description="대한민국 정책브리핑: every ministry's press releases",
    hosts=("korea.kr",),
    ministry_feeds={code: MinistryFeed(f"{BASE}/rss/dept_{code}.xml", name) for code, name in _DEPARTMENTS.items()},
    feeds=(f"{BASE}/rss/pressrelease.xml",),  # all ministries: read only when no ministries are chosen
    list_sources=(ListSource(f"{BASE}/briefing/pressReleaseList.do?pageIndex={{page}}",
                             ListPageRule(row="div.list_type > ul > li", link="a::attr(href)",
                                          title="span.text > strong", date="span.source > span:first-child",
                                          ministry="span.source > span:nth-child(2)")),),
    article_pattern=r"^https://www\.korea\.kr/briefing/pressReleaseView\.do\?newsId=\d+$",
    requires_ministry=False,
    canonical=CanonicalRule(path=r"^/briefing/pressReleaseView\.do$|^/news/\w+View\.do$", keys=("newsId",),
                            base=BASE),
    profile=SiteProfile(
        container=("div.view_cont", "div.article_body", "div.view_content"),
        title=("h2.page_title strong", "div.article_head h1", "meta[property='og:title']"),
        subtitle=("div.view_cont > .sub_title", "h2.page_title + .sub_title", ".article_head .sub_title"),
        header=("div.info", "div.article_head", "div.view_head"),
        ministry=("a[href*='ministryNewsList']", "div.info span.ministry", "div.info .source"),
        department=(".charge_box", "table.tb_contact", "div.info"),
        # div.location and div.article_head (breadcrumb, title, date, ministry) are inside div.article_body,
        # the container left when div.view_cont is missing or empty (a truncated page): not a body
        remove=("div.view_info_box", "div.file_down", "div.satisfy", "div.kogl", ".article_footer", "div.location",
                "div.article_head"),
        site_names=("대한민국 정책브리핑", "정책브리핑", "korea.kr"),
    ),
    # The body can be only "본 자료는 ○○부에서 배포한 자료입니다."; the text is in the document viewer:
    # div.docConversion iframe -> skin page -> iframe[name=innerWrap] (or the `rs=` result folder)
    # -> /docViewer/result/…/{id}.view.xhtml
    frame=FrameRule(body_css="div.view_cont", frame_css="div.docConversion iframe, iframe#content_press",
                    inner_css="iframe[name=innerWrap]", inner_query_key="rs"),
)
