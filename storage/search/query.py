"""The query language: words (all must match), "exact phrases", -exclusions and OR.

Parsing never fails on odd input: quotes left open run to the end, parentheses and FTS operator
characters (* ^ : ( )) are punctuation, NEAR/AND/NOT are ordinary words. What reaches SQL is built only
from index tokens (CJK characters, ASCII letters and digits), always quoted, and passed as a bound
parameter."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storage.search.tokens import is_single_cjk, pairs, runs, tokens

MAX_QUERY_CHARS = 500
MAX_TERMS = 16


class SearchError(ValueError):
    """The query or a filter cannot be used; the message is one readable line."""


@dataclass(frozen=True)
class Term:
    """A word or phrase: its index tokens must appear consecutively."""

    text: str
    tokens: tuple[str, ...]
    runs: tuple[str, ...]

    @property
    def prefix(self) -> bool:
        """A trailing one-syllable token matches as a prefix: 2024년 finds 2024년도."""
        return len(self.tokens) > 0 and is_single_cjk(self.tokens[-1]) and len(self.tokens) > 1

    @property
    def paired(self) -> bool:
        """Found by its pair tokens (PostgreSQL, migration 0014): two or more tokens, no prefix."""
        return len(self.tokens) > 1 and not self.prefix

    @property
    def single(self) -> bool:
        """A one-syllable query word (재) can only match the start of a bigram."""
        return len(self.tokens) == 1 and is_single_cjk(self.tokens[0])


@dataclass(frozen=True)
class Query:
    groups: tuple[tuple[Term, ...], ...]  # every group must match; a group matches if any term does
    excluded: tuple[Term, ...]

    @property
    def positive(self) -> list[Term]:
        return [term for group in self.groups for term in group]


_ITEM = re.compile(r'(-?)"([^"]*)(?:"|$)|([^\s"]+)')


def _term(text: str) -> Term | None:
    toks = tuple(tokens(text))
    return Term(text, toks, tuple(runs(text))) if toks else None


def parse(text: str) -> Query:
    """Parse a user query; raises SearchError when nothing searchable is left."""
    if len(text) > MAX_QUERY_CHARS:
        raise SearchError(f"query too long: {len(text)} characters (at most {MAX_QUERY_CHARS})")
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for match in _ITEM.finditer(text):
        minus, phrase, bare = match.groups()
        if bare == "OR":
            pending_or = bool(groups)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            minus, phrase = "-", bare[1:]
        term = _term(phrase if phrase is not None else bare)
        if term is None:
            continue
        if minus:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if not groups:
        raise SearchError("nothing to search for: give at least one word that is not excluded"
                          if excluded else "empty query: give at least one word")
    if sum(len(g) for g in groups) + len(excluded) > MAX_TERMS:
        raise SearchError(f"too many words in the query (at most {MAX_TERMS})")
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))


# --- SQLite FTS5 ---------------------------------------------------------------------------------

def fts5_term(term: Term) -> str:
    """One term as an FTS5 phrase (a prefix query for a trailing single syllable)."""
    # Tokens hold no quotes or spaces (see tokens.py), so plain double quotes are safe.
    body = '"' + " ".join(term.tokens) + '"'
    return body + " *" if term.prefix or term.single else body


def _fts_group(group: tuple[Term, ...]) -> str:
    if len(group) == 1:
        return fts5_term(group[0])
    return "(" + " OR ".join(fts5_term(t) for t in group) + ")"


def to_fts5(query: Query, facets: Sequence[Sequence[str]] = ()) -> str:
    """The FTS5 MATCH expression for the query; `facets`: groups of facet tokens (facets.py), one of
    each group must be present. Facet tokens go first: the rarest list then tends to lead the walk."""
    expr = " AND ".join([*("(" + " OR ".join(f'"{tok}"' for tok in group) + ")" for group in facets),
                         *(_fts_group(g) for g in query.groups)])
    for term in query.excluded:
        expr = f"({expr}) NOT {fts5_term(term)}"
    return expr


# --- PostgreSQL tsquery --------------------------------------------------------------------------

def _ts_term(term: Term) -> str:
    parts = [f"'{tok}'" for tok in term.tokens]
    if term.prefix or term.single:
        parts[-1] += ":*"
    return "(" + " <-> ".join(parts) + ")"


def to_tsquery(query: Query, facets: Sequence[Sequence[str]] = ()) -> str:
    """The tsquery text for the query (to be cast with ::tsquery, bypassing the text parser)."""
    expr = " & ".join([*("(" + " | ".join(f"'{tok}'" for tok in group) + ")" for group in facets),
                       *("(" + " | ".join(_ts_term(t) for t in g) + ")" for g in query.groups)])
    for term in query.excluded:
        expr += f" & !{_ts_term(term)}"
    return expr


@dataclass(frozen=True)
class PgMatch:
    """How ko_walk finds a query's matches (migration 0014): rows whose `doc` matches `index` and whose
    `pairs` match `pairs` (both answered by the GIN index alone, no positions read), and, where positions
    matter, whose `doc` also passes `check` (the whole query, read from each such row). `exact`: the
    index's answer is (nearly) the matches, so the rest of an archive may be asked for at once."""

    index: str | None
    pairs: str | None
    check: str | None
    exact: bool


def _ts_pairs(term: Term) -> str:
    return "(" + " & ".join(f"'{p}'" for p in dict.fromkeys(pairs(term.tokens))) + ")"


def _ts_loose(term: Term) -> str:
    """The term's tokens without their order: what the index can tell without positions."""
    parts = [f"'{tok}'" for tok in dict.fromkeys(term.tokens)]
    if term.prefix or term.single:
        parts[-1] += ":*"
    return "(" + " & ".join(parts) + ")"


def to_pg_match(query: Query, facets: Sequence[Sequence[str]] = ()) -> PgMatch:
    """The query split for PostgreSQL's index: a group of one-token words stays in `index`, a group of
    phrases in `pairs` (one pair token for a phrase of two tokens, exact; their AND for longer ones,
    whose order `check` then tests); a mixed group, or phrases ending in a prefix, are asked of the
    index by their tokens and checked. Matches exactly what to_tsquery matches, except that a phrase
    no longer matches across the end of the title and the start of the body (as on SQLite)."""
    index = ["(" + " | ".join(f"'{tok}'" for tok in group) + ")" for group in facets]
    paired: list[str] = []
    check, exact = False, True
    for group in query.groups:
        if all(len(t.tokens) == 1 for t in group):
            index.append("(" + " | ".join(_ts_term(t) for t in group) + ")")
        elif all(t.paired for t in group):
            paired.append("(" + " | ".join(_ts_pairs(t) for t in group) + ")")
            check = check or any(len(t.tokens) > 2 for t in group)
        else:
            index.append("(" + " | ".join(_ts_loose(t) for t in group) + ")")
            check = True
            exact = False
    for term in query.excluded:
        if len(term.tokens) == 1 and index:
            index.append(f"!{_ts_term(term)}")
        else:
            check = True
    return PgMatch(" & ".join(index) or None, " & ".join(paired) or None,
                   to_tsquery(query) if check else None, exact)
