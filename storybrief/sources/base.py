"""Pieces every reader shares: the internal "reject this source" signal, the
final checks on an article, and date and language parsing."""

from __future__ import annotations

from datetime import datetime, timezone

from ..articles import REJECTION_REASONS, Article, Rejection
from ..config import Options

# How to fix each kind of rejection; carried by RejectedSource in strict mode.
HINTS = {
    "not-found": "check the path",
    "unreadable": "check the file's permissions",
    "unsupported": "storybrief reads .txt, .html, .htm, .json, .jsonl and .jsonl.gz files and folders of them",
    "empty": None,
    "binary": "convert it to text (.txt) or HTML first",
    "encoding": "save the file as UTF-8",
    "too-large": "raise max_file_bytes in your config if this really is one article",
    "no-text": "the page may be an index, a paywall or need JavaScript; save the article text as .txt",
    "too-short": "lower min_words in your config to keep short items",
    "malformed": None,
}


class Reject(Exception):
    """Raised inside a reader to set the current source aside for a typed reason.

    Internal: the batch reader turns it into a :class:`Rejection` (or, in
    strict mode, a :class:`~storybrief.errors.RejectedSource`).
    """

    def __init__(self, reason: str, detail: str, *, source: str | None = None):
        if reason not in REJECTION_REASONS:
            raise ValueError(f"unknown rejection reason {reason!r}")
        self.reason = reason
        self.detail = detail
        self.source = source
        super().__init__(f"{reason}: {detail}")

    def to_rejection(self, default_source: str) -> Rejection:
        return Rejection(self.source or default_source, self.reason, self.detail)


def check_article(article: Article, *, options: Options) -> Rejection | None:
    """The checks every article passes whatever its format: some text, enough words."""
    if not article.text.strip():
        return Rejection(article.source, "empty", "no text left after reading it")
    words = len(article.text.split())
    if words < options.min_words:
        return Rejection(
            article.source,
            "too-short",
            f"has {words:,} word{'s' if words != 1 else ''}, fewer than the "
            f"{options.min_words:,}-word minimum (min_words)",
        )
    return None


def normalize_text(text: str) -> str:
    """Body text as we keep it: Windows line ends made ``\\n``, outer whitespace stripped, nothing else."""
    return text.replace("\r\n", "\n").strip()


def parse_date(value: str) -> datetime:
    """A publication date from ISO 8601 or a common written form, keeping its UTC offset.

    Relative dates ("yesterday") are refused: they mean nothing once an article
    is archived.  Raises ValueError when the value is not a date.
    """
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        # Imported here: dateparser is only needed for non-ISO dates and costs ~70 ms to import.
        import dateparser

        parsed = dateparser.parse(
            value,
            settings={
                "PARSERS": ["custom-formats", "absolute-time"],
                "PREFER_DAY_OF_MONTH": "first",
            },
        )
        if parsed is None:
            raise ValueError(f"{value!r} is not a date we can read (use ISO 8601, e.g. 2018-08-03T10:00:00+01:00)")
    offset = parsed.utcoffset()
    if offset is not None:
        # dateparser returns its own tzinfo classes; a plain fixed offset compares and serialises the same everywhere.
        parsed = parsed.replace(tzinfo=timezone(offset))
    return parsed


def normalize_language(value: str) -> str:
    """The primary subtag of a language tag, lower-cased: ``en-GB`` and ``EN_us`` become ``en``."""
    return value.strip().replace("_", "-").split("-")[0].lower()


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "array", str: "string"}.get(type(value), type(value).__name__)
