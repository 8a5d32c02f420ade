"""Pieces every reader shares: the internal "reject this source" signal, the
final checks on an article, and date and language parsing."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

from ..articles import REJECTION_REASONS, Article, Rejection
from ..config import Options

# How to fix each kind of rejection; carried by RejectedSource in strict mode.
# fmt: off
HINTS = {
    "not-found": "check the path",
    "unreadable": "check the file's permissions",
    "unsupported": "storybrief reads .txt, .html, .htm, .json, .jsonl and .jsonl.gz files and folders of them",
    "empty": None,
    "binary": "convert it to text (.txt) or HTML first",
    "encoding": "save the file as UTF-8",
    "too-large": "raise max_file_bytes (or max_article_chars, max_decompressed_bytes) in your config if this "
    "really is one article or one dump",
    "no-text": "the page may be an index, a paywall or need JavaScript; save the article text as .txt",
    "too-short": "lower min_words in your config to keep short items",
    "malformed": None,
}
# fmt: on


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
    if len(article.text) > options.max_article_chars:
        return Rejection(
            article.source,
            "too-large",
            f"text is {len(article.text):,} characters, over the {options.max_article_chars:,}-character "
            "limit per article (max_article_chars)",
        )
    sentences = estimate_sentences(article.text)
    if sentences > options.max_article_sentences:
        return Rejection(
            article.source,
            "too-large",
            f"text has about {sentences:,} sentences, over the {options.max_article_sentences:,}-sentence "
            "limit per article (max_article_sentences)",
        )
    words = len(article.text.split())
    if words < options.min_words:
        return Rejection(
            article.source,
            "too-short",
            f"has {words:,} word{'s' if words != 1 else ''}, fewer than the "
            f"{options.min_words:,}-word minimum (min_words)",
        )
    return None


# Characters that are invisible or reorder what is shown: C0/C1 controls, bidi marks, embeddings,
# overrides and isolates, zero-width characters and the byte-order mark.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+")
# Lone surrogates: what Python makes of a file name's bytes that are not UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_label(text: str) -> str:
    """A name shown to people (outlet, title, source path) as one safe line of valid Unicode.

    Bytes that were not UTF-8 become U+FFFD; controls, bidi overrides and zero-width characters
    become a space (then runs of spaces one), so a name can neither spoof its own direction nor
    break a line.  Article text is never cleaned like this: spans point into it.
    """
    text = _SURROGATE.sub("\ufffd", text)
    if _HIDDEN.search(text):
        text = " ".join(_HIDDEN.sub(" ", text).split())
    return text


def clean_labels(article: Article) -> Article:
    """The article with its outlet, title and source made safe to show (see :func:`clean_label`)."""
    changes = {
        name: clean_label(value)
        for name, value in (("outlet", article.outlet), ("title", article.title), ("source", article.source))
        if clean_label(value) != value
    }
    if article.url is not None and clean_label(article.url) != article.url:
        changes["url"] = clean_label(article.url).replace(" ", "%20")
    return article.with_(**changes) if changes else article


# The end of a sentence: closing punctuation (and any closing quotes or brackets), then a space or the end.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?:\s|$)")
# The analysis cuts a longer run of text without punctuation into pieces of this size (see analysis.chunks).
_PIECE_CHARS = 2_000


def estimate_sentences(text: str) -> int:
    """About how many sentences the analysis will find in ``text``: its sentence endings, or its
    2,000-character pieces when it has long unpunctuated runs, whichever is more.  Cheap (one regex scan)."""
    return max(len(_SENTENCE_END.findall(text)), len(text) // _PIECE_CHARS)


def normalize_text(text: str) -> str:
    """Body text as we keep it: Windows line ends made ``\\n``, outer whitespace stripped, and lone
    surrogates made U+FFFD (see :func:`valid_unicode`); nothing else."""
    return valid_unicode(text.replace("\r\n", "\n").strip())


def valid_unicode(text: str) -> str:
    """``text`` with each lone surrogate (from a JSON ``"\\ud800"`` escape; no UTF-8 output can hold one) made U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def parse_date(value: str) -> datetime:
    """A publication date from ISO 8601 or a common written form, keeping its UTC offset.

    Relative dates ("yesterday") are refused: they mean nothing once an article
    is archived.  Raises ValueError when the value is not a date.
    """
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
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
            raise ValueError(
                f"{value!r} is not a date we can read (use ISO 8601, e.g. 2018-08-03T10:00:00+01:00)"
            ) from error
    offset = parsed.utcoffset()
    if offset is not None:
        # dateparser returns its own tzinfo classes; a plain fixed offset compares and serialises the same everywhere.
        parsed = parsed.replace(tzinfo=timezone(offset))
    return parsed


def normalize_language(value: str) -> str:
    """The primary subtag of a language tag, lower-cased: ``en-GB`` and ``EN_us`` become ``en``."""
    return value.strip().replace("_", "-").split("-")[0].lower()


# A news record is at most three levels deep (a Multi-News record's "documents" array is the deepest);
# anything far deeper is hostile, and Python's parser would recurse until RecursionError.
MAX_JSON_DEPTH = 64
# A JSON string (unrolled so it is matched in linear time, even unterminated) or a bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def too_deep(text: str, *, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``text``'s arrays and objects nest more than ``limit`` levels (brackets in strings do not count).

    Linear in the text and stops at the first bracket past the limit.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def load_json(text: str, *, what: str = "not valid JSON") -> Any:
    """Parse JSON with a nesting limit; every way it can fail is a ``malformed`` :class:`Reject`.

    ``what`` starts the message (``"line is not valid JSON"`` for a JSON Lines line).
    """
    if too_deep(text):
        raise Reject("malformed", f"{what}: nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise Reject("malformed", f"{what}: {e.msg} at line {e.lineno}, column {e.colno}") from e
    except (
        ValueError,
        RecursionError,
    ) as e:  # an integer of over 4,300 digits; nesting hidden from the count
        raise Reject("malformed", f"{what}: {e}") from e


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    names: dict[type, str] = {dict: "object", list: "array", str: "string"}
    return names.get(type(value), type(value).__name__)
