"""Near-duplicate detection: a MinHash fingerprint over Korean character shingles, LSH bands persisted in
`article_bands`, and story-cluster assignment.

An article's candidates are the archived articles sharing at least one band within +-WINDOW_DAYS of its
publication day (an indexed look-up: the cost does not grow with the archive). Candidates are screened with
their stored MinHash values (an estimate of the overlap, no text read), and the plausible ones are
verified on their text: the overlap coefficient |A & B| / min(|A|, |B|) of the shingle sets, which stays
high for trimmed copies and copies with added paragraphs, where Jaccard similarity would drop.
Parameters were chosen with bench/dedup.py (see "Story clusters and revisions" in README.md).
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from pipelines.minhash import Fingerprint, day_number, estimated_overlap, fingerprint_of, overlap, shingles
from storage import clusters, fingerprints

WINDOW_DAYS = 3
THRESHOLD = 0.65  # overlap coefficient needed to join a cluster
MIN_SHINGLES = 40  # shorter bodies carry too little text to judge; they are fingerprinted but not linked
MAX_CANDIDATES = 10
# Candidates whose estimated overlap is below SCREEN are not compared on their text. The estimate from
# 64 MinHash values errs by more than 0.3 less than once in a thousand, even for a copy half the length
# of its original, so a copy at THRESHOLD is not screened out (bench/dedup.py: recall unchanged).
SCREEN = THRESHOLD - 0.3


@dataclass(frozen=True)
class Assignment:
    cluster_id: int | None  # None: no near-duplicate found
    matched_article_id: int | None = None
    similarity: float = 0.0


class _RecentShingles:
    """Shingle sets of recently fingerprinted articles: candidates are mostly articles stored moments ago
    by the same crawl, and re-shingling their bodies was the costliest part of verification."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._sets: OrderedDict[tuple[str, int], frozenset[str]] = OrderedDict()

    @staticmethod
    def _key(session: Session, article_id: int) -> tuple[str, int]:
        return str(session.get_bind().engine.url), article_id  # ids are per database

    def put(self, session: Session, article_id: int, shingle_set: frozenset[str]) -> None:
        key = self._key(session, article_id)
        self._sets[key] = shingle_set
        self._sets.move_to_end(key)
        while len(self._sets) > self.size:
            self._sets.popitem(last=False)

    def get(self, session: Session, article_id: int) -> frozenset[str] | None:
        return self._sets.get(self._key(session, article_id))


_recent = _RecentShingles()


def fingerprint(session: Session, article_id: int, body: str, published_at: datetime | None,
                replace: bool = False, made: Fingerprint | None = None) -> Fingerprint:
    """Store the article's bands and signature (replacing old ones after a revision); returns the
    fingerprint. `made` is the body's fingerprint when it was computed already (by the extraction worker)."""
    made = made or fingerprint_of(body)
    if replace:
        fingerprints.delete_fingerprint(session, article_id)
    _store_fingerprints(session, [(article_id, published_at, made)])
    return made


def _store_fingerprints(session: Session, made: Sequence[tuple[int, datetime | None, Fingerprint]],
                        written: AbstractSet[int] = frozenset()) -> None:
    for article_id, _, fingerprint_ in made:
        _recent.put(session, article_id, fingerprint_.shingles)
    write_ahead(session, [new for new in made if new[0] not in written])


def best_match(session: Session, article_id: int, made: Fingerprint,
               published_at: datetime | None) -> tuple[int, float] | None:
    """The archived article in the window most similar to this one, if similar enough."""
    if made.size < MIN_SHINGLES:
        return None
    day = day_number(published_at)
    bands = _Bands(fingerprints.band_rows(session, made.keys, _window(day)))
    candidates = bands.ranked(made, day, exclude=article_id)
    return _closest(session, made, candidates, fingerprints.signatures(session, candidates))


def assign(session: Session, article_id: int, body: str, published_at: datetime | None,
           made: Fingerprint | None = None) -> Assignment:
    """Fingerprint a newly stored article and put it in the cluster of its closest near-duplicate."""
    return assign_all(session, [(article_id, published_at, made or fingerprint_of(body))])[0]


def write_ahead(session: Session, made: Sequence[tuple[int, datetime | None, Fingerprint]]) -> None:
    """Bands and signatures of (article id, publication time, fingerprint). pipelines.store.reserve writes
    them before the writer lock, under ids drawn for articles not stored yet (perhaps never), and then
    tells assign_all those ids."""
    fingerprints.add_fingerprints(session, [(article_id, day_number(published_at), f.keys, f.size, f.signature)
                                            for article_id, published_at, f in made])


