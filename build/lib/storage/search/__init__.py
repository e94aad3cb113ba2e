"""Korean-aware full-text search over the archive (SQLite FTS5 / PostgreSQL tsvector over bigrams).

    from storage.search import search
    for hit in search("sqlite:///archive.db", "재난 -훈련", ministry="행안부", since=date(2024, 1, 1)):
        print(hit.title, hit.snippet.marked())
"""

from storage.search.api import SearchHit, search
from storage.search.query import SearchError
from storage.search.snippet import Snippet

__all__ = ["SearchError", "SearchHit", "Snippet", "search"]
