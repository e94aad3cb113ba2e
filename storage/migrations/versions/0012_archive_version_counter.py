"""PostgreSQL: a counter of the archive's changes, bumped once at the commit of every transaction that
changes what the web explorer shows (storage/version_counter.py), for the web's response cache

Revision ID: 0012
Revises: 0011
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from storage import version_counter

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in version_counter.PG_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in version_counter.PG_DOWN:
            op.execute(statement)
