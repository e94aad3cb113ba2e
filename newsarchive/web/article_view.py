"""The article page's and /api/articles/{id}'s data: the stored article as its reader needs it (dates
in KST, ministries, attachments, clean body), its story cluster and its revisions with word diffs.
The crawled html is never part of it: it is only offered as a plain-text download (raw_html)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.timewindow import kst_minutes
from newsarchive.web.params import WebError
from pipelines.revisions import diff_segments, history
from storage import repository as repo
from storage.clusters import cluster_of
from storage.db import transaction
from storage.models import RawPage


def safe_link(url: str | None) -> str | None:
    """The URL if it may be a link (http or https); None for javascript:, data: and the like."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def article_id(value: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise WebError(400, f"bad article id {value[:40]!r}: ids are whole numbers")
    return int(value)


def article_data(db_url: str, value: str) -> dict[str, Any]:
    ident = article_id(value)
    with transaction(db_url) as session:
        row = repo.find_article(session, str(ident))
        if row is None:
            raise WebError(404, f"no article {ident} in the archive")
        members = [m for m in cluster_of(session, row.id)]
        versions = history(session, row)
        revisions = []
        for index, version in enumerate(versions):
            before = versions[index - 1] if index else None
            revisions.append({
                "number": version.number, "title": version.title, "fetched_at": kst_minutes(version.fetched_at),
                "modified_at": kst_minutes(version.modified_at), "words": len(version.body.split()),
                "title_changes": diff_segments(before.title, version.title) if before else [],
                "body_changes": diff_segments(before.body, version.body) if before else [],
            })
        return {
            "id": row.id, "title": row.title, "subtitle": row.subtitle, "authors": list(row.authors or []),
            "source": row.source, "section": row.section, "url": row.url, "canonical_url": row.canonical_url,
            "link": safe_link(row.url), "published_at": kst_minutes(row.published_at),
            "modified_at": kst_minutes(row.modified_at), "fetched_at": kst_minutes(row.fetched_at),
            "ministries": list(row.ministries or []),
            "attachments": [{"name": str(a.get("name") or a.get("url") or ""), "url": a.get("url"),
                             "link": safe_link(a.get("url"))} for a in row.attachments or []],
            "body": row.body, "paragraphs": [p for p in row.body.split("\n") if p.strip()],
            "cluster": [{"id": m.article.id, "title": m.article.title, "source": m.article.source,
                         "published_at": kst_minutes(m.article.published_at), "similarity": round(m.similarity, 3)}
                        for m in members if m.article.id != row.id],
            "revisions": revisions if len(revisions) > 1 else [],
            "raw_html": f"/api/articles/{row.id}/raw" if _has_raw(session, row.id) else None,
        }


def _has_raw(session: Session, ident: int) -> bool:
    """Whether the crawled page is stored, without reading it (row.raw would load the whole page)."""
    return session.scalar(select(RawPage.article_id).where(RawPage.article_id == ident)) is not None


def raw_html(db_url: str, value: str) -> tuple[int, bytes, str]:
    """(id, the stored page, its encoding) for the download."""
    ident = article_id(value)
    with transaction(db_url) as session:
        row = repo.find_article(session, str(ident))
        if row is None:
            raise WebError(404, f"no article {ident} in the archive")
        raw = repo.raw_html(row)
        if raw is None:
            raise WebError(404, f"no raw html stored for article {ident}")
        return row.id, raw, (row.raw.encoding if row.raw and row.raw.encoding else "utf-8")
