"""Bytes to text: the size cap, binary sniffing and encoding detection.

How a file's bytes become text, in order:

1. A byte-order mark decides: UTF-8, UTF-32 or UTF-16.  If the bytes then do
   not decode, the file is rejected as ``encoding``.
2. NUL bytes mean the file is ``binary`` (only UTF-16/32, handled above, has them in text).
3. Valid UTF-8 is used as is.
4. Mostly UTF-8 with a few stray bytes (at least as many valid multi-byte UTF-8
   characters as invalid bytes) is decoded as UTF-8, and each stray byte as
   Windows-1252 — the usual cause is "smart quotes" pasted from a Windows
   editor into a UTF-8 file.  The five bytes Windows-1252 leaves undefined
   become U+FFFD.
5. Otherwise the file is in a legacy 8-bit encoding.  An HTML page's own
   ``<meta charset>`` is tried first; then charset-normalizer picks the
   encodings that decode the bytes most cleanly, preferring Windows-1252 among
   equally clean ones (charset-normalizer cannot tell Western code pages apart
   on short English text, and Windows-1252 is what English news used).  If
   nothing decodes cleanly the file is rejected as ``encoding``.
6. Text with more than 1% control characters (other than tab, newlines and
   form feed) is rejected as ``binary``.
"""

from __future__ import annotations

import codecs
import gzip
import re
from pathlib import Path
from typing import IO

from ..config import Options
from .base import Reject

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    # UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.01
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_STRAY_BYTE_HANDLER = "storybrief-cp1252-stray-bytes"


def _decode_stray_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    stray = error.object[error.start : error.end]
    return stray.decode("cp1252", "replace"), error.end


codecs.register_error(_STRAY_BYTE_HANDLER, _decode_stray_bytes)


def read_bytes(path: Path, *, limit: int) -> bytes:
    """The whole file, after checking its size on disk so a huge file is never loaded."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise Reject("too-large", _too_large(size, limit))
        with path.open("rb") as fh:
            # Read one byte past the cap in case the file grew since stat().
            data = fh.read(limit + 1)
    except OSError as e:
        raise Reject("unreadable", f"cannot read the file: {e.strerror or e}") from e
    if len(data) > limit:
        raise Reject("too-large", _too_large(len(data), limit, at_least=True))
    if not data:
        raise Reject("empty", "file is empty (0 bytes)")
    return data


# Below this many decompressed bytes the ratio is not judged: gzip's header and a short file skew it.
_RATIO_GRACE = 1 << 20
_STEP = 1 << 20


class Inflated:
    """A gzip stream's decompressed bytes, with the caps checked as they are read.

    Decompression is streamed (never more than one line is held), and reading
    stops with a ``too-large`` :class:`Reject` once the output passes
    ``options.max_decompressed_bytes`` or grows more than
    ``options.max_compression_ratio`` times the compressed bytes read so far:
    a few megabytes of "decompression bomb" cannot become gigabytes.
    """

    def __init__(self, raw: IO[bytes], *, options: Options):
        self._raw = raw
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self._max_bytes = options.max_decompressed_bytes
        self._max_ratio = options.max_compression_ratio
        self.size = 0

    def peek(self, size: int) -> bytes:
        return self._gz.peek(size)

    def readline(self, size: int = -1) -> bytes:
        """One line (at most ``size`` bytes), read a megabyte at a time with the caps checked after each."""
        parts: list[bytes] = []
        got = 0
        while size < 0 or got < size:
            step = _STEP if size < 0 else min(_STEP, size - got)
            piece = self._gz.readline(step)
            self._count(len(piece))
            parts.append(piece)
            got += len(piece)
            if len(piece) < step or piece.endswith(b"\n"):
                break
        return b"".join(parts)

    def _count(self, n: int) -> None:
        self.size += n
        if self.size > self._max_bytes:
            raise Reject(
                "too-large",
                f"decompresses to over {self._max_bytes:,} bytes, the limit (max_decompressed_bytes)",
            )
        compressed = max(self._raw.tell(), 1)
        if self.size > _RATIO_GRACE and self.size > self._max_ratio * compressed:
            raise Reject(
                "too-large",
                f"decompresses to over {self._max_ratio:,} times its compressed size, the limit "
                "(max_compression_ratio); is it a decompression bomb?",
            )

    def __enter__(self) -> Inflated:
        return self

    def __exit__(self, *exc: object) -> None:
        self._gz.close()


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    more = "over " if at_least else ""
    return f"file is {more}{size:,} bytes, over the {limit:,}-byte limit (max_file_bytes)"


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML page names in a ``<meta charset>`` near its top, if Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    # As browsers do (WHATWG Encoding Standard): pages labelled Latin-1 or ASCII are really Windows-1252.
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def decode_text(data: bytes, *, declared: str | None = None) -> str:
    """Decode a text file's bytes (see the module docstring for the rules).

    Raises :class:`Reject` with reason ``binary`` or ``encoding``.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as e:
                raise Reject(
                    "encoding",
                    f"starts with a {name} byte-order mark but is not valid {name}: {e.reason} at byte {e.start:,}",
                ) from e
            break
    else:
        if b"\x00" in data:
            raise Reject("binary", "contains NUL bytes, so it is not a text file")
        text = _decode_unmarked(data, declared)
    controls = len(_CONTROL.findall(text))
    if controls and controls > _MAX_CONTROL_SHARE * len(text):
        raise Reject(
            "binary",
            f"{controls / len(text):.0%} of its characters are control characters, so it is not a text file",
        )
    return text


def _decode_unmarked(data: bytes, declared: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", "replace")
    invalid = replaced.count("\ufffd")
    non_ascii = len(replaced) - len(replaced.encode("ascii", "ignore"))
    valid_multibyte = non_ascii - invalid
    if valid_multibyte and valid_multibyte >= invalid:
        return data.decode("utf-8", _STRAY_BYTE_HANDLER)
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    return _decode_legacy(data)


def _decode_legacy(data: bytes) -> str:
    # charset-normalizer is a dependency of trafilatura; imported here because
    # almost every file is UTF-8 and never needs it.
    import charset_normalizer

    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise Reject(
            "encoding",
            "is not UTF-8 and does not decode cleanly in any other encoding (checked with charset-normalizer)",
        )
    cleanest = min(match.chaos for match in matches)
    tied = [match for match in matches if match.chaos == cleanest]
    best = next((match for match in tied if match.encoding == "cp1252"), tied[0])
    return str(best)
