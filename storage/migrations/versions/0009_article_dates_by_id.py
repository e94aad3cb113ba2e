"""Publication dates by article id in an index of their own, for the timeline's counts

The timeline (storage/search/timeline.py) groups the matching ids by their publication date. Looked up
in the table, each id costs a read of its row, whose date lies behind the article's text (often in an
overflow page); in this index the date is next to the id, and a year of a common word reads a few index
pages instead of thousands of rows (the timeline names the index: SQLite would rather use the rowid).
PostgreSQL keeps long text out of line (TOAST) and its planner keeps to the primary key for these
look-ups, so there the index is only a small cost to writes; it is made on both so that one schema
describes both (tests/test_search_schema.py compares it with the migrations).

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_articles_id_published_at", "articles", ["id", "published_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_id_published_at", table_name="articles")
