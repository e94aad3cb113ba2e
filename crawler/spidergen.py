"""Writing a new site file from a template (`newsarchive new-spider`) and describing existing spiders.

Nothing here touches the network: the article URL only shapes the article rule; the listing is named,
never fetched."""

from __future__ import annotations

import keyword
import re
import site
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from core.urls import canonical_url

PAGE_PARAMS = ("pageIndex", "page", "pageNo", "pageNum", "currentPage", "cpage", "pg", "p")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LONG_NUMBER = re.compile(r"\d{3,}")


class SpiderSpecError(ValueError):
    """A bad new-spider request; the message is one line for the user."""


@dataclass(frozen=True)
class SpiderSpec:
    name: str
    article_url: str
    feed: str | None = None
    sitemap: str | None = None
    list_url: str | None = None

    @property
    def host(self) -> str:
        return (urlsplit(self.article_url).hostname or "").lower()


def _check_url(value: str, what: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SpiderSpecError(f"{what} must be an http(s) URL, got {value!r}")
    return value.strip()


def make_spec(name: str, article_url: str, registered: list[str], feed: str | None = None,
              sitemap: str | None = None, list_url: str | None = None) -> SpiderSpec:
    """Validate the request; raises SpiderSpecError with a one-line reason."""
    if not _NAME.match(name) or keyword.iskeyword(name):
        raise SpiderSpecError(f"spider name {name!r} must be a lower-case Python identifier "
                              "(letters, digits, _; starting with a letter), e.g. 'molit'")
    if name in registered:
        raise SpiderSpecError(f"a spider named {name!r} already exists")
    if sum(x is not None for x in (feed, sitemap, list_url)) != 1:
        raise SpiderSpecError("give exactly one listing: --feed URL, --sitemap URL or --list URL")
    return SpiderSpec(name=name, article_url=_check_url(article_url, "--url"),
                      feed=_check_url(feed, "--feed") if feed else None,
                      sitemap=_check_url(sitemap, "--sitemap") if sitemap else None,
                      list_url=_check_url(list_url, "--list") if list_url else None)


def article_pattern(article_url: str) -> str:
    """A regex for the canonical form of `article_url` with its long numbers (the article id) generalised."""
    canon = canonical_url(article_url)
    pieces = _LONG_NUMBER.split(canon)
    return "^" + r"\d+".join(re.escape(p) for p in pieces) + "$"


def paged_template(list_url: str) -> str:
    """The list URL with a {page} placeholder where its page number goes (added as pageIndex if absent)."""
    parts = urlsplit(list_url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    keys = [k for k, _ in pairs]
    page_key = next((k for k in PAGE_PARAMS if k in keys), None)
    if page_key is None:
        pairs.append(("pageIndex", "PAGE"))
        page_key = "pageIndex"
    query = urlencode([(k, "PAGE" if k == page_key else v) for k, v in pairs], safe="")
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    return url.replace("{", "{{").replace("}", "}}").replace(f"{page_key}=PAGE", f"{page_key}={{page}}")


SITE_TEMPLATE = '''"""{name}: {host} (written by `newsarchive new-spider`; edit freely).

Next: save one article page and the listing in {fixtures}/ and write their expected JSON
(see {fixtures}/README.txt), then run `pytest tests/test_spiders.py -k {name}`."""

from sites.model import CanonicalRule, ListPageRule, ListSource, Site, SiteProfile  # noqa: F401

SITE = Site(
    name="{name}",
    description="{host}",
    hosts=("{domain}",),
{sources}    # article URLs in canonical form; ids are generalised to \\d+
    article_pattern=r"{pattern}",
    # True for general outlets (keep only articles naming a ministry); a ministry's own site sets
    # requires_ministry=False and ministry="<official name>" instead.
    requires_ministry=True,
    # Only if article URLs carry session ids or menu keys: the path and the query keys that name an article.
    # canonical=CanonicalRule(path=r"^/view\\.do", keys=("id",), base="{scheme}://{host}"),
    # Only if `newsarchive check-spider` shows a wrong body or title: where things are on the page.
    # profile=SiteProfile(container=("div.view_cont",), title=("h1",), remove=(".share",)),
)
'''

LIST_SOURCE_TEMPLATE = '''    list_sources=(ListSource("{template}", ListPageRule(
        row="TODO: CSS selector of one list row, e.g. 'table tbody tr' or 'ul.board_list > li'",
        link="a::attr(href)",
        title="a",
        date="TODO: CSS selector of the row's date cell, e.g. 'td.date'",
        # rows that open articles through JavaScript, e.g. onclick="fn_detail(123)":
        # link_id_pattern=r"fn_detail\\((\\d+)\\)", link_template="https://{host}/view.do?id={{id}}",
    )),),
'''


def render_site(spec: SpiderSpec) -> str:
    """The site file `sites/NAME.py` for a new site."""
    if spec.list_url:
        sources = LIST_SOURCE_TEMPLATE.format(template=paged_template(spec.list_url), host=spec.host)
    else:
        attr, url = ("feeds", spec.feed) if spec.feed else ("sitemaps", spec.sitemap)
        sources = f'    {attr}=("{url}",),\n'
    pattern = article_pattern(spec.article_url).replace('"', r"\"")
    return SITE_TEMPLATE.format(name=spec.name, host=spec.host, domain=spec.host.removeprefix("www."),
                                scheme=urlsplit(spec.article_url).scheme, sources=sources, pattern=pattern,
                                fixtures=f"tests/spiders/{spec.name}")


FIXTURE_README = """Fixtures for the `{name}` spider; tests/test_spiders.py fails until they are complete.

1. Save one article page here, as the browser received it (View source -> Save, or
   `curl -o press-release.html '{article_url}'`), e.g. `press-release.html`.
2. Look at what the extractor makes of it:
       newsarchive check-spider {name} tests/spiders/{name}/press-release.html --url '{article_url}'
   It prints every field and flags furniture lines (share buttons, copyright, 만족도, 공공누리, ...)
   left in the body (exit status 1). If fields are wrong, fill in `profile=SiteProfile(...)` in the
   site file {name}.py (see "Add a spider in five steps" in README.md).
3. Write `press-release.expected.json` (keys sorted) with what a reader sees on the page:
       {{"attachments": [{{"name": "…hwpx", "url": "https://…"}}], "authors": ["…부 …과"],
        "body_end": "last words of the body", "body_start": "first words of the body", "ministries": ["…부"],
        "must_not_contain": ["공공누리"], "published_at": "2026-03-03T12:00:00+09:00", "subtitle": "",
        "title": "…", "url": "{article_url}"}}
4. Save the listing as `listing.xml` (feed or sitemap) or `listing.html` (list page):
       {listing}
5. Write `listing.expected.json`: the listing's URL, a date window and the article URLs (canonical form)
   the spider must request from it, in listing order, with the ministries it attributes to each:
       {{"url": "{listing_url}", "since": "YYYY-MM-DD", "until": "YYYY-MM-DD",
        "articles": [{{"url": "https://…", "ministries": []}}]}}
Then: pytest tests/test_spiders.py -k {name}
"""


def fixture_readme(spec: SpiderSpec) -> str:
    listing_url = spec.feed or spec.sitemap or (paged_template(spec.list_url).replace("{page}", "1")
                                                if spec.list_url else "")
    saved_as = f"tests/spiders/{spec.name}/listing.{'html' if spec.list_url else 'xml'}"
    return FIXTURE_README.format(name=spec.name, article_url=spec.article_url, listing_url=listing_url,
                                 listing=f"curl -o {saved_as} '{listing_url}'")


def installed_packages_dir(folder: Path) -> Path | None:
    """The site-packages folder `folder` is in, if any: an installed copy is no place for a user's files."""
    resolved = folder.expanduser().resolve()
    candidates = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    candidates.update(site.getsitepackages())
    for candidate in sorted(candidates):
        root = Path(candidate).resolve()
        if resolved == root or root in resolved.parents:
            return root
    return None


def write_site(spec: SpiderSpec, into: Path) -> tuple[Path, Path]:
    """Write INTO/NAME.py and the fixture folder tests/spiders/NAME/ beside INTO (README.txt inside);
    never overwrites anything, never writes into site-packages."""
    packages = installed_packages_dir(into)
    if packages is not None:
        raise SpiderSpecError(f"{into} is inside the installed packages ({packages}); "
                              "give --into a sites/ folder of your working tree")
    site_file = into / f"{spec.name}.py"
    fixture_dir = into.resolve().parent / "tests" / "spiders" / spec.name
    if site_file.exists():
        raise SpiderSpecError(f"{site_file} already exists; not overwriting it")
    if fixture_dir.exists():
        raise SpiderSpecError(f"{fixture_dir} already exists; not overwriting it")
    into.mkdir(parents=True, exist_ok=True)
    site_file.write_text(render_site(spec), encoding="utf-8")
    fixture_dir.mkdir(parents=True)
    (fixture_dir / "README.txt").write_text(fixture_readme(spec), encoding="utf-8")
    return site_file, fixture_dir


def describe_sources(cls: type) -> list[str]:
    """One line per source of a spider class, for `newsarchive spiders`: 'feed URL', 'list URL', …"""
    lines = [f"sitemap {u}" for u in getattr(cls, "sitemaps", [])]
    lines += [f"feed {u}" for u in getattr(cls, "feeds", [])]
    lines += [f"list {s.template.replace('{page}', 'N')}" for s in getattr(cls, "list_sources", [])]
    ministry = getattr(cls, "ministry", "")
    if ministry:
        lines.append(f"ministry {ministry}")
    return lines
