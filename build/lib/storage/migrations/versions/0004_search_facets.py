"""search index facets: filters (ministry, source, section, KST dates) as index tokens

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from storage.search import schema, schema_facets

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    # A contentless FTS5 table cannot gain a column: SQLite rebuilds the index from the articles.
    _run(schema_facets.PG_UP if _postgres() else schema.SQLITE_DOWN + schema_facets.SQLITE_UP)


def downgrade() -> None:
    _run(schema_facets.PG_DOWN if _postgres() else schema_facets.SQLITE_DOWN + schema.SQLITE_UP)
