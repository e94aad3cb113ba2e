"""`newsarchive check-spider NAME PAGE.html [--url URL]`: what the extractor makes of a saved page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click

# Lines that look like page furniture, not article text (name, pattern).
SUSPECTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("reporter + e-mail", re.compile(r"기자\s*[\w.+-]+@[\w-]+\.|[\w.+-]+@[\w-]+\.[\w.]+\s*$")),
    ("copyright", re.compile(r"[ⓒ©]|저작권자|무단\s*전재|재배포\s*금지|Copyright", re.I)),
    ("reactions", re.compile(r"좋아요|화나요|슬퍼요|추가취재\s*원해요")),
    ("news box", re.compile(r"주요\s*뉴스|많이\s*본\s*뉴스|관련\s*(?:기사|뉴스)|"
                            r"실시간\s*(?:암호화폐\s*)?시세")),
    ("licence box", re.compile(r"공공누리")),
    ("satisfaction survey", re.compile(r"만족도|만족하십니까")),
    ("prev/next links", re.compile(r"^\s*(?:이전글|다음글)")),
    ("font-size buttons", re.compile(r"가장\s*작게|가장\s*크게|작게\s*보기|크게\s*보기|"
                                     r"기본\s*크기|글자\s*크기")),
    ("share buttons", re.compile(r"URL\s*공유|URL\s*복사|카카오톡\s*공유|^\s*(?:공유하기|인쇄|스크랩)\s*$")),
    ("contact box", re.compile(r"^\s*(?:담당\s*부서|담당자)\b")),
)


def suspect_lines(body: str) -> list[tuple[int, str, str]]:
    """(line number, what it looks like, the line) for every body line matching a furniture pattern."""
    found = []
    for number, line in enumerate(body.splitlines(), start=1):
        for label, pattern in SUSPECTS:
            if pattern.search(line):
                found.append((number, label, line))
                break
    return found


# Fields scored against PAGE's .expected.json when there is one.
SCORED = ("title", "subtitle", "authors", "published_at", "ministries")


def _expected(page: Path) -> dict[str, Any]:
    """PAGE's .expected.json (`press-release.expected.json` beside `press-release.html`), or {}."""
    path = page.with_name(page.stem + ".expected.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def mismatches(data: dict[str, Any], expected: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, expected, extracted) for every scored field the expected JSON states and the page misses."""
    return [(key, expected[key], data[key]) for key in SCORED if key in expected and data[key] != expected[key]]


def _guess_url(page: Path, html: bytes) -> str | None:
    url = _expected(page).get("url")
    if isinstance(url, str) and url:
        return url
    head = html[:20000].decode("utf-8", "replace")
    for pattern in (r'<link[^>]+rel=["\']canonical["\'][^>]+href=["\']([^"\']+)',
                    r'<meta[^>]+property=["\']og:url["\'][^>]+content=["\']([^"\']+)'):
        match = re.search(pattern, head, re.I)
        if match and match.group(1).startswith("http"):
            return match.group(1)
    return None


@click.command()
@click.argument("name")
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", default=None, help="The page's real URL (default: from PAGE's .expected.json or its "
                                          "canonical link).")
def command(name: str, page: Path, url: str | None) -> None:
    """Extract PAGE as spider NAME would and print it field by field; exit 1 on suspected furniture
    or a field (title, subtitle, authors, date, ministries) that differs
    from PAGE's .expected.json."""
    from core.article import NotAnArticle
    from crawler.process import spider_names
    from pipelines.extract import extract
    from sites.registry import site_for_url

    names = spider_names()
    if name not in names:
        raise click.UsageError(f"unknown spider {name!r}; known: {', '.join(names)}")
    html = page.read_bytes()
    url = url or _guess_url(page, html)
    if not url:
        raise click.UsageError("cannot tell the page's URL: give --url URL")
    site = site_for_url(url)
    if site is None or site.name != name:
        click.echo(f"warning: {url} is not on {name}'s hosts: extracted without {name}'s profile", err=True)
    try:
        article = extract(html, url, source=name)
    except NotAnArticle as exc:
        click.echo(exc.kind.reason, err=True)
        raise SystemExit(1) from None
    data = article.to_dict()
    for key in ("url", "canonical_url", "title", "subtitle", "published_at", "modified_at", "authors",
                "section", "ministries", "language"):
        click.echo(f"{key:<14} {data[key] if data[key] not in (None, '', []) else '-'}")
    click.echo(f"{'images':<14} {len(article.images)}")
    for image in article.images:
        click.echo(f"  {image.url}  {image.caption}")
    click.echo(f"{'attachments':<14} {len(article.attachments)}")
    for attachment in article.attachments:
        click.echo(f"  {attachment.name}  {attachment.url}")
    lines = article.body.splitlines()
    click.echo(f"{'body':<14} {len(lines)} lines, {len(article.body)} characters")
    for number, line in enumerate(lines, start=1):
        click.echo(f"  {number:>3}  {line}")
    failed = False
    suspects = suspect_lines(article.body)
    if suspects:
        click.echo(f"suspected furniture in the body ({len(suspects)}):", err=True)
        for number, label, line in suspects:
            click.echo(f"  line {number} ({label}): {line[:100]}", err=True)
        failed = True
    else:
        click.echo("no suspected furniture in the body")
    expected = _expected(page)
    wrong = mismatches(data, expected)
    for key, want, got in wrong:
        click.echo(f"{key} differs from {page.stem}.expected.json: expected {want!r}, got {got!r}", err=True)
    scored = [key for key in SCORED if key in expected]
    if scored:
        click.echo(f"expected fields: {len(scored) - len(wrong)}/{len(scored)} match ({', '.join(scored)})")
    if failed or wrong:
        raise SystemExit(1)
