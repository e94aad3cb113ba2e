"""Near-duplicate fingerprints and cluster assignment, on real Korean text and both database backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

from alembic import command
from sqlalchemy import func, select

from core.article import Article as Record
from core.timewindow import KST
from newsarchive.demo.site.content_etoday import STORIES
from newsarchive.demo.site.content_korea_kr import RELEASES
from pipelines import minhash, neardup
from storage import clusters, fingerprints, repository
from storage.db import alembic_config, migrate, transaction
from storage.models import ArticleBand, ClusterMember
from tests.crawl_helpers import REPO_ROOT

STORY = {s.id: s for s in STORIES}
RELEASE = {r.id: r for r in RELEASES}
SNOW_NEWS = STORY[2572210]  # 행안부, 대설·한파 대비 중대본 가동 (etoday)
AI_CHIPS = STORY[2572301]  # 과기정통부, AI 반도체 실증 (etoday)
SIXG = STORY[2570105]  # 과기정통부, 6G 상용화 로드맵 (etoday): same ministry, another story
DIGITAL_TALENT = RELEASE[156741205]  # 과기정통부 디지털 인재 양성 (korea.kr)
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=KST)


def body(paragraphs: tuple[str, ...] | list[str]) -> str:
    return "\n\n".join(paragraphs)


def variant(paragraphs: tuple[str, ...]) -> list[str]:
    """A republished copy: the last paragraph trimmed, the first two swapped, a closing line added."""
    kept = list(paragraphs[:-1])
    kept[0], kept[1] = kept[1], kept[0]
    return [*kept, "한편 이번 발표에 대해 관련 업계는 대체로 환영한다는 입장을 밝혔다."]


def test_a_trimmed_reordered_copy_is_close_and_a_same_ministry_story_is_not() -> None:
    original = minhash.shingles(body(AI_CHIPS.paragraphs))
    copy = minhash.shingles(body(variant(AI_CHIPS.paragraphs)))
    other = minhash.shingles(body(SIXG.paragraphs))
    assert minhash.overlap(original, copy) >= neardup.THRESHOLD
    assert minhash.overlap(original, other) < neardup.THRESHOLD / 2
    shared = set(minhash.band_hashes(original)) & set(minhash.band_hashes(copy))
    assert shared, "a near-duplicate shares LSH bands with the original"
    assert minhash.band_hashes(original) == minhash.band_hashes(minhash.shingles(body(AI_CHIPS.paragraphs)))


def test_fingerprints_are_the_same_in_every_process() -> None:
    """Bands and signatures are stored and compared across crawls, so they must not depend on the
    process's string-hash seed (which changes the order a set of shingles is iterated in)."""
    made = minhash.fingerprint_of(body(AI_CHIPS.paragraphs))
    script = ("import json; from pipelines import minhash; from tests.test_neardup import AI_CHIPS, body; "
              "f = minhash.fingerprint_of(body(AI_CHIPS.paragraphs)); print(json.dumps([f.keys, f.signature.hex()]))")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": REPO_ROOT}).stdout
        keys, signature = json.loads(out)
        assert tuple(keys) == made.keys and signature == made.signature.hex()


def test_spacing_and_punctuation_do_not_change_the_fingerprint() -> None:
    text = body(SNOW_NEWS.paragraphs)
    respaced = text.replace(" ", "").replace(".", " . ")
    assert minhash.shingles(text) == minhash.shingles(respaced)


def _store(url: str, key: str, paragraphs: tuple[str, ...] | list[str], when: datetime,
           source: str = "etoday") -> tuple[int, neardup.Assignment]:
    link = f"https://example.test/{source}/{key}"
    record = Record(url=link, canonical_url=link, title=key, body=body(paragraphs), source=source,
                    published_at=when, fetched_at=when)
    with transaction(url) as session:
        row = repository.add_article(session, record, record.body.encode(), "utf-8")
        return row.id, neardup.assign(session, row.id, record.body, when)


def test_variants_join_one_cluster_and_same_topic_stays_apart(db_url: str) -> None:
    first, alone = _store(db_url, "ai-chips", AI_CHIPS.paragraphs, NOON)
    assert alone.cluster_id is None
    copy, joined = _store(db_url, "ai-chips-copy", variant(AI_CHIPS.paragraphs), NOON + timedelta(hours=5))
    assert joined.cluster_id is not None and joined.matched_article_id == first
    same_topic, apart = _store(db_url, "sixg", SIXG.paragraphs, NOON + timedelta(hours=1))
    assert apart.cluster_id is None
    third, again = _store(db_url, "ai-chips-third", AI_CHIPS.paragraphs[:-1], NOON - timedelta(days=2))
    assert again.cluster_id == joined.cluster_id
    with transaction(db_url) as session:
        members = [m.article.id for m in clusters.cluster_of(session, copy)]
        assert sorted(members) == sorted([first, copy, third])
        assert clusters.cluster_of(session, same_topic) == []
        bands = session.scalar(select(func.count()).select_from(ArticleBand)
                               .where(ArticleBand.article_id == first))
        assert bands is not None and 0 < bands <= minhash.BANDS


