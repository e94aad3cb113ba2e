"""The one tokenisation the search index and the query parser share: Korean as character bigrams.

Why bigrams rather than Kiwi morphemes (kiwipiepy 0.24, measured on the 528 sentences of the corpus
pages): for ten common two-syllable words (재난 정부 안전 관리 기술 협력 지원 경제 시장 교류), Kiwi's
morphemes found 115 of the 151 sentences that contain them (76%: compounds and misanalysed words are not
always split), bigrams all 151, since bigram search is substring search for any query of two or more
syllables. Kiwi took 458 ms for those 33k characters (about 20 ms per article, hours for a million
articles inside INSERT triggers), bigrams 10 ms. The price of bigrams is a larger index.

Text is NFKC-normalised and lower-cased. A run of Hangul/Han/Kana becomes its overlapping character
pairs (a one-character run stays one token); a run of ASCII letters and digits stays one word. Everything
else separates tokens. PostgreSQL's `ko_tokens` (storage/search/schema.py) implements the same rules;
changing them needs a migration that rebuilds both indexes.

PostgreSQL also indexes each pair of neighbouring tokens as one token (`pair`, migration 0014; its
`ko_pairs`), without positions: a phrase of two tokens (a three-syllable word, two two-syllable words)
is then one index token, and a longer one an AND of its pairs, so the index finds (nearly) only its
true matches instead of every article holding all its bigrams somewhere.
"""

from __future__ import annotations

import re
import unicodedata

CJK = "\uac00-\ud7a3\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"([{CJK}]+)|([0-9a-z]+)")


def runs(text: str | None) -> list[str]:
    """The normalised runs of a text: each a CJK run or an ASCII word."""
    return [m.group(0) for m in _RUN.finditer(unicodedata.normalize("NFKC", text or "").lower())]


def tokens(text: str | None) -> list[str]:
    """Index tokens of a text, in order."""
    out: list[str] = []
    for run in runs(text):
        if len(run) == 1 or run[0] < "\u3040":
            out.append(run)
        else:
            out += map(str.__add__, run, run[1:])
    return out


def bigram_text(text: str | None) -> str:
    """The tokens joined by spaces: what goes into the SQLite FTS5 table (SQL function `ko_bigrams`)."""
    return " ".join(tokens(text))


def is_single_cjk(token: str) -> bool:
    """A one-syllable token: in a query it must match as a prefix (년 should find 년도)."""
    return len(token) == 1 and bool(re.match(f"[{CJK}]", token))


def pairs(toks: list[str] | tuple[str, ...]) -> list[str]:
    """The pair tokens of a token sequence, in order (duplicates kept): each token with the next,
    overlapping Korean bigrams (ab, bc) as their trigram abc, any other two as the tokens with a space
    between (ASCII words are whole words, never trigrams)."""
    return [a + b[1] if len(a) == 2 == len(b) and a[1] == b[0] and a[0] >= "\u3040" <= b[0] else f"{a} {b}"
            for a, b in zip(toks, toks[1:], strict=False)]
