"""The archive's tables, as typed SQLAlchemy 2.0 models. Schema changes go through Alembic.

Text, not String(n), for whatever a page supplies and no length bounds (section, ETag, encoding...):
on PostgreSQL an over-long value would make the article unstorable (migration 0006)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


def _own_row_key() -> ForeignKey:
    """The foreign key of an article's own rows, which the crawl writes before the article on PostgreSQL
    (migration 0015, storage/search/schema_deferred.py): checked at once unless a transaction defers it.
    SQLite's keys stay as migration 0001 made them (storage/migrations/env.py)."""
    return ForeignKey("articles.id", ondelete="CASCADE", deferrable=True, initially="IMMEDIATE")


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String(1024), unique=True)
    url: Mapped[str] = mapped_column(String(2048))
    source: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(Text)
    subtitle: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    modified_at: Mapped[datetime | None]
    authors: Mapped[list[Any]] = mapped_column(default=list)
    section: Mapped[str] = mapped_column(Text, default="")
    images: Mapped[list[Any]] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(Text, default="ko")
    ministries: Mapped[list[Any]] = mapped_column(default=list)
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    fetched_at: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"))

    raw: Mapped[RawPage | None] = relationship(back_populates="article", cascade="all, delete-orphan")
    ministry_links: Mapped[list[ArticleMinistry]] = relationship(
        back_populates="article", cascade="all, delete-orphan")

    # the timeline reads dates by id (migration 0009)
    __table_args__ = (Index("ix_articles_id_published_at", "id", "published_at"),)


class ArticleMinistry(Base):
    """One row per (article, official ministry name): what `--ministry` filters on."""

    __tablename__ = "article_ministries"

    article_id: Mapped[int] = mapped_column(_own_row_key(), primary_key=True)
    ministry: Mapped[str] = mapped_column(String(128), primary_key=True)

    article: Mapped[Article] = relationship(back_populates="ministry_links")

    __table_args__ = (Index("ix_article_ministries_ministry", "ministry", "article_id"),)


class RawPage(Base):
    """The fetched html, zlib-compressed, so extraction can be re-run without crawling."""

    __tablename__ = "raw_pages"

    article_id: Mapped[int] = mapped_column(_own_row_key(), primary_key=True)
    html_zlib: Mapped[bytes] = mapped_column(LargeBinary)
    encoding: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime]
    # What the listing said beyond the page (migration 0006), so that re-extraction keeps it: the
    # listing's time (korea.kr pages show only the day) and ministries. NULL: stored before 0006.
    listed_at: Mapped[datetime | None]
    listed_ministries: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)

    article: Mapped[Article] = relationship(back_populates="raw")


class Duplicate(Base):
    """A page whose normalised body is already archived under another canonical URL."""

    __tablename__ = "duplicates"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String(1024), unique=True)
    url: Mapped[str] = mapped_column(String(2048))
    source: Mapped[str] = mapped_column(String(64))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    found_at: Mapped[datetime]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"))


class RunCounters:
    """What a crawl run, and each worker's part of one, counts (storage.repository.RUN_COUNTERS), and its
    reasons for the pages it did not store."""

    listed: Mapped[int] = mapped_column(default=0)
    fetched: Mapped[int] = mapped_column(default=0)
    stored: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    reasons: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CrawlRun(RunCounters, Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    spider: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")  # running|finished|failed|killed
    reason: Mapped[str] = mapped_column(Text, default="")
    window_start: Mapped[datetime | None]
    window_end: Mapped[datetime | None]
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))  # the machine the run's process runs on
    heartbeat_at: Mapped[datetime | None]  # the run's last sign of life (every counter flush)


class CrawlRunPart(RunCounters, Base):
    """One worker process's share of a distributed crawl run (`newsarchive worker`): its machine, its
    liveness and its own counters. The run's counters are the sum of its parts (storage/runparts.py)."""

    __tablename__ = "crawl_run_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")  # running|finished|failed|killed|lost
    reason: Mapped[str] = mapped_column(Text, default="")


class RejectedPage(Base):
    """A fetched page that was not archived (not an article, no ministry, fetch error), per run."""

    __tablename__ = "rejected_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048), index=True)  # canonical where the page was an item
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
    # a later fetch would not change it (core.rejections): the page is not downloaded again
    permanent: Mapped[bool] = mapped_column(default=False, server_default=false())

    __table_args__ = (UniqueConstraint("run_id", "url", name="uq_rejected_run_url"),)


# --- story clusters and revisions (migration 0003) -------------------------------------------------

class StoryCluster(Base):
    """Articles telling one story (a wire story's copies, a press release and the news written from it)."""

    __tablename__ = "story_clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]


class ClusterMember(Base):
    """An article's place in a story cluster; articles with no near-duplicate have no row."""

    __tablename__ = "cluster_members"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("story_clusters.id", ondelete="CASCADE"), index=True)
    similarity: Mapped[float]  # to the article it matched when it joined (1.0 for the first member)
    joined_at: Mapped[datetime]


class ArticleBand(Base):
    """One MinHash LSH band of an article's fingerprint, keyed with its publication day (days since
    1970-01-01, KST) so that a look-up reads only the bands of the time window.

    The day leads the key (migration 0005): new articles are recent, so their 32 bands land together at
    the end of the index instead of on 32 random pages, and storing costs the same at any archive size."""

    __tablename__ = "article_bands"
    __table_args__ = {"sqlite_with_rowid": False}

    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    band_hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(_own_row_key(), primary_key=True, index=True)


class ArticleSignature(Base):
    """An article's MinHash values and shingle count (migration 0005). Band candidates are screened with
    them, so only plausible near-duplicates have their text compared."""

    __tablename__ = "article_signatures"

    article_id: Mapped[int] = mapped_column(_own_row_key(), primary_key=True)
    shingles: Mapped[int]
    minhash: Mapped[bytes] = mapped_column(LargeBinary)


class ArticleRevision(Base):
    """A version of an article. Written when a revisit finds a change: the first change stores the
    original as number 1, then each changed version; the article row always holds the latest."""

    __tablename__ = "article_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    modified_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime]
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("article_id", "number", name="uq_article_revision_number"),)


class ArticleValidator(Base):
    """The HTTP validators of an article's last fetch, for conditional revisits."""

    __tablename__ = "article_validators"

    article_id: Mapped[int] = mapped_column(_own_row_key(), primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime]
