"""Queries for story clusters, LSH bands, revisions and HTTP validators. Functions take a Session and
never commit: callers own transactions."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, delete, func, insert, select, text
from sqlalchemy.orm import Session

from storage.models import (
    Article,
    ArticleBand,
    ArticleRevision,
    ArticleSignature,
    ArticleValidator,
    ClusterMember,
    StoryCluster,
)
from storage.pg_arrays import int_array, text_array
from storage.repository import utcnow

# --- bands ----------------------------------------------------------------------------------------

_PG_BANDS = text("INSERT INTO article_bands (day, band_hash, article_id) SELECT * FROM "
                 "unnest(CAST(:days AS integer[]), CAST(:keys AS bigint[]), CAST(:ids AS integer[]))")
_PG_SIGNATURES = text("INSERT INTO article_signatures (article_id, shingles, minhash) SELECT * FROM "
                      "unnest(CAST(:ids AS integer[]), CAST(:sizes AS integer[]), CAST(:minhashes AS bytea[]))")


def add_fingerprints(session: Session, rows: Sequence[tuple[int, int, Sequence[int], int, bytes]]) -> None:
    """Bands and signatures of several articles: (article id, day, band keys, shingle count, MinHash
    values); an empty signature is not stored. One multi-row statement per table."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _add_fingerprints_pg(connection, rows)
        return
    bands = [{"band_hash": key, "day": day, "article_id": article_id}
             for article_id, day, keys, _, _ in rows for key in sorted(set(keys))]
    signatures = [{"article_id": article_id, "shingles": size, "minhash": minhash}
                  for article_id, _, _, size, minhash in rows if minhash]
    if bands:
        connection.execute(insert(ArticleBand), bands)
    if signatures:
        connection.execute(insert(ArticleSignature), signatures)


def _add_fingerprints_pg(connection: Connection, rows: Sequence[tuple[int, int, Sequence[int], int, bytes]]) -> None:
    # three arrays, one statement (a row-per-row executemany of 32 bands per article cost more than
    # everything else the writer lock covers), each array one text literal (storage/pg_arrays.py)
    days: list[int] = []
    keys: list[int] = []
    ids: list[int] = []
    for article_id, day, article_keys, _, _ in rows:
        distinct = sorted(set(article_keys))
        keys += distinct
        days += [day] * len(distinct)
        ids += [article_id] * len(distinct)
    if keys:
        connection.execute(_PG_BANDS, {"days": int_array(days), "keys": int_array(keys), "ids": int_array(ids)})
    signed = [(article_id, size, minhash) for article_id, _, _, size, minhash in rows if minhash]
    if signed:
        connection.execute(_PG_SIGNATURES, {"ids": int_array(i for i, _, _ in signed),
                                            "sizes": int_array(n for _, n, _ in signed),
                                            "minhashes": text_array("\\x" + m.hex() for _, _, m in signed)})


def delete_fingerprint(session: Session, article_id: int) -> None:
    """The article's bands and signature, before a revised body is fingerprinted again."""
    session.execute(delete(ArticleBand).where(ArticleBand.article_id == article_id))
    session.execute(delete(ArticleSignature).where(ArticleSignature.article_id == article_id))


def band_rows(session: Session, keys: Collection[int], days: Collection[int]) -> list[tuple[int, int, int]]:
    """(article id, day, band hash) of every stored band with one of these keys on one of these days."""
    if not keys or not days:
        return []
    # Days as a list, not a range: (day, band_hash) pairs are then direct look-ups in the primary key.
    query = select(ArticleBand.article_id, ArticleBand.day, ArticleBand.band_hash).where(
        ArticleBand.day.in_(sorted(set(days))), ArticleBand.band_hash.in_(sorted(set(keys))))
    return [(row.article_id, row.day, row.band_hash) for row in session.execute(query)]


_PG_BAND_WINDOWS = text(
    "SELECT b.article_id, b.day, b.band_hash FROM article_bands AS b JOIN "
    "(SELECT DISTINCT q.day + w.shift AS day, q.band_hash FROM "
    "unnest(CAST(:days AS integer[]), CAST(:keys AS bigint[])) AS q(day, band_hash) "
    "CROSS JOIN generate_series(-CAST(:radius AS integer), CAST(:radius AS integer)) AS w(shift)) AS p "
    "ON b.day = p.day AND b.band_hash = p.band_hash")


def band_windows(session: Session, probes: Sequence[tuple[int, Sequence[int]]],
                 radius: int) -> list[tuple[int, int, int]]:
    """band_rows of every (day, band hash) pair within `radius` days of each probe (its day, its band
    keys), each pair looked up once: on PostgreSQL one look-up per pair, where the days and keys of a
    whole batch crossed are five times as many; the pairs are made by the server from the probes (the
    client sent seven times as many before). SQLite: band_rows, then filtered."""
    if session.connection().dialect.name != "postgresql":
        wanted = {(center + shift, key) for center, keys in probes for key in keys
                  for shift in range(-radius, radius + 1)}
        if not wanted:
            return []
        return [row for row in band_rows(session, {key for _, key in wanted}, {day for day, _ in wanted})
                if (row[1], row[2]) in wanted]
    days: list[int] = []
    keys: list[int] = []
    for center, probe_keys in probes:
        keys += probe_keys
        days += [center] * len(probe_keys)
    if not keys:
        return []
    rows = session.connection().execute(_PG_BAND_WINDOWS, {"days": int_array(days), "keys": int_array(keys),
                                                           "radius": radius})
    return [(row.article_id, row.day, row.band_hash) for row in rows]


_PG_SIGNATURES_OF = text("SELECT article_id, shingles, minhash FROM article_signatures "
                         "WHERE article_id = ANY(CAST(:ids AS integer[]))")


def signatures(session: Session, article_ids: Sequence[int]) -> dict[int, tuple[int, bytes]]:
    """article id -> (shingle count, MinHash values) for those that have one."""
    if not article_ids:
        return {}
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        rows = connection.execute(_PG_SIGNATURES_OF, {"ids": int_array(article_ids)})
    else:
        rows = connection.execute(select(ArticleSignature.article_id, ArticleSignature.shingles,
                                         ArticleSignature.minhash).where(ArticleSignature.article_id.in_(article_ids)))
    return {row.article_id: (row.shingles, row.minhash) for row in rows}


def bodies(session: Session, article_ids: Sequence[int]) -> dict[int, str]:
    if not article_ids:
        return {}
    rows = session.execute(select(Article.id, Article.body).where(Article.id.in_(article_ids)))
    return {row.id: row.body for row in rows}


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
    others = sorted({other for _, other, _ in matches})
    placed: dict[int, int] = dict(session.execute(  # article -> cluster id; a new cluster: -(its number)
        select(ClusterMember.article_id, ClusterMember.cluster_id).where(ClusterMember.article_id.in_(others))).all())
    members: list[tuple[int, float]] = []
    founded = 0
    for article_id, other_id, score in matches:
        if other_id not in placed:
            founded += 1
            placed[other_id] = -founded
            members.append((other_id, 1.0))
        placed[article_id] = placed[other_id]
        members.append((article_id, score))
    made = list(session.scalars(insert(StoryCluster).returning(StoryCluster.id, sort_by_parameter_order=True),
                                [{"created_at": utcnow()}] * founded)) if founded else []
    cluster_of = {article: made[-ref - 1] if ref < 0 else ref for article, ref in placed.items()}
    now = utcnow()
    session.execute(insert(ClusterMember), [{"article_id": article, "cluster_id": cluster_of[article],
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
