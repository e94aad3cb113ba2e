"""The archive's change counter on PostgreSQL (migration 0012): `archive_version`, whose count goes up by
one in every transaction that changes something the web explorer shows, in that transaction, so that the
new count becomes visible to readers exactly when the change does (newsarchive/web/archive_version.py
reads it; why this design: its docstring).

The bump is a DEFERRABLE INITIALLY DEFERRED constraint trigger on the tables the pages read: it runs at
COMMIT, after every statement of the transaction, so the counter's row lock is the last lock a writer
takes and is held only through its commit. The trigger's WHEN queues it for the transaction's first
changed row only: it marks the transaction in a transaction-local setting (BUMP_SETTING) as it queues
(set_config in WHEN; a rolled-back savepoint drops the mark and the queued event together), so a batch of
thousands of rows costs one comparison per row (about a microsecond) and one UPDATE. A run's or a run
part's update that moves only its heartbeat does not count (the runs page, which shows run parts'
heartbeats, is never cached).

The count is the sum of SLOTS rows, and a transaction bumps the row of its connection's backend (pid
modulo SLOTS): with one row, each writer's commit waited for the previous one's WAL flush, so concurrent
small commits no longer shared a flush (pgbench, 4 clients committing one row each: a third of the
transactions per second); with the rows, only two connections on one slot take turns.

Not watched, since no page shows them: duplicates, rejected_pages, article_validators (a revisit's 304),
article_bands and article_signatures. A transaction that writes a watched table and then alters or indexes
it must bump first (SET CONSTRAINTS ALL IMMEDIATE): PostgreSQL refuses ALTER TABLE and CREATE INDEX on a
table with pending trigger events (storage/search/rebuild.py; a migration that fills a column does so
last). TRUNCATE fires no row trigger: only bench's bulk loads truncate the
search index, and they write articles in the same run. SQLite needs none of this (PRAGMA data_version)."""

from __future__ import annotations

from storage.search.schema import PG_TABLE

TABLE = "archive_version"
BUMP_SETTING = "newsarchive.version_bumped"
SLOTS = 16
WATCHED = ("articles", "article_ministries", "raw_pages", "article_revisions", "story_clusters",
           "cluster_members", PG_TABLE, "crawl_runs", "crawl_run_parts")
HEARTBEATS = ("crawl_runs", "crawl_run_parts")
"""Tables whose rows a live process updates for its heartbeat alone."""

# The database's oid and the epoch tell this archive's counter from another's at the same count: a copy made
# from it as a template, a database dropped and made again under the same name (back at 0), a restore.
READ = (f"SELECT d.oid || '.' || min(v.epoch) || ':' || sum(v.n) FROM {TABLE} v JOIN pg_database d "
        "ON d.datname = current_database() GROUP BY d.oid")

_FIRST = (f"current_setting('{BUMP_SETTING}', true) IS DISTINCT FROM 'queued' "
          f"AND set_config('{BUMP_SETTING}', 'queued', true) = 'queued'")
# CASE: the mark is set only once the row is known to count (AND's operands may run in any order)
_NOT_HEARTBEAT = ("CASE WHEN (to_jsonb(OLD) - 'heartbeat_at') IS DISTINCT FROM (to_jsonb(NEW) - 'heartbeat_at') "
                  f"THEN {_FIRST} ELSE false END")


def _trigger(table: str, events: str, when: str, suffix: str = "") -> str:
    return (f"CREATE CONSTRAINT TRIGGER {TABLE}_{table}{suffix} AFTER {events} ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {TABLE}_bump()")


def _triggers() -> list[str]:
    statements = []
    for table in WATCHED:
        if table in HEARTBEATS:
            statements += [_trigger(table, "INSERT OR DELETE", _FIRST),
                           _trigger(table, "UPDATE", _NOT_HEARTBEAT, "_update")]
        else:
            statements.append(_trigger(table, "INSERT OR UPDATE OR DELETE", _FIRST))
    return statements


def _trigger_names() -> list[tuple[str, str]]:
    return [(table, f"{TABLE}_{table}{suffix}") for table in WATCHED
            for suffix in (("", "_update") if table in HEARTBEATS else ("",))]


PG_UP = [
    f"""CREATE TABLE {TABLE} (
      slot smallint PRIMARY KEY,
      epoch text NOT NULL,
      n bigint NOT NULL DEFAULT 0)""",
    f"""INSERT INTO {TABLE} (slot, epoch)
      SELECT slot, e.epoch FROM generate_series(0, {SLOTS - 1}) AS slot,
      (SELECT substr(md5(random()::text || clock_timestamp()::text), 1, 12) AS epoch) AS e""",
    f"""CREATE FUNCTION {TABLE}_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE {TABLE} SET n = n + 1 WHERE slot = pg_backend_pid() % {SLOTS};
      RETURN NULL;
    END $$""",
    *_triggers(),
]

PG_DOWN = [
    *(f"DROP TRIGGER {name} ON {table}" for table, name in _trigger_names()),
    f"DROP FUNCTION {TABLE}_bump()",
    f"DROP TABLE {TABLE}",
]
