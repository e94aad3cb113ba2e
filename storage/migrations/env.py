from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import String

from storage import version_counter
from storage.db import get_engine
from storage.models import Base
from storage.search import schema, schema_deferred

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def compare_type(context: Any, inspected: Any, metadata: Any, inspected_type: Any, metadata_type: Any) -> bool | None:
    """On SQLite VARCHAR(n) and TEXT are one type (no length is enforced), and migration 0006 leaves the
    former columns as they were there: not a difference. Otherwise Alembic's own comparison (None)."""
    if context.dialect.name == "sqlite" and isinstance(inspected_type, String) and isinstance(metadata_type, String):
        return False
    return None


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """The search index (FTS5 / tsvector tables) and the change counter are raw DDL, not ORM models:
    autogenerate leaves them out."""
    return schema.include_name(name, type_, parent_names) and not (type_ == "table" and name == version_counter.TABLE)


def sqlite_include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """The foreign keys of an article's own rows are DEFERRABLE in the models, as on PostgreSQL (migration
    0015), where the crawl writes those rows before the article. SQLite's keep the form migration 0001 gave
    them (its writer never defers them, and changing a key there rebuilds the table: raw_pages holds every
    page), so they are not compared there."""
    return not (type_ == "foreign_key_constraint" and obj.table.name in schema_deferred.TABLES)


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url
    connectable = get_engine(url)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", include_name=include_name,
                          include_object=sqlite_include_object if connection.dialect.name == "sqlite" else None,
                          compare_type=compare_type)
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":  # rebuilding a large table may take minutes
                connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

