"""Articles and spans: an article owns its text, everything else points into it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypedDict
from urllib.parse import urlsplit

from ..errors import ArticleError
from ..schema import Timestamp


def hash_text(text: str) -> str:
    """Content hash used for caching and ids (hex sha256 of the UTF-8 text)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` in one article's text."""

    article_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ArticleError(f"bad span [{self.start}, {self.end})", article_id=self.article_id)

    def __len__(self) -> int:
        return self.end - self.start


class ArticleFields(TypedDict, total=False):
    """Metadata a reader has found for an :class:`Article`, passed on as ``Article(text=..., **fields)``."""

    outlet: str
    title: str
    url: str | None
    published: datetime | None
    language: str


@dataclass(frozen=True, kw_only=True)
class Article:
    """One news article: metadata plus the exact cleaned text that every span points into.

    ``id`` defaults to a hash of outlet, title and text, so the same article read
    twice gets the same id.  ``source`` says where it was read from (a path, a
    path with a line number, or a URL) and is what errors name.
    """

    id: str = ""
    outlet: str = ""
    title: str = ""
    url: str | None = None
    published: Timestamp | None = None
    language: str = "en"
    source: str = ""
    text: str

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise ArticleError("text must be a string", article_id=self.id or None)
        if not self.id:
            key = "\x1f".join((self.outlet, self.title, self.text))
            object.__setattr__(self, "id", hash_text(key)[:16])

    @property
    def content_hash(self) -> str:
        return hash_text(self.text)

    @property
    def display_outlet(self) -> str:
        """The outlet's name, or a stand-in that keeps articles of unknown origin apart.

        Without an outlet, the URL's host names it; without a URL, the source it was read
        from ("unknown outlet (003.txt)"), so that four anonymous files count as four
        sources, not as one outlet repeating itself.
        """
        if self.outlet:
            return self.outlet
        host = urlsplit(self.url).hostname if self.url else None
        if host:
            return host.removeprefix("www.")
        name = self.source.replace("\\", "/").rsplit("/", 1)[-1]
        return f"unknown outlet ({name})" if name else "unknown outlet"

    def span(self, start: int, end: int) -> Span:
        """A checked span into this article's text."""
        if not (0 <= start <= end <= len(self.text)):
            raise ArticleError(
                f"span [{start}, {end}) outside text of length {len(self.text)}", article_id=self.id
            )
        return Span(self.id, start, end)

    def text_of(self, span: Span) -> str:
        if span.article_id != self.id:
            raise ArticleError(f"span belongs to article {span.article_id}", article_id=self.id)
        if span.end > len(self.text):
            raise ArticleError(f"span [{span.start}, {span.end}) outside text", article_id=self.id)
        return self.text[span.start : span.end]

    def with_(self, **changes: Any) -> Article:
        return replace(self, **changes)


@dataclass(frozen=True)
class Duplicate:
    """Article ``copy_id`` is a syndicated or near-identical copy of ``original_id``."""

    copy_id: str
    original_id: str


@dataclass(frozen=True)
class Rejection:
    """A source that yielded no article, and why.  A result, not a crash.

    ``reason`` is one of :data:`REJECTION_REASONS`.
    """

    source: str
    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}: {self.detail}"


# fmt: off
REJECTION_REASONS = (
    "not-found",  # path does not exist
    "unreadable",  # exists, but the OS will not let us read it (permissions, I/O error)
    "unsupported",  # file type we do not read
    "empty",  # zero bytes or only whitespace
    "binary",  # not text
    "encoding",  # bytes do not decode in any encoding we accept
    "too-large",  # over the size cap
    "no-text",  # nothing left after extraction (e.g. HTML with no article)
    "too-short",  # fewer words than the minimum
    "malformed",  # a JSON line or record that does not parse or lacks fields
)
# fmt: on
