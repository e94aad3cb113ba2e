"""행정안전부 (mois.go.kr) 보도자료 board (bbsId BBSMSTR_000000000008): its own RSS feed and the list pages.

The RSS address and list shape come from public crawler code (SITES.md §4), not yet checked live."""

from sites.model import CanonicalRule, ListPageRule, ListSource, Site, SiteProfile

BASE = "https://www.mois.go.kr"
BOARD = "bbsId=BBSMSTR_000000000008"

SITE = Site(
    name="mois",
    description="행정안전부 보도자료",
    hosts=("mois.go.kr",),
    ministry="행정안전부",  # the ministry's own site: every release is its
    requires_ministry=False,
    feeds=(f"{BASE}/gpms/view/jsp/rss/rss.jsp?ctxCd=1012",),
    list_sources=(ListSource(f"{BASE}/frt/bbs/type010/commonSelectBoardList.do?{BOARD}&pageIndex={{page}}",
                             ListPageRule(row="table tbody tr",
                                          link="a[href*='commonSelectBoardArticle']::attr(href)",
                                          title="a[href*='commonSelectBoardArticle']",
                                          date="td:nth-child(4)")),),
    article_pattern=rf"^https://www\.mois\.go\.kr/frt/bbs/type010/commonSelectBoardArticle\.do\?{BOARD}&nttId=\d+$",
    # list links carry `;jsessionid=…` and paging keys: only bbsId and nttId name a release
    canonical=CanonicalRule(path=r"^/frt/bbs/type\d+/commonSelectBoardArticle\.do", keys=("bbsId", "nttId"),
                            base=BASE),
    profile=SiteProfile(
        container=(".board_view .view_cont", "div.view_cont", "div.bbs_view .substance"),
        title=(".view_head .subject", ".view_head h4", "meta[property='og:title']"),
        header=(".view_head", ".view_head .info"),
        department=(".view_head", "table.charge"),
        remove=(".fileList", ".satisfaction", ".kogl", ".btn_list"),
        site_names=("행정안전부",),
    ),
)
