"""PostgreSQL: a search index row's foreign key on its article is deferrable, so that the crawl writes the
rows before it takes the writer lock

Revision ID: 0015
Revises: 0014
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from storage.search import schema_deferred

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in schema_deferred.PG_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in schema_deferred.PG_DOWN:
            op.execute(statement)
