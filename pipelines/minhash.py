"""An article body's fingerprint for near-duplicate detection (pipelines/neardup.py): its character
shingles, their MinHash values and the LSH band keys made of them. Pure functions of the text, with no
database: the extraction worker makes them before the store step."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from core.article import normalise_body
from core.timewindow import KST

SHINGLE_CHARS = 4
NUM_PERM = 64
BANDS = 32
ROWS = NUM_PERM // BANDS  # 2 rows per band: candidates from Jaccard ~0.2 up; verification decides
_EPOCH = date(1970, 1, 1)
_SEED = 7


def shingles(text: str) -> set[str]:
    """Overlapping character 4-grams of the normalised text with spacing removed (Korean outlets
    space the same sentence differently)."""
    compact = "".join(normalise_body(text).split())
    if len(compact) < SHINGLE_CHARS:
        return {compact} if compact else set()
    return {compact[i:i + SHINGLE_CHARS] for i in range(len(compact) - SHINGLE_CHARS + 1)}


# The permutations h -> a*h + b (mod 2**32, a odd) that datasketch 2's MinHash(num_perm=64, seed=7,
# scheme="affine32") draws, computed here as it does: the archive's stored bands and signatures were made with
# them (tests/test_neardup_pinned.py), and importing datasketch cost the workers' fork server a second
# (it imports scipy).
_DRAW = np.random.RandomState(_SEED)
_A = (_DRAW.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1))[:, None]
_B = _DRAW.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)[:, None]


def _premix(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (a bijection), applied to the shingle hashes before permuting."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _minhash(shingle_set: AbstractSet[str]) -> np.ndarray:
    """The MinHash values (uint32 array of NUM_PERM values): the least permuted hash per permutation.

    Shingles are hashed with CRC-32 (stable across processes, unlike hash(), and far cheaper than
    datasketch's default SHA-1 per shingle)."""
    hashes = _premix(np.fromiter(map(zlib.crc32, map(str.encode, shingle_set)), np.uint32, len(shingle_set)))
    return (_A * hashes + _B).min(axis=1)  # uint32 arithmetic wraps: that is the modulo 2**32


def _bands(values: np.ndarray) -> list[int]:
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "big") + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def band_hashes(shingle_set: AbstractSet[str]) -> list[int]:
    """The LSH band keys of the MinHash signature: one signed 64-bit integer per band."""
    return _bands(_minhash(shingle_set))


def overlap(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def day_number(moment: datetime | None) -> int:
    """Days since 1970-01-01 of the moment's KST date (today when unknown)."""
    when = moment.astimezone(KST).date() if moment is not None else datetime.now(KST).date()
    return (when - _EPOCH).days


@dataclass(frozen=True)
class Fingerprint:
    """What clustering needs of a body; a pure function of the text, so the extraction worker makes it."""

    shingles: frozenset[str]
    keys: tuple[int, ...]
    signature: bytes = b""  # the MinHash values as uint32

    @property
    def size(self) -> int:
        return len(self.shingles)


def fingerprint_of(body: str) -> Fingerprint:
    shingle_set = shingles(body)
    if not shingle_set:
        return Fingerprint(frozenset(), ())
    values = _minhash(shingle_set)
    return Fingerprint(frozenset(shingle_set), tuple(_bands(values)), values.astype(np.uint32).tobytes())


def estimated_overlap(size: int, signature: bytes, other_size: int, other_signature: bytes) -> float:
    """The overlap coefficient of two shingle sets, estimated from their sizes and MinHash values."""
    if not size or not other_size or len(signature) != len(other_signature):
        return 0.0
    agree = np.count_nonzero(np.frombuffer(signature, np.uint32) == np.frombuffer(other_signature, np.uint32))
    jaccard = agree / NUM_PERM
    common = jaccard * (size + other_size) / (1 + jaccard)
    return min(1.0, common / min(size, other_size))
