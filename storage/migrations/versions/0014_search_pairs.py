"""PostgreSQL: search index rows carry the pair tokens of their article's texts, so that the index answers
phrases

Revision ID: 0014
Revises: 0013
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from storage.search import schema_pairs

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in schema_pairs.PG_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in schema_pairs.PG_DOWN:
            op.execute(statement)
