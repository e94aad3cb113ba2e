"""rejected_pages.permanent; raw_pages keep what the listing said (listed_at, listed_ministries)

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The reasons that were permanent rejections when this migration was written (core/rejections.py).
# Before it, every reason starting with "not an article" or "no ministry" was: an empty or truncated page
# ("not an article: empty page", "... no body", "... unparseable page") now is fetched again.
_PERMANENT_PREFIXES = ("not an article: photo only", "not an article: list page", "not an article: error page",
                       "no ministry named", "duplicate of an archived article", "already archived")


def upgrade() -> None:
    with op.batch_alter_table("rejected_pages") as table:
        table.add_column(sa.Column("permanent", sa.Boolean(), nullable=False, server_default=sa.false()))
    rejected = sa.table("rejected_pages", sa.column("reason", sa.String()), sa.column("permanent", sa.Boolean()))
    op.execute(rejected.update()
               .where(sa.or_(*(rejected.c.reason.startswith(prefix, autoescape=True)
                               for prefix in _PERMANENT_PREFIXES)))
               .values(permanent=True))
    with op.batch_alter_table("raw_pages") as table:
        table.add_column(sa.Column("listed_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("listed_ministries", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("raw_pages") as table:
        table.drop_column("listed_ministries")
        table.drop_column("listed_at")
    with op.batch_alter_table("rejected_pages") as table:
        table.drop_column("permanent")