def assign_all(session: Session, new: Sequence[tuple[int, datetime | None, Fingerprint]],
               written: AbstractSet[int] = frozenset()) -> list[Assignment]:
    """`assign` for articles just stored: each is matched against the archive as it was before it (every
    archived article, and the batch's articles with smaller ids), exactly as if they were assigned one by
    one in id order, but the fingerprints are written and the candidates read with one statement each for
    all of them. The archive is read before the batch's own fingerprints are written: those are known here
    already. An archived article may have a larger id than the batch's (ids drawn before the writer lock,
    storage.bulk.reserve): it was stored before them all the same. `written`: ids whose fingerprints
    write_ahead wrote in this transaction (the batch's, and of pages found not to be new): left out of
    what is read of the archive, and not written again."""
    judged = [(article_id, day_number(published_at), made) for article_id, published_at, made in new
              if made.size >= MIN_SHINGLES]
    read = fingerprints.band_windows(session, [(center, made.keys) for _, center, made in judged], WINDOW_DAYS)
    bands = _Bands([row for row in read if row[0] not in written])
    batch = {article_id: (day_number(published_at), made) for article_id, published_at, made in new}
    bands.add([(article_id, day, key) for article_id, (day, made) in batch.items() for key in set(made.keys)])
    ranked = {article_id: bands.ranked(made, day, exclude=article_id, below=(article_id, batch.keys()))
              for article_id, day, made in judged}
    candidates = sorted({c for found in ranked.values() for c in found})
    stored = fingerprints.signatures(session, [c for c in candidates if c not in batch])
    stored.update({c: (batch[c][1].size, batch[c][1].signature) for c in candidates
                   if c in batch and batch[c][1].signature})
    _store_fingerprints(session, new, written)
    matches = []
    for article_id, _, made in sorted(judged, key=lambda new_article: new_article[0]):
        match = _closest(session, made, ranked[article_id], stored)
        if match is not None:
            matches.append((article_id, *match))
    joined = clusters.link_all(session, matches)
    found = {article_id: Assignment(joined[article_id], other_id, score) for article_id, other_id, score in matches}
    return [found.get(article_id, Assignment(None)) for article_id, _, _ in new]


def _window(day: int) -> range:
    return range(day - WINDOW_DAYS, day + WINDOW_DAYS + 1)


class _Bands:
    """Stored band rows by band key, to rank the candidates of many articles from one read."""

    def __init__(self, rows: Sequence[tuple[int, int, int]]):
        self.by_key: dict[int, list[tuple[int, int]]] = {}
        self.add(rows)

    def add(self, rows: Sequence[tuple[int, int, int]]) -> None:
        """More (article id, day, band hash) rows."""
        for article_id, band_day, key in rows:
            self.by_key.setdefault(key, []).append((article_id, band_day))

    def ranked(self, made: Fingerprint, day: int, exclude: int,
               below: tuple[int, AbstractSet[int]] | None = None) -> list[int]:
        """The MAX_CANDIDATES articles sharing most bands with `made` within the window around `day`
        (ties: lowest id first); with `below` (an id, a batch), none of the batch from that id on."""
        shared: Counter[int] = Counter(
            article_id for key in set(made.keys) for article_id, band_day in self.by_key.get(key, ())
            if abs(band_day - day) <= WINDOW_DAYS and article_id != exclude
            and (below is None or article_id < below[0] or article_id not in below[1]))
        ordered = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        return [article_id for article_id, _ in ordered[:MAX_CANDIDATES]]


def _closest(session: Session, made: Fingerprint, candidates: Sequence[int],
             stored: dict[int, tuple[int, bytes]]) -> tuple[int, float] | None:
    """Of the candidates, the one whose text overlaps `made` most, if at least THRESHOLD; candidates are
    screened with their stored MinHash values first."""
    plausible = [cand_id for cand_id in candidates
                 if cand_id not in stored  # archived before signatures were kept: compare the text
                 or estimated_overlap(made.size, made.signature, *stored[cand_id]) >= SCREEN]
    known = {cand_id: _recent.get(session, cand_id) for cand_id in plausible}
    missing = [cand_id for cand_id, cached in known.items() if cached is None]
    for cand_id, body in fingerprints.bodies(session, missing).items():
        known[cand_id] = frozenset(shingles(body))
    best: tuple[int, float] | None = None
    for cand_id, other in known.items():
        if other is None or len(other) < MIN_SHINGLES:
            continue
        score = overlap(made.shingles, other)
        if score >= THRESHOLD and (best is None or score > best[1]):
            best = (cand_id, score)
    return best


def _link(session: Session, article_id: int, other_id: int, score: float) -> Assignment:
    cluster_id = clusters.cluster_id_of(session, other_id)
    if cluster_id is None:
        cluster_id = clusters.new_cluster(session)
        clusters.join(session, other_id, cluster_id, 1.0)
    clusters.join(session, article_id, cluster_id, score)
    return Assignment(cluster_id, other_id, score)


def refingerprint(session: Session, article_id: int, body: str, published_at: datetime | None) -> None:
    """After a revision changed the body: new bands; an article in no cluster yet may now join one."""
    made = fingerprint(session, article_id, body, published_at, replace=True)
    if clusters.cluster_id_of(session, article_id) is not None:
        return
    match = best_match(session, article_id, made, published_at)
    if match is not None:
        _link(session, article_id, *match)


def reassign(session: Session, article_id: int, body: str, published_at: datetime | None) -> Assignment:
    """After re-extraction changed the body: new bands and signature, and the story cluster the new body
    belongs to (it leaves its old one, which is dissolved when one article would be left in it)."""
    clusters.leave(session, article_id)
    made = fingerprint(session, article_id, body, published_at, replace=True)
    match = best_match(session, article_id, made, published_at)
    return _link(session, article_id, *match) if match is not None else Assignment(None)
