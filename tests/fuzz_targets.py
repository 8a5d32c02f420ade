"""Fuzz targets: every reader and the API's intake, fed arbitrary bytes.

Each target takes bytes and returns normally when storybrief handled them: the
readers never raise (a bad source is a Rejection with a known reason), the
Multi-News reader raises only SourceError, and the API's intake raises only
RequestError.  Anything else propagates, and the caller (Hypothesis in
tests/test_fuzz.py, atheris in scripts/fuzz.py) reports it with its traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import tempfile
from collections.abc import Callable
from pathlib import Path

from storybrief.articles import REJECTION_REASONS, Article, Rejection
from storybrief.config import Options
from storybrief.errors import RequestError, SourceError
from storybrief.sources import iter_clusters, read_file
from storybrief.web.intake import WebLimits, intake_json_body, read_request

# min_words 1 so that even short random text goes all the way to an article.
OPTIONS = Options(min_words=1, cache=False)
LIMITS = WebLimits()
BOUNDARY = "fuzzboundary"
_FOLDER = Path(tempfile.mkdtemp(prefix="storybrief-fuzz-"))


def _read(data: bytes, name: str) -> None:
    path = _FOLDER / name
    path.write_bytes(data)
    result = read_file(path, options=OPTIONS)
    for article in result.articles:
        assert isinstance(article, Article) and article.text.strip()
        article.source.encode("utf-8")  # shown on a terminal and in pages: valid Unicode
    for rejection in result.rejections:
        assert isinstance(rejection, Rejection) and rejection.reason in REJECTION_REASONS, rejection
        rejection.source.encode("utf-8")
        rejection.detail.encode("utf-8")


def fuzz_txt(data: bytes) -> None:
    _read(data, "article.txt")


def fuzz_html(data: bytes) -> None:
    _read(data, "page.html")


def fuzz_json(data: bytes) -> None:
    _read(data, "records.json")


def fuzz_jsonl(data: bytes) -> None:
    _read(data, "records.jsonl")


def fuzz_gz(data: bytes) -> None:
    """The first byte chooses: odd, the rest is compressed (a valid gzip of random lines); even, taken raw."""
    if data and data[0] % 2:
        data = gzip.compress(data[1:], compresslevel=1)
    else:
        data = data[1:]
    _read(data, "records.jsonl.gz")


def fuzz_multinews(data: bytes) -> None:
    path = _FOLDER / "clusters.jsonl"
    path.write_bytes(data)
    try:
        for cluster in iter_clusters(path):
            assert all(isinstance(a, Article) for a in cluster.articles)
    except SourceError:
        pass


def fuzz_api_json(data: bytes) -> None:
    with contextlib.suppress(RequestError):
        intake_json_body(data, options=OPTIONS, limits=LIMITS)


def fuzz_api_multipart(data: bytes) -> None:
    """``data`` is the body of a multipart/form-data request (boundary ``fuzzboundary``)."""
    from starlette.requests import Request

    async def receive():
        return {"type": "http.request", "body": data, "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/briefings",
        "query_string": b"",
        "headers": [
            (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
            (b"content-length", str(len(data)).encode()),
        ],
    }

    async def run() -> None:
        with contextlib.suppress(RequestError):
            await read_request(Request(scope, receive), options=OPTIONS, limits=LIMITS)

    asyncio.run(run())


def multipart_body(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    """A multipart body of (field name, file name or None, content) parts."""
    out = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (
            f'; filename="{filename}"' if filename is not None else ""
        )
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode(
            "utf-8", "surrogateescape"
        )
        out += content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


TARGETS: dict[str, Callable[[bytes], None]] = {
    "txt": fuzz_txt,
    "html": fuzz_html,
    "json": fuzz_json,
    "jsonl": fuzz_jsonl,
    "gz": fuzz_gz,
    "multinews": fuzz_multinews,
    "api-json": fuzz_api_json,
    "api-multipart": fuzz_api_multipart,
}


_TEXT = (
    "The harbour council met on Tuesday. \u201cWe will rebuild,\u201d said Mayor Ann Ferris, 52. "
    "Crews worked through the night on 3 March 2024."
)
_RECORD = (
    '{{"title": "Harbour fire", "outlet": "Quay Post", "url": "https://quay.example/a", "published": '
    '"2024-03-05T09:30:00+00:00", "text": "{}"}}'.format(
        _TEXT.replace("\u201c", "\\u201c").replace("\u201d", "\\u201d")
    )
)
# Valid inputs to start a coverage-guided run from (invented text, like every fixture here).
SEEDS: dict[str, list[bytes]] = {
    "txt": [
        f"Title: Harbour fire\nOutlet: Quay Post\nDate: 2024-03-05\n\n{_TEXT}\n".encode(),
        _TEXT.encode(),
    ],
    "html": [
        f"<html lang=en><head><title>Harbour fire</title></head><body><article><h1>Harbour fire</h1>"
        f"<p>{_TEXT}</p><p>{_TEXT}</p></article></body></html>".encode()
    ],
    "json": [_RECORD.encode(), f'[{_RECORD}, {{"documents": ["{_TEXT}", 3]}}]'.encode()],
    "jsonl": [f"{_RECORD}\n{_RECORD}\n".encode()],
    "gz": [b"\x01" + f"{_RECORD}\n".encode(), b"\x00" + gzip.compress(f"{_RECORD}\n".encode())],
    "multinews": [f'{{"id": "c1", "summary": "s", "documents": ["{_TEXT}", "{_TEXT}"]}}\n'.encode()],
    "api-json": [f'{{"articles": [{_RECORD}], "words": 50, "method": "lead"}}'.encode()],
    "api-multipart": [
        multipart_body(
            [
                ("files", "a.txt", _TEXT.encode()),
                ("article-1-text", None, _TEXT.encode()),
                ("article-1-title", None, b"Harbour"),
                ("words", None, b"60"),
            ]
        )
    ],
}
