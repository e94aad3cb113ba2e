"""Golden extraction tests: every page under tests/fixtures/extraction/ against its expected JSON.

Expected JSON (sorted keys) states exact metadata, the decisive start and end of the body, the
furniture strings that must not appear, and for pages with a full gold body (shipped corpus gold or
our own site pages) the minimum bag-of-words F1. A page without expected JSON fails the suite."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from core.article import NotAnArticle
from pipelines.extract import extract

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extraction"
PAGES = sorted(FIXTURES.rglob("*.html"))
MIN_F1 = {"sites": 0.98, "corpus": 0.97}


def tokens(text: str) -> Counter[str]:
    # goose3's gold glues paragraphs ("…다.“다음"): split after sentence punctuation on both sides alike
    return Counter(re.sub(r"([.!?”\"’)])(?=\S)", r"\1 ", text).split())


def body_f1(candidate: str, gold: str) -> float:
    cand, ref = tokens(candidate), tokens(gold)
    overlap = sum((cand & ref).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(cand.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def load_expected(page: Path) -> dict[str, Any]:
    expected_path = page.with_suffix(".json")
    assert expected_path.exists(), f"{page.name} has no expected JSON ({expected_path.name})"
    data: dict[str, Any] = json.loads(expected_path.read_text(encoding="utf-8"))
    assert list(data) == sorted(data), f"{expected_path.name}: keys must be sorted"
    return data


def test_fixture_set_is_complete() -> None:
    assert len(PAGES) >= 20
    missing = [p.name for p in PAGES if not p.with_suffix(".json").exists()]
    assert not missing, f"fixture pages without expected JSON: {missing}"
    orphans = [j.name for j in FIXTURES.rglob("*.json") if not j.with_suffix(".html").exists()]
    assert not orphans, f"expected JSON without a page: {orphans}"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_golden_page(page: Path) -> None:
    expected = load_expected(page)
    html = page.read_bytes()
    if "not_an_article" in expected:
        with pytest.raises(NotAnArticle) as info:
            extract(html, expected["url"])
        assert info.value.reason == expected["not_an_article"]
        return
    article = extract(html, expected["url"], source="golden", fetched_at=datetime(2026, 1, 1).astimezone())
    body = article.body
    assert body.startswith(expected["body_start"]), body[:120]
    assert body.endswith(expected["body_end"]), body[-120:]
    for furniture in expected.get("must_not_contain", []):
        assert furniture not in body, f"furniture {furniture!r} in body"
    assert "\n\n" not in body and body == body.strip()
    if "gold_body" in expected:
        group = "sites" if "sites" in page.parts else "corpus"
        assert body_f1(body, expected["gold_body"]) >= MIN_F1[group]
    for key in ("title", "subtitle", "section", "language"):
        if key in expected:
            assert getattr(article, key) == expected[key], key
    if "subtitle_nospace" in expected and "subtitle" not in expected:
        assert "".join(article.subtitle.split()) == expected["subtitle_nospace"]
    for key in ("authors", "ministries"):
        if key in expected:
            assert getattr(article, key) == expected[key], key
    for key in ("published_at", "modified_at"):
        if key in expected:
            value = getattr(article, key)
            want = expected[key]
            assert (value.isoformat() if value else None) == want, key
            if value is not None:
                assert value.utcoffset() is not None and value.utcoffset().total_seconds() == 9 * 3600
    if "image_captions" in expected:
        assert [i.caption for i in article.images if i.caption] == expected["image_captions"]
        for caption in expected["image_captions"]:
            # a short caption ("박채규 대표") also occurs in the text itself: then only never as a line
            assert caption not in (body if len(caption) >= 30 else body.splitlines())
    if "attachments" in expected:
        assert [a.name for a in article.attachments] == expected["attachments"]
    record = article.to_dict()
    assert record["canonical_url"] and record["content_hash"] and record["source"] == "golden"
