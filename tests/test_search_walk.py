"""PostgreSQL's walk asks for the rest of the archive at once as soon as the matches it has seen say the
rest holds few (migration 0016, storage/search/schema_walk.py)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from storage.db import alembic_config, get_engine
from storage.search import backends
from storage.search.facets import BLOCK_IDS
from storage.search.query import parse, to_pg_match
from storage.search.schema_pairs import GIN
from tests.search_fixtures import store_at


def _walk(db_url: str, query: str) -> tuple[list[int], int]:
    """The walk's matches and how many times it asked the GIN index, in one transaction."""
    with get_engine(db_url).begin() as conn:
        found = [i for i, _ in backends._pg_walk(conn, to_pg_match(parse(query)))]
        scans = conn.scalar(text("SELECT pg_stat_get_xact_numscans(CAST(:gin AS regclass))"),
                            {"gin": GIN})
    return found, int(scans or 0)


def test_a_sparse_walk_asks_for_the_rest_once_the_density_is_known(pg_url: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """One match every other block over 250 blocks (a million ids), as a search filtered by a ministry and
    a year looks at a million articles: the same matches, newest first, in a few scans, where the walk
    before it asked 8 blocks a scan up to 16 times the blocks it had walked."""
    matching = [block * BLOCK_IDS + 5 for block in range(0, 241, 2)]
    store_at(pg_url, enumerate(matching))
    store_at(pg_url, [(len(matching), 250 * BLOCK_IDS + 5)], body="다른 소식")  # the newest, no match
    monkeypatch.setattr(backends, "CANDIDATES", 1000)

    found, scans = _walk(pg_url, "재난")
    command.downgrade(alembic_config(pg_url), "0015")
    found_before, scans_before = _walk(pg_url, "재난")

    assert found == found_before == matching[::-1]
    assert 2 * scans <= scans_before, (scans, scans_before)  # 7 and 15 when written
    command.upgrade(alembic_config(pg_url), "head")
    assert _walk(pg_url, '"재난 대응 점검"')[0] == matching[::-1]  # a phrase checked by positions: block by block
