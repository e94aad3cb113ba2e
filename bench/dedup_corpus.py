"""The synthetic news of bench/dedup.py: articles built from real Korean sentences (the shared corpus'
expected texts, the extraction fixtures and the local test site's stories), as base stories, their
near-duplicate variants and unrelated articles on the same topics, each with the base story it truly
belongs to."""

from __future__ import annotations

import glob
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from core.article import content_hash
from core.timewindow import KST

ROOT = Path(__file__).resolve().parent.parent

TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=KST)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def load_topics() -> list[list[str]]:
    """Sentences of each real source text; one list per text (a topic)."""
    texts: list[str] = []
    files = glob.glob(str(ROOT.parent / "shared/corpus/expected/*.json"))
    files += glob.glob(str(ROOT / "tests/fixtures/extraction/**/*.json"), recursive=True)
    for name in sorted(files):
        texts += [s for s in _strings(json.loads(Path(name).read_text("utf-8")))
                  if len(s) > 200 and re.search("[가-힣]", s)]
    from newsarchive.demo.site.content_etoday import STORIES
    from newsarchive.demo.site.content_korea_kr import RELEASES
    texts += [" ".join(s.paragraphs) for s in STORIES] + [" ".join(r.paragraphs) for r in RELEASES]
    seen: set[str] = set()
    topics = []
    for text in texts:
        sentences = []
        for sentence in _SENTENCE.split(text):
            sentence = sentence.strip()
            if len(sentence) >= 25 and len(re.findall("[가-힣]", sentence)) > 10 and sentence not in seen:
                seen.add(sentence)
                sentences.append(sentence)
        if len(sentences) >= 4:
            topics.append(sentences)
    return topics


@dataclass
class Synthetic:
    key: int
    truth: int  # the base story it belongs to
    title: str
    sentences: list[str]
    published_at: datetime

    @property
    def body(self) -> str:
        paragraphs = [" ".join(self.sentences[i:i + 3]) for i in range(0, len(self.sentences), 3)]
        return "\n\n".join(paragraphs)


def _edit_words(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    for _ in range(min(2, len(words))):
        at = rng.randrange(len(words))
        words[at] = words[at] + rng.choice(["도", "은", "만", "까지"])
    return " ".join(words)


def variant(base: Synthetic, key: int, pool: list[str], rng: random.Random) -> Synthetic:
    sentences = list(base.sentences)
    for op in rng.sample(["trim", "add", "reorder", "edit"], rng.randint(1, 3)):
        if op == "trim":
            for _ in range(rng.randint(1, max(1, len(sentences) // 4))):
                del sentences[rng.randrange(len(sentences))]
        elif op == "add":
            for _ in range(rng.randint(1, 3)):
                sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(pool))
        elif op == "reorder":
            for _ in range(rng.randint(1, 3)):
                i = rng.randrange(len(sentences) - 1)
                sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
        else:
            i = rng.randrange(len(sentences))
            sentences[i] = _edit_words(sentences[i], rng)
    title = "[종합] " + base.title.split(" ", 1)[-1] + rng.choice(["…정부 발표", " 추진", "", " (상보)"])
    when = base.published_at + timedelta(hours=rng.randint(-48, 48))
    return Synthetic(key, base.truth, title, sentences, when)


def build(n: int, seed: int, days: int, end: datetime) -> list[Synthetic]:
    rng = random.Random(seed)
    topics = load_topics()
    pool = [s for topic in topics for s in topic]
    n_variants, n_related = n // 5, n // 20
    n_bases = n - n_variants - n_related
    items: list[Synthetic] = []
    base_topic: dict[int, int] = {}
    for key in range(n_bases):
        t = rng.randrange(len(topics))
        sentences = rng.sample(topics[t], min(4, len(topics[t]))) + rng.sample(pool, rng.randint(8, 12))
        rng.shuffle(sentences)
        when = end - timedelta(days=rng.random() * days)
        items.append(Synthetic(key, key, f"기사 {key} " + sentences[0][:30], sentences, when))
        base_topic[key] = t
    bases = list(items)
    key = n_bases
    for _ in range(n_variants):
        items.append(variant(rng.choice(bases), key, pool, rng))
        key += 1
    for _ in range(n_related):
        base = rng.choice(bases)
        topic = topics[base_topic[base.truth]]
        sentences = rng.sample(topic, min(4, len(topic))) + rng.sample(pool, rng.randint(8, 12))
        rng.shuffle(sentences)
        items.append(Synthetic(key, key, base.title, sentences, base.published_at + timedelta(hours=1)))
        key += 1
    rng.shuffle(items)
    return _distinct(items)


def _distinct(items: list[Synthetic]) -> list[Synthetic]:
    """Drop exact duplicates (a variant whose edits cancelled out): dedup stores those as duplicates."""
    seen: set[str] = set()
    out = []
    for item in items:
        digest = content_hash(item.body)
        if digest not in seen:
            seen.add(digest)
            out.append(item)
    return out
