"""행정안전부 (mois.go.kr) 보도자료 board (bbsId BBSMSTR_000000000008): its own RSS feed and the list pages.

The RSS address and list shape come from public crawler code (SITES.md §4), not yet checked live."""

from crawler.listings import ListPageRule
from crawler.spiders.base import ArchiveSpider, ListSource

BASE = "https://www.mois.go.kr"
BOARD = "bbsId=BBSMSTR_000000000008"

_LIST_RULE = ListPageRule(
    row="table tbody tr",
    link="a[href*='commonSelectBoardArticle']::attr(href)",
    title="a[href*='commonSelectBoardArticle']",
    date="td:nth-child(4)",
)


class MoisSpider(ArchiveSpider):
    name = "mois"
    ministry = "행정안전부"
    requires_ministry = False
    feeds = [f"{BASE}/gpms/view/jsp/rss/rss.jsp?ctxCd=1012"]
    list_sources = [ListSource(f"{BASE}/frt/bbs/type010/commonSelectBoardList.do?{BOARD}&pageIndex={{page}}",
                               _LIST_RULE)]
    article_pattern = (r"^https://www\.mois\.go\.kr/frt/bbs/type010/commonSelectBoardArticle\.do"
                       rf"\?{BOARD}&nttId=\d+$")
