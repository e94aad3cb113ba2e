"""과학기술정보통신부 (msit.go.kr) 보도자료 board: list rows open articles through `fn_detail(nttSeqNo)`.

Selectors are from public crawler code for the same CMS (SITES.md §3), not yet checked on a live page."""

from crawler.listings import ListPageRule
from crawler.spiders.base import ArchiveSpider, ListSource

BASE = "https://www.msit.go.kr"
BOARD = "sCode=user&mId=307&mPid=208&bbsSeqNo=94"  # bbsSeqNo=94: the 보도자료 board

_LIST_RULE = ListPageRule(
    row=".board_list > .toggle",
    link_id_pattern=r"fn_detail\(\s*'?(\d+)'?\s*\)",
    link_template=f"{BASE}/bbs/view.do?{BOARD}&nttSeqNo={{id}}",
    title="p.title",
    date="dd[id*='td_CREAT_DT']",
)


class MsitSpider(ArchiveSpider):
    name = "msit"
    ministry = "과학기술정보통신부"
    requires_ministry = False
    list_sources = [ListSource(f"{BASE}/bbs/list.do?{BOARD}&pageIndex={{page}}", _LIST_RULE)]
    article_pattern = r"^https://www\.msit\.go\.kr/bbs/view\.do\?sCode=user&mId=\d+&mPid=\d+&bbsSeqNo=94&nttSeqNo=\d+$"
