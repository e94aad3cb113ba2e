"""BM25 over the candidates, computed here from their text rather than by FTS5's bm25().

FTS5's bm25() first counts, for every phrase of the query, the rows of the whole table that contain it
(its IDF), which means intersecting the position lists of every bigram of the phrase across the archive:
at a million articles 90-180 ms for one longer word, more than the whole search may take. Here IDF comes
from a document frequency the caller estimates cheaply (backends.py), and the rest of Okapi BM25 from
the candidates' text, with FTS5's constants (k1 1.2, b 0.75) and its title weighting.

Term frequencies are counted with the same pattern that highlights the snippet (snippet.term_pattern),
so a hit counts where a reader sees one; document length is in characters, which for Korean is the
number of bigrams to within the number of words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence

from storage.search.query import Query, Term
from storage.search.snippet import term_pattern

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 4.0  # a hit in the title counts as four in the body

Text = tuple[str, str]
"""An article's title and its subtitle + body."""


def idf(document_frequency: float, documents: int) -> float:
    """FTS5's IDF: ln((N - n + 0.5) / (n + 0.5)), floored at a tiny positive value (a term in more
    than half of the archive says almost nothing about relevance)."""
    value = math.log((documents - document_frequency + 0.5) / (document_frequency + 0.5))
    return max(value, 1e-6)


def _counter(term: Term) -> Callable[[str], int] | None:
    """How many times the term occurs in a text: a plain substring count for one run without letters
    (most Korean words: several times faster than the regex), else the snippet's pattern."""
    if len(term.runs) == 1 and not re.search("[a-z]", term.runs[0]):
        run = term.runs[0]
        return lambda text: text.count(run)
    pattern = term_pattern([term])
    if pattern is None:
        return None
    return lambda text: len(pattern.findall(text))


def bm25(query: Query, texts: Mapping[int, Text], weights: Mapping[Term, float]) -> dict[int, float]:
    """Score every text for the query's positive terms (higher is better); `weights`: each term's IDF."""
    terms: Sequence[Term] = query.positive
    counters = [_counter(term) for term in terms]
    # A term that is a whole group must be in every match, even where its pattern misses (text that
    # only matches after NFKC normalisation): count it once then.
    required = [len(group) == 1 for group in query.groups for _ in group]
    lengths = {doc: len(title) + len(body) for doc, (title, body) in texts.items()}
    average = max(sum(lengths.values()) / max(len(lengths), 1), 1.0)
    scores: dict[int, float] = {}
    for doc, (title, body) in texts.items():
        norm = K1 * (1 - B + B * lengths[doc] / average)
        score = 0.0
        for term, count, must in zip(terms, counters, required, strict=True):
            if count is None:
                continue
            freq = TITLE_WEIGHT * count(title) + count(body)
            if freq == 0 and must:
                freq = 1.0
            score += weights.get(term, 1.0) * freq * (K1 + 1) / (freq + norm)
        scores[doc] = score
    return scores


def mention_test(query: Query) -> Callable[[str], bool]:
    """A test whether a text (a title) contains any positive term of the query."""
    counters = [count for count in map(_counter, query.positive) if count is not None]
    return lambda text: any(count(text) for count in counters)
