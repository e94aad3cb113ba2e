"""search index: SQLite FTS5 over character bigrams, PostgreSQL bigram tsvector

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from storage.search import schema

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    _run(schema.PG_UP if op.get_bind().dialect.name == "postgresql" else schema.SQLITE_UP)


def downgrade() -> None:
    _run(schema.PG_DOWN if op.get_bind().dialect.name == "postgresql" else schema.SQLITE_DOWN)
