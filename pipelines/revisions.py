"""Revisions: a revisited article whose title or body changed gets a new revision, and the article row
takes the latest version; `history` and `word_diff` show how it changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from sqlalchemy.orm import Session

from core.article import Article as ArticleRecord
from core.timewindow import KST
from pipelines import neardup
from storage import clusters, repository
from storage.models import Article, RawPage

CONTEXT_WORDS = 6


class Change(Enum):
    """What a revisit found (the reason its page is counted under, pipelines.messages.Outcome)."""

    UNCHANGED = "unchanged"
    REVISED = "revised"
    CONFLICT = "conflict"  # the new body is stored already as another article: left as it was


@dataclass(frozen=True)
class Fetch:
    """The page a revisit fetched."""

    html: bytes
    encoding: str | None
    etag: str | None = None
    last_modified: str | None = None


def revise(session: Session, row: Article, record: ArticleRecord, fetch: Fetch) -> Change:
    """Compare a re-extracted record with the stored article and keep the change as a revision."""
    fetched_at = record.fetched_at or datetime.now(UTC)
    if record.title == row.title and record.content_hash == row.content_hash:
        clusters.set_validators(session, row.id, fetch.etag, fetch.last_modified, fetched_at)
        return Change.UNCHANGED
    holder = repository.article_by_hash(session, record.content_hash)
    if holder is not None and holder.id != row.id:
        clusters.set_validators(session, row.id, fetch.etag, fetch.last_modified, fetched_at)
        return Change.CONFLICT
    history = clusters.revisions(session, row.id)
    number = history[-1].number + 1 if history else 2
    if not history:
        old = clusters.validators(session, row.id)
        clusters.add_revision(session, row.id, 1, row.title, row.body, row.content_hash, row.modified_at,
                              row.fetched_at, old.etag if old else None, old.last_modified if old else None)
    clusters.add_revision(session, row.id, number, record.title, record.body, record.content_hash,
                          record.modified_at, fetched_at, fetch.etag, fetch.last_modified)
    body_changed = record.content_hash != row.content_hash
    repository.apply_record(row, record)
    compressed = repository.compress_html(fetch.html)
    if row.raw is None:
        row.raw = RawPage(html_zlib=compressed, encoding=fetch.encoding, fetched_at=fetched_at)
    else:
        row.raw.html_zlib, row.raw.encoding, row.raw.fetched_at = compressed, fetch.encoding, fetched_at
    session.flush()
    if body_changed:
        neardup.refingerprint(session, row.id, record.body, record.published_at)
    clusters.set_validators(session, row.id, fetch.etag, fetch.last_modified, fetched_at)
    return Change.REVISED


# --- showing the history --------------------------------------------------------------------------

@dataclass(frozen=True)
class Version:
    number: int
    title: str
    body: str
    modified_at: datetime | None
    fetched_at: datetime


def history(session: Session, row: Article) -> list[Version]:
    """Every known version, oldest first; an article never found changed has one."""
    revs = clusters.revisions(session, row.id)
    if not revs:
        return [Version(1, row.title, row.body, row.modified_at, row.fetched_at)]
    return [Version(r.number, r.title, r.body, r.modified_at, r.fetched_at) for r in revs]


Segment = tuple[str, str]
"""A piece of a word diff: ("same" | "removed" | "added" | "gap", text); a gap is the "…" of text left out."""


def diff_segments(old: str, new: str, context: int = CONTEXT_WORDS) -> list[list[Segment]]:
    """The changes between two texts over whitespace-separated words, one list of segments per change
    with up to `context` unchanged words around it. Empty when the words are the same."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    changes = []
    for group in matcher.get_grouped_opcodes(context):
        parts: list[Segment] = [("gap", "…")] if group[0][1] > 0 else []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                parts.append(("same", " ".join(a[i1:i2])))
                continue
            if i2 > i1:
                parts.append(("removed", " ".join(a[i1:i2])))
            if j2 > j1:
                parts.append(("added", " ".join(b[j1:j2])))
        if group[-1][2] < len(a):
            parts.append(("gap", "…"))
        changes.append(parts)
    return changes


_MARKS = {"removed": ("[-", "-]"), "added": ("{+", "+}")}


def word_diff(old: str, new: str, context: int = CONTEXT_WORDS) -> list[str]:
    """The changes between two texts over whitespace-separated words, one line per change:
    `… context [-removed words-] {+added words+} context …`. Empty when the words are the same."""
    def marked(kind: str, words: str) -> str:
        start, end = _MARKS.get(kind, ("", ""))
        return f"{start}{words}{end}"

    return [" ".join(marked(kind, words) for kind, words in change if words)
            for change in diff_segments(old, new, context)]


def _when(moment: datetime | None) -> str:
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M") if moment else "-"


def format_history(versions: list[Version]) -> str:
    """The history as text: each version's header, then its word-level diff from the one before."""
    out: list[str] = []
    for index, version in enumerate(versions):
        out.append(f"revision {version.number}  fetched {_when(version.fetched_at)}  "
                   f"modified {_when(version.modified_at)}")
        out.append(f"  title: {version.title}")
        if index == 0:
            out.append(f"  body: {len(version.body.split())} words")
            continue
        previous = versions[index - 1]
        title_changes = word_diff(previous.title, version.title)
        body_changes = word_diff(previous.body, version.body)
        out.extend(f"  title change: {line}" for line in title_changes)
        out.extend(f"  body change: {line}" for line in body_changes)
        if not title_changes and not body_changes:
            out.append("  (no word changes; spacing or punctuation only)")
    return "\n".join(out)
