"""Queries for story clusters, revisions and HTTP validators (the LSH bands: storage/fingerprints.py).
Functions take a Session and never commit: callers own transactions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from storage.models import (
    Article,
    ArticleRevision,
    ArticleValidator,
    ClusterMember,
    StoryCluster,
)
from storage.repository import utcnow

# --- clusters -------------------------------------------------------------------------------------

def new_cluster(session: Session) -> int:
    return session.execute(insert(StoryCluster).returning(StoryCluster.id), {"created_at": utcnow()}).scalar_one()


def cluster_id_of(session: Session, article_id: int) -> int | None:
    return session.scalar(select(ClusterMember.cluster_id).where(ClusterMember.article_id == article_id))


def join(session: Session, article_id: int, cluster_id: int, similarity: float) -> None:
    session.execute(insert(ClusterMember), [{"article_id": article_id, "cluster_id": cluster_id,
                                             "similarity": round(similarity, 4), "joined_at": utcnow()}])


def link_all(session: Session, matches: Sequence[tuple[int, int, float]]) -> dict[int, int]:
    """For each (article, its closest match, similarity) in order: the article joins the match's cluster,
    made (with the match as its first member) when the match has none, exactly as one `join` after the
    other would, but with one statement per table. Returns article id -> cluster id."""
    if not matches:
        return {}
    connection = session.connection()  # Core statements: the ORM's execution cost more than they do
    others = sorted({other for _, other, _ in matches})
    placed: dict[int, int] = {  # article -> cluster id; a new cluster: -(its number)
        row.article_id: row.cluster_id for row in connection.execute(
            select(ClusterMember.article_id, ClusterMember.cluster_id).where(ClusterMember.article_id.in_(others)))}
    members: list[tuple[int, float]] = []
    founded = 0
    for article_id, other_id, score in matches:
        if other_id not in placed:
            founded += 1
            placed[other_id] = -founded
            members.append((other_id, 1.0))
        placed[article_id] = placed[other_id]
        members.append((article_id, score))
    made = list(connection.scalars(insert(StoryCluster).returning(StoryCluster.id, sort_by_parameter_order=True),
                                   [{"created_at": utcnow()}] * founded)) if founded else []
    cluster_of = {article: made[-ref - 1] if ref < 0 else ref for article, ref in placed.items()}
    now = utcnow()
    connection.execute(insert(ClusterMember), [{"article_id": article, "cluster_id": cluster_of[article],
                                                "similarity": round(similarity, 4), "joined_at": now}
                                               for article, similarity in members])
    return {article_id: cluster_of[article_id] for article_id, _, _ in matches}


def leave(session: Session, article_id: int) -> None:
    """Take the article out of its cluster; a cluster left with one article is dissolved."""
    cluster_id = cluster_id_of(session, article_id)
    if cluster_id is None:
        return
    session.execute(delete(ClusterMember).where(ClusterMember.article_id == article_id))
    left = session.scalar(select(func.count()).select_from(ClusterMember).where(ClusterMember.cluster_id == cluster_id))
    if not left or left < 2:
        session.execute(delete(ClusterMember).where(ClusterMember.cluster_id == cluster_id))
        session.execute(delete(StoryCluster).where(StoryCluster.id == cluster_id))


@dataclass(frozen=True)
class Member:
    article: Article
    similarity: float


def cluster_members(session: Session, cluster_id: int) -> list[Member]:
    """The cluster's articles, oldest publication first."""
    query = (select(Article, ClusterMember.similarity)
             .join(ClusterMember, ClusterMember.article_id == Article.id)
             .where(ClusterMember.cluster_id == cluster_id)
             .order_by(Article.published_at.asc().nulls_last(), Article.id))
    return [Member(row[0], row[1]) for row in session.execute(query)]


def cluster_of(session: Session, article_id: int) -> list[Member]:
    """Every article in this article's story cluster (itself included); empty when it has none."""
    cluster_id = cluster_id_of(session, article_id)
    return cluster_members(session, cluster_id) if cluster_id is not None else []


