"""Plain-text articles (``.txt``), with an optional header of metadata.

Format
------
A ``.txt`` file is one article.  It may start with a header of ``Key: value``
lines; a blank line ends the header and the article text follows::

    Title: Fire guts harbour warehouse
    Outlet: The Northgate Courier
    URL: https://northgate-courier.example/harbour-fire
    Date: 2026-03-12T08:15:00+00:00
    Language: en

    Fire crews spent the night fighting a blaze at a harbour warehouse ...

- Keys are ``Title``, ``Outlet``, ``URL``, ``Date`` and ``Language``, in any
  order and any letter case; each may appear once, and any may be left out.
- The header is recognised only when the file's very first line is one of these
  ``Key: value`` lines.  Otherwise the whole file is article text, so a plain
  article needs no header at all.
- Once a header has started, every line up to the first blank line must be a
  known ``Key: value`` line; anything else (a misspelt key, or a missing blank
  line before the text) sets the file aside as ``malformed``, naming the line,
  instead of guessing.
- ``Date`` is ISO 8601 (``2018-08-01``, ``2018-08-01T09:30:00+01:00``; a time
  zone given is kept) or a common written form (``1 August 2018``,
  ``Wed, 01 Aug 2018 09:30:00 GMT``).  Relative dates such as "yesterday" are
  refused.  A date that cannot be read sets the file aside as ``malformed``.
- ``Language`` is a language tag; only its primary part is kept (``en-GB`` → ``en``).
  Without one, ``en`` is assumed.
- The text is kept exactly as written: Windows line ends become ``\\n`` and
  leading and trailing whitespace is removed, nothing else.  Separate paragraphs
  with blank lines.
- Without a ``Title`` key, a first line that reads as a headline (at most 25
  words, no closing sentence punctuation, followed by more text) becomes the
  title and is not part of the article text.
- The file should be UTF-8 (see :mod:`storybrief.sources.decoding` for what
  happens when it is not).
"""

from __future__ import annotations

import re

from ..articles import Article
from ..articles.model import ArticleFields
from .base import Reject, normalize_language, normalize_text, parse_date

HEADER_KEYS = ("title", "outlet", "url", "date", "language")
# A first line that names the writer ("By Ann Ferris", "BY ANN FERRIS, Political Editor", "Words by ...")
# is a byline, never a headline.
_BYLINE = re.compile(r"^(?:(?:words|written|reporting|posted|story)\s+)?by\s+\S", re.IGNORECASE)
_HEADER_LINE = re.compile(rf"^(?P<key>{'|'.join(HEADER_KEYS)})[ \t]*:[ \t]*(?P<value>.*?)\s*$", re.IGNORECASE)


def article_from_text(text: str, *, source: str) -> Article:
    """Parse a ``.txt`` file's decoded text into an article (header optional)."""
    text = text.replace("\r\n", "\n")
    header, body = _split_header(text)
    fields: ArticleFields = {}
    for key, value in header.items():
        if not value:
            continue
        if key == "date":
            try:
                fields["published"] = parse_date(value)
            except ValueError as e:
                raise Reject("malformed", f"header Date: {e}") from e
        elif key == "language":
            fields["language"] = normalize_language(value) or "en"
        elif key == "title":
            fields["title"] = value
        elif key == "outlet":
            fields["outlet"] = value
        else:
            fields["url"] = value
    body = normalize_text(body)
    if "title" not in fields:
        headline, rest = _split_headline(body)
        if headline:
            fields["title"], body = headline, rest
    return Article(text=body, source=source, **fields)


def _split_headline(body: str) -> tuple[str, str]:
    """A leading headline line and the text after it, or ("", body)."""
    first, sep, rest = body.partition("\n")
    first, rest = first.strip(), rest.strip()
    if not sep or not rest or len(first.split()) > 25 or first[-1:] in ".!?:;,\"'”’)" or _BYLINE.match(first):
        return "", body
    return first, rest


def _split_header(text: str) -> tuple[dict[str, str], str]:
    lines = text.split("\n")
    if not _HEADER_LINE.match(lines[0]):
        return {}, text
    header: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            return header, "\n".join(lines[number:])
        match = _HEADER_LINE.match(line)
        if not match:
            shown = line if len(line) <= 60 else line[:57] + "..."
            raise Reject(
                "malformed",
                f"header line {number} ({shown!r}) is not 'Key: value' with a key among "
                f"Title, Outlet, URL, Date, Language; end the header with a blank line",
            )
        key = match["key"].lower()
        if key in header:
            raise Reject("malformed", f"header line {number} repeats the key {match['key']!r}")
        header[key] = match["value"]
    return header, ""
