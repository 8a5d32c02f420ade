"""Read a batch of paths into articles, setting aside what cannot be read with a typed reason.

Which reader a file gets is decided by its name (any letter case):

- ``.txt`` → :mod:`~storybrief.sources.plaintext` (optional ``Key: value`` header)
- ``.html``, ``.htm`` → :mod:`~storybrief.sources.webpage` (trafilatura)
- ``.json``, ``.jsonl``, ``.jsonl.gz`` → :mod:`~storybrief.sources.jsonrecords`
- a folder → every file in it and its subfolders, in sorted path order,
  skipping hidden files and folders (names starting with ``.``)
- anything else is sniffed: text is read as ``.txt``; binary content is set
  aside as ``binary``, undecodable bytes as ``unsupported``

A file is one source; a JSON Lines file has one source per line
(``path:line``), a JSON array one per item (``path[index]``).  A source that
gives no article becomes a :class:`~storybrief.articles.Rejection`, and the
batch goes on — unless ``options.strict`` is set, in which case the first one
raises :class:`~storybrief.errors.RejectedSource`.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..articles import Article, Rejection
from ..config import Options
from ..errors import RejectedSource, TooManyArticles
from .base import HINTS, Reject, check_article, clean_label, clean_labels
from .decoding import declared_charset, decode_text, read_bytes
from .jsonrecords import read_json, read_jsonl
from .plaintext import article_from_text
from .webpage import article_from_html

logger = logging.getLogger("storybrief")


@dataclass(frozen=True)
class ReadResult:
    """What a batch of paths yielded: the articles, and every source set aside with its reason."""

    articles: tuple[Article, ...] = ()
    rejections: tuple[Rejection, ...] = ()


def read_sources(
    paths: Iterable[str | Path],
    *,
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReadResult:
    """Read files and folders into articles, in the order given.

    ``progress(done, total)`` is called as input files are finished; folders
    are expanded first, so ``total`` counts their files (a path that cannot be
    read at all counts as one).  The same file reached twice (named twice, or
    also inside a named folder) is read once.
    """
    options = options or Options()
    batch = _Batch(options)
    for item in iter_sources(paths, options=options, progress=progress):
        if isinstance(item, Rejection):
            batch.reject(item)
        else:
            batch.admit(item)
    return batch.finish()


def iter_sources(
    paths: Iterable[str | Path],
    *,
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Article | Rejection]:
    """:func:`read_sources` one article at a time, in the same order: each article (its labels
    cleaned, checked) or the :class:`Rejection` of a source, as it is read.  Only the file names
    are listed first, so a JSON Lines dump of any length is read in bounded memory."""
    options = options or Options()
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    listing = _Batch(options.with_(strict=False))
    seen: set[Path] = set()
    todo: list[Path | Rejection] = []
    for given in paths:
        path = Path(given)
        try:
            files = _expand(path, listing)
        except Reject as e:
            todo.append(e.to_rejection(str(path)))
            continue
        for file in files:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                todo.append(file)
    yield from listing.rejections  # folders that could not be listed
    for done, item in enumerate(todo, start=1):
        if isinstance(item, Rejection):
            yield _cleaned(item)
        else:
            yield from _read(item, options)
        if progress is not None:
            progress(done, len(todo))


def _read(path: Path, options: Options) -> Iterator[Article | Rejection]:
    try:
        for item in _articles_in(path, options=options):
            if isinstance(item, Rejection):
                yield _cleaned(item)
            else:
                article = clean_labels(item)
                yield check_article(article, options=options) or article
    except Reject as e:
        yield _cleaned(e.to_rejection(str(path)))


def _cleaned(rejection: Rejection) -> Rejection:
    return Rejection(clean_label(rejection.source), rejection.reason, clean_label(rejection.detail))


def read_file(path: str | Path, *, options: Options | None = None) -> ReadResult:
    """Read one file (of any accepted format) into its article(s).  Folders need :func:`read_sources`."""
    options = options or Options()
    path = Path(path)
    batch = _Batch(options)
    if path.is_dir():
        batch.reject(Rejection(str(path), "unsupported", "is a folder; read folders with read_sources()"))
    else:
        try:
            files = _expand(path, batch)
        except Reject as e:
            batch.reject(e.to_rejection(str(path)))
        else:
            for file in files:
                for item in _read(file, options):
                    if isinstance(item, Rejection):
                        batch.reject(item)
                    else:
                        batch.admit(item)
    return batch.finish()


def _expand(path: Path, batch: _Batch) -> list[Path]:
    """The files a path stands for; raises Reject when it stands for none.

    A subfolder that cannot be listed is set aside in ``batch`` and the rest read.
    """
    if path.is_dir():
        unlisted = len(batch.rejections)
        files = sorted(_walk(path, batch), key=lambda file: file.relative_to(path).parts)
        if not files and len(batch.rejections) == unlisted:
            raise Reject("empty", "folder holds no files (hidden files and folders are skipped)")
        return files
    _require_regular_file(path)
    return [path]


def _require_regular_file(path: Path) -> None:
    # Also guards against opening a named pipe found in a folder, which would block forever.
    if path.is_file():
        return
    if not path.exists():
        broken = " (a broken symbolic link)" if path.is_symlink() else ""
        raise Reject("not-found", f"no such file or folder{broken}")
    raise Reject("unsupported", "not a regular file or folder (a device, socket or pipe?)")


def _walk(folder: Path, batch: _Batch) -> Iterator[Path]:
    def fail(error: OSError) -> None:
        batch.reject(
            Rejection(str(error.filename), "unreadable", f"cannot list the folder: {error.strerror}")
        )

    for root, dirnames, filenames in os.walk(folder, onerror=fail):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                yield Path(root, name)


def _articles_in(path: Path, *, options: Options) -> Iterator[Article | Rejection]:
    """The article(s) in one file, by its name; raises Reject when the file as a whole is unusable."""
    _require_regular_file(path)
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz")):
        yield from read_jsonl(path, options=options)
    elif name.endswith(".json"):
        yield from read_json(path, options=options)
    elif name.endswith((".html", ".htm")):
        data = read_bytes(path, limit=options.max_file_bytes)
        text = _require_text(decode_text(data, declared=declared_charset(data)))
        yield article_from_html(text, source=str(path))
    elif name.endswith(".txt"):
        text = _require_text(decode_text(read_bytes(path, limit=options.max_file_bytes)))
        yield article_from_text(text, source=str(path))
    else:
        yield _sniffed_article(path, options=options)


def _sniffed_article(path: Path, *, options: Options) -> Article:
    kind = f"{path.suffix!r} files" if path.suffix else "files without an extension"
    data = read_bytes(path, limit=options.max_file_bytes)
    try:
        text = decode_text(data)
    except Reject as e:
        if e.reason == "encoding":
            raise Reject("unsupported", f"storybrief does not read {kind}, and its bytes are not text") from e
        raise Reject(e.reason, f"{e.detail} (and storybrief does not read {kind})") from e
    return article_from_text(_require_text(text), source=str(path))


def _require_text(text: str) -> str:
    if not text.strip():
        raise Reject("empty", "file holds only whitespace")
    return text


class _Batch:
    """Collects one batch's articles and rejections; raises at once in strict mode."""

    def __init__(self, options: Options):
        self.options = options
        self.articles: list[Article] = []
        self.rejections: list[Rejection] = []

    def admit(self, article: Article) -> None:
        """Keep an article that was read and checked (:func:`iter_sources`)."""
        if self.options.max_articles and len(self.articles) >= self.options.max_articles:
            raise TooManyArticles(self.options.max_articles, source=article.source)
        self.articles.append(article)

    def reject(self, rejection: Rejection) -> None:
        rejection = _cleaned(rejection)
        if self.options.strict:
            raise RejectedSource(
                rejection.detail,
                source=rejection.source,
                reason=rejection.reason,
                hint=HINTS.get(rejection.reason),
            )
        self.rejections.append(rejection)

    def finish(self) -> ReadResult:
        if self.rejections:
            counts = Counter(rejection.reason for rejection in self.rejections)
            logger.warning(
                "read %d article(s); set aside %d source(s) (%s); first: %s",
                len(self.articles),
                len(self.rejections),
                ", ".join(f"{count} {reason}" for reason, count in counts.most_common()),
                self.rejections[0],
            )
        return ReadResult(articles=tuple(self.articles), rejections=tuple(self.rejections))
