"""JSON articles: ``.json`` (one object or an array of them) and ``.jsonl`` / ``.jsonl.gz`` (one per line).

A record is a JSON object with these fields (aliases in brackets; the first
one present wins); only the text is required, other fields are ignored:

- ``text`` (``body``, ``content``): the article text, kept as written apart
  from ``\\r\\n`` → ``\\n`` and outer whitespace
- ``title``; ``outlet`` (``source``, ``site``, ``publisher``); ``url``
- ``published`` (``date``): ISO 8601 or a common written date; an unreadable one makes the record ``malformed``
- ``id`` (string or integer): kept as the article id; without one the id is a content hash
- ``language``: a language tag, primary part kept (``en-GB`` → ``en``)

A record with a ``documents`` array is a Multi-News cluster: each document
becomes an article with outlet ``doc N``, exactly as
:func:`storybrief.sources.multinews.iter_clusters` builds them.

JSON Lines are read as a stream, so a dump of any size can be read; the size
cap (``max_file_bytes``) applies to each line instead of the whole file.  A bad
line (not UTF-8, not JSON, not a record) is set aside under ``path:line`` and
the rest of the file goes on.  Items of a ``.json`` array are named
``path[index]`` (from 0).
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from ..articles import Article, Rejection
from ..config import Options
from .base import Reject, json_type, load_json, normalize_language, normalize_text, parse_date
from .decoding import Inflated, decode_text, read_bytes
from .multinews import document_article

TEXT_KEYS = ("text", "body", "content")
OUTLET_KEYS = ("outlet", "source", "site", "publisher")
DATE_KEYS = ("published", "date")
_SNIFF_BYTES = 8192


def articles_from_record(data: Any, *, source: str, fallback_id: str) -> Iterator[Article | Rejection]:
    """The article(s) in one JSON record: one, or one per Multi-News document.

    Raises :class:`Reject` (naming ``source``) when the record as a whole is unusable.
    """
    if not isinstance(data, dict):
        raise Reject("malformed", f"record is a JSON {json_type(data)}, not an object", source=source)
    if "documents" in data:
        yield from _multinews_articles(data, source=source, fallback_id=fallback_id)
        return
    text = _string_field(data, TEXT_KEYS, source=source)
    if text is None:
        raise Reject(
            "malformed", "record has no text (give a 'text', 'body' or 'content' field)", source=source
        )
    fields: dict[str, Any] = {
        "title": (_string_field(data, ("title",), source=source) or "").strip(),
        "outlet": (_string_field(data, OUTLET_KEYS, source=source) or "").strip(),
        "url": (_string_field(data, ("url",), source=source) or "").strip() or None,
    }
    published = _string_field(data, DATE_KEYS, source=source)
    if published and published.strip():
        try:
            fields["published"] = parse_date(published)
        except ValueError as e:
            raise Reject("malformed", f"field 'published': {e}", source=source) from e
    language = normalize_language(_string_field(data, ("language",), source=source) or "")
    if language:
        fields["language"] = language
    record_id = data.get("id")
    if record_id is not None:
        if isinstance(record_id, bool) or not isinstance(record_id, (str, int)):
            detail = f"field 'id' must be a string or integer, got a {json_type(record_id)}"
            raise Reject("malformed", detail, source=source)
        fields["id"] = str(record_id)
    yield Article(text=normalize_text(text), source=source, **fields)


def _string_field(data: dict[str, Any], keys: tuple[str, ...], *, source: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise Reject(
                "malformed", f"field {key!r} must be a string, got a {json_type(value)}", source=source
            )
        return value
    return None


def _multinews_articles(
    data: dict[str, Any], *, source: str, fallback_id: str
) -> Iterator[Article | Rejection]:
    documents = data["documents"]
    if not isinstance(documents, list):
        detail = f"field 'documents' must be an array of strings, got a {json_type(documents)}"
        raise Reject("malformed", detail, source=source)
    cluster_id = str(data.get("id", fallback_id))
    for index, document in enumerate(documents):
        if isinstance(document, str):
            yield document_article(document, cluster_id=cluster_id, index=index, source=source)
        else:
            yield Rejection(
                f"{source}#{index}", "malformed", f"document is a JSON {json_type(document)}, not a string"
            )


def read_json(path: Path, *, options: Options) -> Iterator[Article | Rejection]:
    """A ``.json`` file: one record, or an array of records."""
    text = decode_text(read_bytes(path, limit=options.max_file_bytes))
    if not text.strip():
        raise Reject("empty", "file holds only whitespace")
    data = load_json(text)
    del text
    if isinstance(data, dict):
        yield from articles_from_record(data, source=str(path), fallback_id=path.stem)
    elif isinstance(data, list):
        if not data:
            raise Reject("empty", "holds an empty JSON array")
        for index, item in enumerate(data):
            source = f"{path}[{index}]"
            try:
                yield from articles_from_record(item, source=source, fallback_id=str(index))
            except Reject as e:
                yield e.to_rejection(source)
    else:
        raise Reject(
            "malformed", f"top level is a JSON {json_type(data)}, not an object or an array of objects"
        )


def read_jsonl(path: Path, *, options: Options) -> Iterator[Article | Rejection]:
    """A ``.jsonl`` or ``.jsonl.gz`` file, streamed line by line (a .gz one within the decompression caps)."""
    compressed = path.name.lower().endswith(".gz")
    max_bytes = options.max_file_bytes
    number = 0
    records = 0
    try:
        if path.stat().st_size == 0:
            raise Reject("empty", "file is empty (0 bytes)")
        with path.open("rb") as raw, Inflated(raw, options=options) if compressed else raw as fh:
            # peek, not read: a cut-short .gz must still yield the lines before the cut.
            if b"\x00" in fh.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]:
                raise Reject("binary", "contains NUL bytes, so it is not JSON Lines text")
            for number, line in _lines(fh, limit=max_bytes):
                source = f"{path}:{number}"
                if isinstance(line, int):
                    detail = f"line is {line:,} bytes, over the {max_bytes:,}-byte limit (max_file_bytes)"
                    yield Rejection(source, "too-large", detail)
                    records += 1
                    continue
                try:
                    text = line.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as e:
                    yield Rejection(
                        source, "encoding", f"line is not valid UTF-8: {e.reason} at byte {e.start:,}"
                    )
                    records += 1
                    continue
                del line
                if not text.strip():
                    continue
                records += 1
                try:
                    data = load_json(text, what="line is not valid JSON")
                    del text
                    yield from articles_from_record(data, source=source, fallback_id=str(number))
                except Reject as e:
                    yield e.to_rejection(source)
    except (EOFError, zlib.error) as e:
        raise _cut_short(number) from e
    except OSError as e:
        if isinstance(e, gzip.BadGzipFile):
            raise _cut_short(number) from e
        raise Reject("unreadable", f"cannot read the file: {e.strerror or e}") from e
    if not records:
        raise Reject("empty", "holds no JSON records, only blank lines")


def _cut_short(number: int) -> Reject:
    where = f"after line {number:,}" if number else "at the start"
    return Reject("malformed", f"gzip data is corrupt or cut short {where}")


class _LineReader(Protocol):
    """A binary stream read line by line: an open file, or :class:`~storybrief.sources.decoding.Inflated`."""

    def readline(self, size: int = -1, /) -> bytes: ...


def _lines(fh: _LineReader, *, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """Number and bytes of each line, never holding more than ``limit`` bytes of one;
    a longer line is skipped and reported by its length instead."""
    number = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while line and not line.endswith(b"\n"):
                line = fh.readline(1 << 20)
                size += len(line.rstrip(b"\r\n"))
            yield number, size
        else:
            yield number, line
