"""Snippets with highlight spans, computed in Python from the stored text (the index holds bigrams)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storage.search.query import Term
from storage.search.tokens import CJK

_GAP = f"[^{CJK}0-9A-Za-z]*"


@dataclass(frozen=True)
class Snippet:
    """A piece of text and the [start, end) character spans in it that matched the query."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)

    def marked(self, start: str = "[", end: str = "]") -> str:
        """The text with every matched span wrapped in markers: `[재난]안전관리`."""
        out, last = [], 0
        for a, b in self.spans:
            out += [self.text[last:a], start, self.text[a:b], end]
            last = b
        out.append(self.text[last:])
        return "".join(out)


def term_pattern(terms: list[Term]) -> re.Pattern[str] | None:
    """One regex finding any of the terms in original text (case-insensitive, any punctuation between
    the words of a phrase)."""
    alternatives = sorted({_GAP.join(re.escape(run) for run in t.runs) for t in terms if t.runs},
                          key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


def spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def make_snippet(body: str, pattern: re.Pattern[str] | None, width: int = 150) -> Snippet:
    """The window of `width` characters of the body holding the most matches (the start if none)."""
    text = " ".join(body.split())
    found = spans(text, pattern)
    if len(text) <= width:
        return Snippet(text, found)
    start = 0
    if found:
        best = max(range(len(found)), key=lambda i: sum(
            1 for a, b in found[i:] if b <= found[i][0] - width // 4 + width))
        start = max(0, found[best][0] - width // 4)
    end = min(len(text), start + width)
    start = max(0, end - width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(a + shift, b + shift) for a, b in found if a >= start and b <= end]
    return Snippet(prefix + text[start:end] + suffix, inside)
