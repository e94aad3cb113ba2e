"""PostgreSQL: the store path may write an article's search index row itself (computed outside the
writer lock; the index trigger stands aside while it does), and index rows carry their id block's token
(searches read the newest blocks first)

Revision ID: 0011
Revises: 0009
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from storage.search import schema_writer

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in schema_writer.PG_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in schema_writer.PG_DOWN:
            op.execute(statement)
