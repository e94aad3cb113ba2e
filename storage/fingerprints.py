"""Queries for the near-duplicate fingerprints: LSH bands and MinHash signatures (pipelines/neardup.py).
Functions take a Session and never commit: callers own transactions."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import Connection, delete, insert, select, text
from sqlalchemy.orm import Session

from storage.models import Article, ArticleBand, ArticleSignature
from storage.pg_arrays import int_array, text_array

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
        centers: dict[int, set[int]] = {}  # band key -> the days it is probed around
        for center, probe_keys in probes:
            for key in probe_keys:
                centers.setdefault(key, set()).add(center)
        if not centers:
            return []
        near = {day + shift for days in centers.values() for day in days for shift in range(-radius, radius + 1)}
        return [row for row in band_rows(session, centers, near)
                if any(abs(row[1] - center) <= radius for center in centers[row[2]])]
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