def test_copies_outside_the_time_window_are_not_linked(db_url: str) -> None:
    _store(db_url, "snow", SNOW_NEWS.paragraphs, NOON)
    _, late = _store(db_url, "snow-late", variant(SNOW_NEWS.paragraphs),
                     NOON + timedelta(days=neardup.WINDOW_DAYS + 2))
    assert late.cluster_id is None
    with transaction(db_url) as session:
        assert session.scalar(select(func.count()).select_from(ClusterMember)) == 0


def test_press_release_and_news_rewritten_from_it_are_linked(db_url: str) -> None:
    release = [p.removeprefix("□ ") for p in DIGITAL_TALENT.paragraphs]
    news = ["과학기술정보통신부가 올해 디지털 인재 15만 명 양성에 나선다.", *release[1:-1],
            "업계는 인재 양성 규모 확대를 반기면서도 현장 수요에 맞는 교육 과정이 필요하다고 지적했다."]
    release_id, _ = _store(db_url, "release", DIGITAL_TALENT.paragraphs, NOON, source="korea_kr")
    news_id, linked = _store(db_url, "news", news, NOON + timedelta(hours=3))
    assert linked.matched_article_id == release_id
    with transaction(db_url) as session:
        assert {m.article.source for m in clusters.cluster_of(session, news_id)} == {"korea_kr", "etoday"}


def test_collapse_keeps_the_best_ranked_hit_per_cluster_with_its_copy_count(sqlite_url: str) -> None:
    a, _ = _store(sqlite_url, "a", AI_CHIPS.paragraphs, NOON)
    b, _ = _store(sqlite_url, "b", variant(AI_CHIPS.paragraphs), NOON)
    c, _ = _store(sqlite_url, "c", SIXG.paragraphs, NOON)
    with transaction(sqlite_url) as session:
        collapsed = clusters.collapse(session, [b, c, a], article_id_of=lambda hit: hit)
    assert [(x.hit, x.copies) for x in collapsed] == [(b, 2), (c, 1)]


def test_deleting_an_article_removes_its_bands_and_membership(db_url: str) -> None:
    a, _ = _store(db_url, "a", AI_CHIPS.paragraphs, NOON)
    _store(db_url, "b", variant(AI_CHIPS.paragraphs), NOON)
    with transaction(db_url) as session:
        row = session.get(repository.Article, a)
        session.delete(row)
    with transaction(db_url) as session:
        assert session.scalar(select(func.count()).select_from(ArticleBand)
                              .where(ArticleBand.article_id == a)) == 0
        assert clusters.cluster_id_of(session, a) is None


def test_screening_dismisses_unrelated_candidates_without_losing_a_trimmed_copy() -> None:
    original = minhash.fingerprint_of(body(AI_CHIPS.paragraphs))
    trimmed = minhash.fingerprint_of(body(AI_CHIPS.paragraphs[: max(2, len(AI_CHIPS.paragraphs) // 2)]))
    other = minhash.fingerprint_of(body(SIXG.paragraphs))
    assert len(original.signature) == 4 * minhash.NUM_PERM
    exact = minhash.overlap(original.shingles, trimmed.shingles)
    estimate = minhash.estimated_overlap(original.size, original.signature, trimmed.size, trimmed.signature)
    assert exact >= neardup.THRESHOLD and abs(estimate - exact) < 0.3 and estimate >= neardup.SCREEN
    assert minhash.estimated_overlap(original.size, original.signature, other.size, other.signature) < neardup.SCREEN


def test_bands_and_signatures_survive_the_migration_that_rekeyed_them(db_url: str) -> None:
    first, _ = _store(db_url, "ai-chips", AI_CHIPS.paragraphs, NOON)

    def stored() -> tuple[int, int]:
        with transaction(db_url) as session:
            return (int(session.scalar(select(func.count()).select_from(ArticleBand)) or 0),
                    len(fingerprints.signatures(session, [first])))

    bands, signatures = stored()
    assert bands > 0 and signatures == 1
    command.downgrade(alembic_config(db_url), "0004")  # bands keyed by hash first again, no signatures
    with transaction(db_url) as session:
        assert session.scalar(select(func.count()).select_from(ArticleBand)) == bands
    migrate(db_url, "head")
    assert stored() == (bands, 0)
    copy, joined = _store(db_url, "ai-chips-copy", variant(AI_CHIPS.paragraphs), NOON + timedelta(hours=2))
    assert joined.matched_article_id == first  # found through the re-keyed bands, verified on its text
