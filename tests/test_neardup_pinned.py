"""The LSH band keys and MinHash values stored in `article_bands` depend on datasketch's permutations
(seeded) and hashing: an upgrade that changed them would silently stop new articles from meeting the
archived copies of their story. These values were computed once; if this test fails after a datasketch
or numpy upgrade, the stored bands must be recomputed (a migration), or the upgrade held back."""

from __future__ import annotations

import numpy as np

from pipelines.neardup import BANDS, NUM_PERM, fingerprint_of

TEXT = "행정안전부는 3일 정부세종청사에서 재난안전 점검회의를 열고 겨울철 대설 대비 상황을 점검했다."


def test_band_keys_and_minhash_values_are_those_the_archive_stored() -> None:
    fingerprint = fingerprint_of(TEXT)
    assert len(fingerprint.keys) == BANDS
    assert fingerprint.keys[:4] == (7431255778654643245, -5963120372863311244, 4748959395127722890,
                                    -1112778479608283934)
    values = np.frombuffer(fingerprint.signature, np.uint32)
    assert len(values) == NUM_PERM
    assert values[:4].tolist() == [114301835, 81300915, 523116070, 83975640]
