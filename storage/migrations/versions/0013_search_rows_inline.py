"""PostgreSQL: search index rows carry their article's title and keep their tsvector inline (a search
reads both for every candidate)

Revision ID: 0013
Revises: 0012
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from storage.search import schema_rows

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in schema_rows.PG_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in schema_rows.PG_DOWN:
            op.execute(statement)
