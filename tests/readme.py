"""README.md as test input: the tests run what the manual shows, copied from its text."""

from __future__ import annotations

import re
import shlex

from tests.conftest import REPO_ROOT

README = REPO_ROOT / "README.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def section(title: str) -> str:
    """The text under the heading `title` (any level), up to the next heading of the same or a higher level."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^(#+) {re.escape(title)}\n", text, re.M)
    if match is None:
        raise AssertionError(f"README.md has no section {title!r}")
    level = len(match.group(1))
    end = re.compile(rf"^#{{1,{level}}} ", re.M).search(text, match.end())
    return text[match.end():end.start() if end else len(text)]


def code_blocks(text: str, lang: str | None = None) -> list[str]:
    """The fenced code blocks of `text` (only those marked `lang`, when given)."""
    return [body for mark, body in _FENCE.findall(text) if lang is None or mark == lang]


def commands(text: str, program: str = "newsarchive") -> list[list[str]]:
    """Every line of the sh blocks of `text` that runs `program`, as argv with the comment and any
    redirection removed."""
    found = []
    for block in code_blocks(text, "sh"):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == program:
                found.append(words[:words.index(">")] if ">" in words else words)
    return found