def cluster_sizes(session: Session, article_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """article id -> (cluster id, number of articles in the cluster), for clustered articles only."""
    if not article_ids:
        return {}
    ids = list(dict.fromkeys(article_ids))
    member_rows = session.execute(select(ClusterMember.article_id, ClusterMember.cluster_id)
                                  .where(ClusterMember.article_id.in_(ids))).all()
    cluster_ids = {row.cluster_id for row in member_rows}
    sizes: dict[int, int] = {}
    if cluster_ids:
        counted = session.execute(select(ClusterMember.cluster_id, func.count())
                                  .where(ClusterMember.cluster_id.in_(cluster_ids))
                                  .group_by(ClusterMember.cluster_id))
        sizes = {cluster_id: int(count) for cluster_id, count in counted}
    return {row.article_id: (row.cluster_id, int(sizes[row.cluster_id])) for row in member_rows}


Hit = TypeVar("Hit")


@dataclass(frozen=True)
class Collapsed(Generic[Hit]):
    hit: Hit
    copies: int  # articles in the hit's story cluster (1 when it has none)
    cluster_id: int | None


def collapse(session: Session, hits: Sequence[Hit],
             article_id_of: Callable[[Hit], int] | None = None) -> list[Collapsed[Hit]]:
    """One result per story cluster, in the hits' order (the first, best-ranked hit stands for its
    cluster), with the number of copies the cluster holds. `article_id_of` maps a hit to its article
    id (default: the hit's `id` attribute)."""
    ids = [int(article_id_of(hit)) if article_id_of else int(_attr_id(hit)) for hit in hits]
    sizes = cluster_sizes(session, ids)
    seen: set[int] = set()
    out: list[Collapsed[Hit]] = []
    for hit, article_id in zip(hits, ids, strict=True):
        cluster_id, copies = sizes.get(article_id, (None, 1))
        if cluster_id is not None:
            if cluster_id in seen:
                continue
            seen.add(cluster_id)
        out.append(Collapsed(hit, copies, cluster_id))
    return out


def _attr_id(hit: Any) -> int:
    return int(hit.id)


# --- revisions and validators ---------------------------------------------------------------------

def revisions(session: Session, article_id: int) -> list[ArticleRevision]:
    return list(session.scalars(select(ArticleRevision).where(ArticleRevision.article_id == article_id)
                                .order_by(ArticleRevision.number)))


def add_revision(session: Session, article_id: int, number: int, title: str, body: str, content_hash: str,
                 modified_at: datetime | None, fetched_at: datetime, etag: str | None = None,
                 last_modified: str | None = None) -> ArticleRevision:
    row = ArticleRevision(article_id=article_id, number=number, title=title, body=body,
                          content_hash=content_hash, modified_at=modified_at, fetched_at=fetched_at,
                          etag=etag, last_modified=last_modified)
    session.add(row)
    session.flush()
    return row


def validators(session: Session, article_id: int) -> ArticleValidator | None:
    return session.get(ArticleValidator, article_id)


def set_validators(session: Session, article_id: int, etag: str | None, last_modified: str | None,
                   checked_at: datetime | None = None) -> None:
    row = session.get(ArticleValidator, article_id)
    if row is None:
        row = ArticleValidator(article_id=article_id)
        session.add(row)
    row.etag, row.last_modified, row.checked_at = etag, last_modified, checked_at or utcnow()


def touch_validators(session: Session, article_id: int) -> None:
    """A 304: the stored validators still hold; only the check time moves."""
    row = session.get(ArticleValidator, article_id)
    if row is not None:
        row.checked_at = utcnow()


@dataclass(frozen=True)
class RevisitTarget:
    article_id: int
    url: str
    etag: str | None
    last_modified: str | None
    published_at: datetime | None = None
    ministries: tuple[str, ...] = ()


def revisit_targets(session: Session, source: str, since: datetime) -> list[RevisitTarget]:
    """Articles of `source` published (or, undated, fetched) since `since`, with their validators."""
    published = Article.published_at >= since
    undated = Article.published_at.is_(None) & (Article.fetched_at >= since)
    query = (select(Article.id, Article.url, ArticleValidator.etag, ArticleValidator.last_modified,
                    Article.published_at, Article.ministries)
             .outerjoin(ArticleValidator, ArticleValidator.article_id == Article.id)
             .where(Article.source == source, published | undated)
             .order_by(Article.id))
    return [RevisitTarget(r.id, r.url, r.etag, r.last_modified, r.published_at, tuple(r.ministries or ()))
            for r in session.execute(query)]
