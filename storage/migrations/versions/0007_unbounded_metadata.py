"""metadata whose length means nothing becomes text, and a section's search token is bounded: a long ETag
or article:section no longer makes an article unstorable on PostgreSQL

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

from storage.search import schema_facets
from storage.search.schema import PG_TABLE

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, its former length)
WIDENED = [
    ("articles", "section", 255),
    ("articles", "language", 16),
    ("raw_pages", "encoding", 32),
    ("rejected_pages", "reason", 255),
    ("article_revisions", "etag", 255),
    ("article_revisions", "last_modified", 64),
    ("article_validators", "etag", 255),
    ("article_validators", "last_modified", 64),
]


def upgrade() -> None:
    # SQLite never enforced these lengths (VARCHAR(n) is TEXT there), and altering a column in SQLite
    # rebuilds the table and its search-index triggers: nothing to do. On PostgreSQL, varchar -> text
    # rewrites no rows.
    if op.get_bind().dialect.name != "postgresql":
        return
    with _without_facet_trigger():
        for table, column, length in WIDENED:
            op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(length))
    # a section's index token is cut to facets.MAX_NAME_BYTES: a tsvector lexeme holds at most 2047 bytes
    op.execute(f"CREATE OR REPLACE {schema_facets.PG_FACETS_FUNCTION}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    with _without_facet_trigger():
        for table, column, length in WIDENED:
            op.alter_column(table, column, type_=sa.String(length), existing_type=sa.Text(),
                            postgresql_using=f"left({column}, {length})")


@contextmanager
def _without_facet_trigger() -> Iterator[None]:
    """PostgreSQL refuses to change the type of a column a trigger names (UPDATE OF ... section)."""
    op.execute(f"DROP TRIGGER {PG_TABLE}_sync ON articles")
    yield
    op.execute(schema_facets.PG_SYNC_TRIGGER)
