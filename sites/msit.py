"""과학기술정보통신부 (msit.go.kr) 보도자료 board: list rows open articles through `fn_detail(nttSeqNo)`.

Selectors are from public crawler code for the same CMS (SITES.md §3), not yet checked on a live page."""

from sites.model import CanonicalRule, ListPageRule, ListSource, Site, SiteProfile

BASE = "https://www.msit.go.kr"
BOARD = "sCode=user&mId=307&mPid=208&bbsSeqNo=94"  # bbsSeqNo=94: the 보도자료 board

SITE = Site(
    name="msit",
    description="과학기술정보통신부 보도자료",
    hosts=("msit.go.kr",),
    ministry="과학기술정보통신부",
    requires_ministry=False,
    list_sources=(ListSource(f"{BASE}/bbs/list.do?{BOARD}&pageIndex={{page}}", ListPageRule(
        row=".board_list > .toggle",
        link_id_pattern=r"fn_detail\(\s*'?(\d+)'?\s*\)",
        link_template=f"{BASE}/bbs/view.do?{BOARD}&nttSeqNo={{id}}",
        title="p.title",
        date="dd[id*='td_CREAT_DT']",
    )),),
    article_pattern=r"^https://www\.msit\.go\.kr/bbs/view\.do\?sCode=user&mId=\d+&mPid=\d+&bbsSeqNo=94&nttSeqNo=\d+$",
    # no `$`: a `;jsessionid=…` path parameter is dropped with the junk query keys
    canonical=CanonicalRule(path=r"^/bbs/view\.do", keys=("sCode", "mId", "mPid", "bbsSeqNo", "nttSeqNo"),
                            base=BASE),
    profile=SiteProfile(
        container=(".board_view .view_cont", "div.view_cont"),
        title=(".view_head .title", ".view_head h2", "meta[property='og:title']"),
        header=(".view_head",),
        department=(".view_head", "table.charge"),
        remove=(".view_file", ".file_list", ".satisfaction", ".kogl", ".btn_list"),
        site_names=("과학기술정보통신부",),
    ),
)
