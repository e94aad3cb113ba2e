"""Why a page was not archived, as kinds rather than strings: each kind says which run counter counts it
and whether it is permanent. A permanent rejection is one that fetching the page again would not change
(it is certainly not an article, or it is kept already): such pages are not downloaded again. Everything
else (an empty or truncated response, a document viewer that failed, an extraction error) is temporary,
and the next crawl fetches the page again.

`rejected_pages.permanent` stores the flag with each row (storage.repository.known_urls reads it), so
the reason text is free to carry details."""

from __future__ import annotations

from enum import Enum


class Kind(Enum):
    """reason (how runs count it and rejected_pages names it), run counter, permanent."""

    # what extraction finds on the page (core.article.NotAnArticle)
    EMPTY_PAGE = ("not an article: empty page", "failed", False)
    UNPARSEABLE = ("not an article: unparseable page", "failed", False)
    NO_BODY = ("not an article: no body", "failed", False)  # also a truncated document
    PLACEHOLDER_ONLY = ("frame failed: placeholder only", "failed", False)  # the viewer's text is missing
    PHOTO_ONLY = ("not an article: photo only", "failed", True)
    LIST_PAGE = ("not an article: list page", "failed", True)
    ERROR_PAGE = ("not an article: error page", "failed", True)  # "page not found" served as a page
    UNAVAILABLE = ("not an article: site unavailable", "failed", False)  # "서비스 점검 중" served as a page
    EXTRACTION_ERROR = ("extraction error", "failed", False)  # a bug: fixed code should see the page again
    # what the crawl's policy decides
    NO_MINISTRY = ("no ministry named", "skipped", True)
    OUT_OF_WINDOW = ("out_of_window", "skipped", False)
    # what storage decides
    DUPLICATE = ("duplicate of an archived article", "duplicates", True)
    ARCHIVED = ("already archived", "skipped", True)
    CONFLICTING_WRITE = ("store error: conflicting write", "failed", False)
    # what the download found (crawler.spiders.base)
    FRAME_FAILED = ("frame failed", "failed", False)  # the document viewer did not answer

    def __init__(self, reason: str, counter: str, permanent: bool):
        self.reason, self.counter, self.permanent = reason, counter, permanent

    @property
    def label(self) -> str:
        """The reason without its family prefix ("no body" for "not an article: no body")."""
        return self.reason.split(": ", 1)[-1]

    def describe(self, detail: str = "") -> str:
        """The reason with a detail (the original of a duplicate, an error message), within 250 chars."""
        return (f"{self.reason}: {detail}" if detail else self.reason)[:250]

