"""DDL of migration 0016 (PostgreSQL only): the walk trusts a density it has seen enough of.

ko_walk (schema_pairs.py) asks for the matches block by block, and asked for the rest of the archive at
once only when the blocks its density estimate called for reached the oldest; that estimate was capped
at 16 times the blocks walked, and checked only once every block of a step was asked for. So a sparse
query (a word among one ministry's articles since a year: two matches a block) walked a million
articles 8 blocks a scan, 12 scans of ~3 ms, where the rest at once took 5 ms.

Now, after any scan that leaves TRUST_FOUND matches found and, at their density, the blocks left holding
at most half the matches still wanted, the rest is asked for at once (exact queries only, as before).
Had the rest held no more than wanted, the walk would have read every match in it too; what this risks
is a word rare in the newest articles and several times as common in older ones, whose older matches
are then read and sorted in one scan where the capped walk stopped at the newest it wanted.
"""

from __future__ import annotations

from storage.search import schema_pairs

TRUST_FOUND = 8

TRUST = f"exact AND found >= {TRUST_FOUND} AND 2 * found * (block + 1) <= (wanted - found) * walked"
"""At the density seen, the blocks left hold at most half the matches still wanted."""

PG_UP = [schema_pairs.walk_function("CREATE OR REPLACE", TRUST)]
PG_DOWN = [schema_pairs.walk_function("CREATE OR REPLACE")]
