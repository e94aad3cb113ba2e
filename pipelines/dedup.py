"""Deduplication: one row per canonical URL, one article per normalised body."""

from __future__ import annotations

from enum import Enum

from sqlalchemy.orm import Session

from core.article import Article
from storage import repository
from storage.models import Article as ArticleRow


class Verdict(Enum):
    NEW = "new"
    ARCHIVED = "archived"  # this canonical URL is already stored (or recorded as a duplicate)
    DUPLICATE = "duplicate"  # the same body is stored under another URL


def classify(session: Session, article: Article) -> tuple[Verdict, ArticleRow | None]:
    if repository.is_archived(session, article.canonical_url):
        return Verdict.ARCHIVED, repository.article_by_url(session, article.canonical_url)
    original = repository.article_by_hash(session, article.content_hash)
    if original is not None:
        return Verdict.DUPLICATE, original
    return Verdict.NEW, None
