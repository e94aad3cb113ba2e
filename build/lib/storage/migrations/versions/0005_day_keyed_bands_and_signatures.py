"""LSH bands keyed by day first; MinHash signatures for screening candidates

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild_bands(key: list[str]) -> None:
    """Recreate article_bands with `key` as its primary key, keeping its rows."""
    op.create_table(
        "article_bands_next",
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("band_hash", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint(*key),
        sqlite_with_rowid=key[0] != "day",
    )
    op.execute("INSERT INTO article_bands_next (day, band_hash, article_id) "
               "SELECT day, band_hash, article_id FROM article_bands")
    op.drop_index("ix_article_bands_article_id", table_name="article_bands")
    op.drop_table("article_bands")
    op.rename_table("article_bands_next", "article_bands")
    if op.get_bind().dialect.name == "postgresql":  # constraints keep the name they were created with
        for suffix in ("pkey", "article_id_fkey"):
            op.execute(f"ALTER TABLE article_bands RENAME CONSTRAINT article_bands_next_{suffix} "
                       f"TO article_bands_{suffix}")
    op.create_index("ix_article_bands_article_id", "article_bands", ["article_id"])


def upgrade() -> None:
    _rebuild_bands(["day", "band_hash", "article_id"])
    op.create_table(
        "article_signatures",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("shingles", sa.Integer(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )


def downgrade() -> None:
    op.drop_table("article_signatures")
    _rebuild_bands(["band_hash", "day", "article_id"])
