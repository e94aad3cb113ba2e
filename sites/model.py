"""What a site is, as data: where its articles are listed, which URLs are articles, how an article URL is
written canonically, where the text sits on the page, and whether it is shown in a frame.

The crawler, the extractor and `newsarchive new-spider` all read these; nothing here imports them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType


@dataclass(frozen=True)
class ListPageRule:
    """CSS selectors for an HTML list page: rows, and inside a row the link, title and date."""

    row: str
    link: str = "a::attr(href)"
    title: str = ""
    date: str = ""
    ministry: str = ""  # a cell naming the ministry (official name or abbreviation)
    link_id_pattern: str = ""  # for rows that open articles by JS, e.g. r"fn_detail\((\d+)\)"
    link_template: str = ""  # with {id}, used together with link_id_pattern


@dataclass(frozen=True)
class ListSource:
    """A paginated HTML list: `template` has a {page} placeholder."""

    template: str
    rule: ListPageRule
    first_page: int = 1


@dataclass(frozen=True)
class MinistryFeed:
    """One ministry's own feed on a site that carries many ministries (korea.kr's dept_*.xml)."""

    feed: str
    ministry: str  # official name, given to every entry of the feed


@dataclass(frozen=True)
class FrameRule:
    """Pages whose body is only a placeholder while the text is shown in a frame (a document viewer).
    The frame's content is fetched and inlined into the stored page, so extraction stays a function of
    one html document and can be re-run without the network."""

    body_css: str  # where the text should be
    frame_css: str  # the iframe(s) that show it instead
    inner_css: str = ""  # on the frame's page, a further iframe holding the content
    placeholder_max_chars: int = 120  # a body longer than this is the text itself
    # When the frame's page names no inner frame: the query key of its URL whose value is a folder, and
    # the content's address in it ({folder}: the value without a trailing /, {last}: its last segment).
    inner_query_key: str = ""
    inner_template: str = "{folder}/{last}.view.xhtml"


@dataclass(frozen=True)
class CanonicalRule:
    """How an article URL of the site is written canonically: the path the rule applies to (a regex,
    matched from the start), the query keys that name the article (kept in this order, all others
    dropped), and the scheme + host every article URL is rewritten to."""

    path: str
    keys: tuple[str, ...] = ()
    base: str = ""


@dataclass(frozen=True)
class SiteProfile:
    """Where things are on an article page (CSS selectors, first match wins). It only says where: every
    rule that decides what is furniture lives in pipelines/extraction/furniture.py."""

    container: tuple[str, ...]
    title: tuple[str, ...] = ()
    subtitle: tuple[str, ...] = ()  # removed from the body, joined into `subtitle`
    deck: tuple[str, ...] = ()  # subtitle elements under the headline, outside the container
    author: tuple[str, ...] = ()  # reporter name elements (`홍길동 기자`)
    department: tuple[str, ...] = ()  # blocks holding a `담당 부서` row: the issuing department
    header: tuple[str, ...] = ()  # where the 입력/수정 line and reporter line live
    section: tuple[str, ...] = ()
    ministry: tuple[str, ...] = ()  # the page names the issuing ministry here
    remove: tuple[str, ...] = ()
    site_names: tuple[str, ...] = ()
    placeholder_frame: bool = False  # set by Site from its frame rule: the body may be an inlined frame


@dataclass(frozen=True)
class Site:
    """Everything about one site; one file in sites/ defines one `SITE = Site(...)`."""

    name: str  # the spider's name: lower-case identifier
    hosts: tuple[str, ...]  # domains (subdomains included) whose pages are this site's
    article_pattern: str  # regex an article's canonical URL matches
    description: str = ""
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    list_sources: tuple[ListSource, ...] = ()
    # code -> that ministry's feed; `--arg ministries=code,…` crawls only those (and `feeds` is skipped)
    ministry_feeds: Mapping[str, MinistryFeed] = field(default_factory=dict)
    requires_ministry: bool = True  # general outlets: keep only articles naming a ministry
    ministry: str = ""  # a ministry's own site: every entry is attributed to it
    canonical: CanonicalRule | None = None
    profile: SiteProfile | None = None
    frame: FrameRule | None = None
    fixtures: str = ""  # saved pages + expected JSON, relative to the working tree; default tests/spiders/NAME

    def __post_init__(self) -> None:
        object.__setattr__(self, "ministry_feeds", MappingProxyType(dict(self.ministry_feeds)))
        if not self.fixtures:
            object.__setattr__(self, "fixtures", f"tests/spiders/{self.name}")
        if self.profile is not None and self.frame is not None and not self.profile.placeholder_frame:
            object.__setattr__(self, "profile", replace(self.profile, placeholder_frame=True))

    def owns(self, host: str) -> bool:
        host = host.lower()
        return any(host == h or host.endswith("." + h) for h in self.hosts)
