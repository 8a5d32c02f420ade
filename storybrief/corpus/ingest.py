"""Ingest: sources (files, article URLs, feeds, OPML lists) → fetched → extracted → analysed → grouped → the corpus.

The sources are first expanded into a list of *items* (an article read from a
file, or a URL to fetch), in a fixed order: sources in the order given, a
feed's items oldest first.  Items are then worked through in chunks of that
list: a pool of threads fetches and extracts the next chunk while this one is
analysed, added to the story index (in publication order) and stored, with
the index's changes, in one transaction.  So a run killed at any moment loses
at most the chunk in hand, and the same run started again meets the same
chunks and adds the rest in the same order: it ends with the same corpus as a
run that was never stopped.

An item whose canonical URL is already in the corpus is not fetched again; an
article whose text is already there (the same content hash) is not stored
twice.  Ingesting the same sources twice therefore changes nothing.

A source that fails is recorded in the corpus with a named reason (see
:data:`~storybrief.sources.fetch.FETCH_REASONS` and the rejection reasons of
files), and the run goes on.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..analysis import Analysis, AnalyzedArticle, analyze_articles
from ..articles import Article, Rejection
from ..articles.model import ArticleFields
from ..config import Options
from ..errors import FetchError, SourceError, StoreError
from ..sources import iter_sources
from ..sources.base import Reject, check_article
from ..sources.decoding import declared_charset, decode_text
from ..sources.feeds import FeedItem, parse_feed, parse_opml, sniff
from ..sources.fetch import Fetched, Fetcher
from ..sources.plaintext import article_from_text
from ..sources.urls import canonical_url, is_url
from ..sources.webpage import article_from_html
from .store import Corpus

logger = logging.getLogger("storybrief")

CHUNK = 16  # items fetched, analysed and committed together
FETCH_THREADS = 8  # at most 2 of them on any one host (the fetcher's rule)
FEED_SUFFIXES = (".rss", ".atom", ".xml")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Failure:
    """A source that gave no article, and why: ``reason`` is a short stable name."""

    source: str
    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}: {self.detail}"


@dataclass
class IngestReport:
    """What one run did (counts: a run of any size keeps no list of its articles)."""

    added: int = 0  # articles stored
    stories: int = 0  # the stories they joined (counted in the corpus once the run ends)
    known: int = 0  # items already in the corpus (by canonical URL or content hash)
    not_modified: int = 0  # feeds that answered 304 to a conditional GET
    failures: list[Failure] = field(default_factory=list)
    stopped: bool = False  # interrupted; everything fetched before the stop was stored

    def summary(self) -> str:
        text = (
            f"added {self.added:,} article(s) to {self.stories:,} story(ies); "
            f"{self.known:,} already in the corpus; {len(self.failures):,} failed"
        )
        if self.not_modified:
            text += f"; {self.not_modified:,} feed(s) unchanged"
        return text + (" (stopped early)" if self.stopped else "")


@dataclass(frozen=True)
class _Item:
    """One thing to turn into an article: an article already read, a page already fetched, or a URL."""

    source: str
    url: str | None = None
    article: Article | None = None
    fetched: Fetched | None = None
    feed_item: FeedItem | None = None


@dataclass(frozen=True)
class _Prepared:
    article: Article
    urls: tuple[str, ...]
    analysis: Analysis | None = None  # filled in where the analysis ran elsewhere (a Dask worker)


class Ingester:
    """Ingests sources into one corpus.  Use :func:`ingest` or :func:`watch` unless you poll yourself."""

    def __init__(
        self,
        db: str | Path,
        *,
        options: Options | None = None,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
        fetcher: Fetcher | None = None,
    ):
        self.options = options or Options()
        self._lock_file = _writer_lock(Path(db))
        try:
            self.corpus = Corpus(db)
        except BaseException:
            self._lock_file.close()
            raise
        self.index = self.corpus.load_index(self.options, backed=True)
        self.progress = progress
        self.stop = stop or threading.Event()
        self.fetcher = fetcher or Fetcher(self.options)
        self._own_fetcher = fetcher is None
        self.pool = ThreadPoolExecutor(max_workers=FETCH_THREADS, thread_name_prefix="storybrief-fetch")
        self.counts = dict.fromkeys(("fetched", "extracted", "analysed", "grouped"), 0)
        self.total = 0

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self._own_fetcher:
            self.fetcher.close()
        self.corpus.close()
        self._lock_file.close()  # releases the writer lock

    def __enter__(self) -> Ingester:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # the run ---------------------------------------------------------------------------------
    def run(self, sources: Iterable[str | Path], *, conditional: bool = False) -> IngestReport:
        """Ingest ``sources``; with ``conditional``, feeds are asked only for what changed since the last poll."""
        report = IngestReport()
        if self.corpus.count() != len(self.index):  # written by someone else since we loaded it
            self.index = self.corpus.load_index(self.options, backed=True)
        feeds: list[tuple[str, str, str | None, str | None]] = []
        items: list[Iterable[_Item]] = []  # files are read as the run reaches them, URLs fetched now
        for source in sources:
            if self.stop.is_set():
                report.stopped = True
                break
            items.append(self._expand(str(source), report, feeds, conditional=conditional))
        self.total = 0
        start = self.corpus.last_seq()
        self._process(itertools.chain.from_iterable(items), report)
        report.stories = self.corpus.stories_joined(after=start)
        if not report.stopped:
            for url, title, etag, last_modified in feeds:  # a feed's state is kept once all its items are in
                self.corpus.save_feed_state(url, title=title, etag=etag, last_modified=last_modified)
        return report

    # expanding sources into items ------------------------------------------------------------
    def _expand(
        self, source: str, report: IngestReport, feeds: list, *, conditional: bool
    ) -> Iterable[_Item]:
        if is_url(source):
            return self._expand_url(source, report, feeds, conditional=conditional)
        path = Path(source)
        name = path.name.lower()
        try:
            if path.is_file() and name.endswith(".opml"):
                urls = parse_opml(path.read_bytes(), source=source)
                return [
                    i
                    for url in urls
                    for i in self._expand_url(url, report, feeds, conditional=conditional, only_feed=True)
                ]
            if path.is_file() and name.endswith(FEED_SUFFIXES):
                return self._feed_items(parse_feed(path.read_bytes(), source=source), report)
        except SourceError as e:
            self._fail(report, source, *_reason(e))
            return []
        except OSError as e:
            self._fail(report, source, "unreadable", f"cannot read the file: {e.strerror or e}")
            return []
        return self._read(path, report)

    def _read(self, path: Path, report: IngestReport) -> Iterator[_Item]:
        """The articles of a file or folder, one at a time (a JSONL dump of any size in bounded memory)."""
        for read in iter_sources([path], options=self.options.with_(strict=False)):
            if isinstance(read, Rejection):
                self._fail(report, read.source, read.reason, read.detail)
            else:
                yield _Item(source=read.source, article=read)

    def _expand_url(
        self, url: str, report: IngestReport, feeds: list, *, conditional: bool, only_feed: bool = False
    ) -> list[_Item]:
        etag, last_modified = self.corpus.feed_state(url) if conditional else (None, None)
        try:
            if not only_feed and self.corpus.known_url(canonical_url(url)):
                report.known += 1
                return []
            fetched = self.fetcher.fetch(url, etag=etag, last_modified=last_modified)
            if fetched.not_modified:
                report.not_modified += 1
                return []
            kind = sniff(fetched.body, fetched.content_type)
            if kind == "opml" and not only_feed:
                urls = parse_opml(fetched.body, source=url)
                return [
                    i
                    for u in urls
                    for i in self._expand_url(u, report, feeds, conditional=conditional, only_feed=True)
                ]
            if kind == "feed":
                feed = parse_feed(
                    fetched.body, source=url, content_type=fetched.content_type, charset=fetched.charset
                )
                feeds.append((url, feed.title, fetched.etag, fetched.last_modified))
                self.corpus.clear_failure(url)
                return self._feed_items(feed, report)
            if only_feed:
                raise SourceError(
                    "[not-a-feed] an OPML list names this as a feed, but it is not one", source=url
                )
            return [_Item(source=url, url=url, fetched=fetched)]
        except SourceError as e:
            self._fail(report, url, *_reason(e))
            return []

    def _feed_items(self, feed, report: IngestReport) -> list[_Item]:
        if feed.malformed:
            logger.warning(
                "%s: the feed is malformed (%s); read %d item(s) from it",
                feed.source,
                feed.malformed,
                len(feed.items),
            )
        return [_Item(source=item.url, url=item.url, feed_item=item) for item in feed.items]

    # working through the items ---------------------------------------------------------------
    def _chunks(self, items: Iterable[_Item]) -> Iterator[list[_Item]]:
        """The items in chunks of :data:`CHUNK`, read as they are asked for (the progress total grows)."""
        items = iter(items)
        while chunk := list(itertools.islice(items, CHUNK)):
            self.total += len(chunk)
            yield chunk

    def _process(self, items: Iterable[_Item], report: IngestReport) -> None:
        chunks = self._chunks(items)
        chunk = next(chunks, None)
        pending = self._submit(chunk, report) if chunk else []
        while chunk is not None:
            current = pending
            stopping = self.stop.is_set()
            chunk = None if stopping else next(chunks, None)
            pending = self._submit(chunk, report) if chunk else []
            self._store([(item, future.result()) for item, future in current], report)
            if stopping or (self.stop.is_set() and chunk is not None):
                # what was already being fetched is finished and stored; nothing new is started
                for item, future in pending:
                    self._store([(item, future.result())], report)
                report.stopped = True
                return

    def _submit(self, chunk: Sequence[_Item], report: IngestReport) -> list[tuple[_Item, Future]]:
        return [(item, self.pool.submit(self._prepare, item)) for item in self._unknown(chunk, report)]

    def _unknown(self, chunk: Sequence[_Item], report: IngestReport) -> list[_Item]:
        """The items of a chunk to work on: a link already in the corpus is counted and skipped."""
        out = []
        for item in chunk:
            if item.url and not item.fetched and self.corpus.known_url(canonical_url(item.url)):
                report.known += 1
                self._tick("fetched")
                continue
            out.append(item)
        return out

    def _prepare(self, item: _Item) -> _Prepared | Failure:
        """Fetch (when needed) and extract one item; runs on a worker thread, never raises."""
        fetched = self._fetch(item)
        if isinstance(fetched, Failure):
            return fetched
        prepared = extract_item(fetched, self.options)
        if isinstance(prepared, _Prepared):
            self._tick("extracted")
        return prepared

    def _fetch(self, item: _Item) -> _Item | Failure:
        """The item with its page fetched (an item read from a file as it is); never raises."""
        try:
            if item.article is None and item.fetched is None and item.url is not None:
                item = _Item(
                    source=item.source,
                    url=item.url,
                    fetched=self.fetcher.fetch(item.url),
                    feed_item=item.feed_item,
                )
            self._tick("fetched")
            return item
        except SourceError as e:
            return Failure(item.source, *_reason(e))
        except Exception as e:
            logger.exception("unexpected failure on %s", item.source)
            return Failure(item.source, "internal-error", f"{type(e).__name__}: {e}")

    def _store(self, results: Sequence[tuple[_Item, _Prepared | Failure]], report: IngestReport) -> None:
        fresh: list[_Prepared] = []
        hashes: dict[str, str] = {}
        urls_here: dict[str, str] = {}  # the chunk's own: two items of one chunk may be the same article
        for item, result in results:
            if isinstance(result, Failure):
                self._fail(report, result.source, result.reason, result.detail)
                continue
            article = result.article
            existing = (
                self.corpus.known_hash(article.content_hash)
                or hashes.get(article.content_hash)
                or next((a for u in result.urls if (a := urls_here.get(u) or self.corpus.known_url(u))), None)
            )
            if existing:
                report.known += 1
                if self.corpus.known_hash(article.content_hash):
                    self.corpus.add_urls(result.urls, existing)
                self.corpus.clear_failure(item.source)
                continue
            hashes[article.content_hash] = article.id
            urls_here.update(dict.fromkeys(result.urls, article.id))
            fresh.append(result)
        if not fresh:
            return
        from ..stories.index import order_for_index

        urls = {p.article.id: p.urls for p in fresh}
        todo = [p.article for p in fresh if p.analysis is None]
        done = iter(analyze_articles(todo, options=self.options.with_(cache=False)) if todo else ())
        analysed = [AnalyzedArticle(p.article, p.analysis) if p.analysis else next(done) for p in fresh]
        self._tick("analysed", len(analysed))
        rows = []
        for record in order_for_index(analysed):
            rows.append((record, self.index.add(record), urls[record.id]))
        self.corpus.add_articles(rows, self.index)
        report.added += len(rows)
        self._tick("grouped", len(rows))

    # bookkeeping -----------------------------------------------------------------------------
    def _fail(self, report: IngestReport, source: str, reason: str, detail: str) -> None:
        report.failures.append(Failure(source, reason, detail))
        self.corpus.record_failure(source, reason, detail)

    _lock = threading.Lock()

    def _tick(self, stage: str, n: int = 1) -> None:
        with self._lock:
            self.counts[stage] += n
            done = self.counts[stage]
        if self.progress is not None:
            self.progress(stage, done, self.total)


def _writer_lock(path: Path):
    """Hold the corpus's writer lock (one ingest or watch at a time; the OS frees it if we are killed)."""
    import fcntl

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"cannot make the corpus's folder: {e}", where=str(path)) from e
    handle = open(path.with_name(path.name + ".lock"), "a+b")  # noqa: SIM115 -- held until close()
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        handle.close()
        raise StoreError(
            "another storybrief ingest or watch is writing to this corpus",
            where=str(path),
            hint="wait for it to finish, or stop it",
        ) from e
    return handle


def extract_item(item: _Item, options: Options) -> _Prepared | Failure:
    """The checked article of an item read from a file or fetched (its page extracted), or why there is
    none; a pure function of the item, so it runs as well on a Dask worker as here.  Never raises."""
    try:
        if item.article is not None:
            article = item.article
            urls: tuple[str, ...] = (canonical_url(article.url),) if article.url else ()
        else:
            assert item.fetched is not None, "fetch the item first"
            fetched = item.fetched
            article = _page_article(fetched, item)
            urls = tuple(dict.fromkeys(canonical_url(u) for u in (item.url, fetched.url, article.url) if u))
        rejection = check_article(article, options=options)
        if rejection is not None:
            return Failure(item.source, rejection.reason, rejection.detail)
        return _Prepared(article, urls)
    except Reject as e:
        return Failure(item.source, e.reason, e.detail)
    except SourceError as e:
        return Failure(item.source, *_reason(e))
    except Exception as e:
        logger.exception("unexpected failure on %s", item.source)
        return Failure(item.source, "internal-error", f"{type(e).__name__}: {e}")


def _reason(error: SourceError) -> tuple[str, str]:
    """(reason, detail) of a source error: a FetchError's own, or the ``[reason]`` a message starts with."""
    if isinstance(error, FetchError):
        return error.reason, error.detail + (f" (hint: {error.hint})" if error.hint else "")
    message = error.message
    if message.startswith("[") and "] " in message:
        reason, _, detail = message[1:].partition("] ")
        return reason, detail
    return "unreadable", message


def _page_article(fetched: Fetched, item: _Item) -> Article:
    """The article on a fetched page (HTML, or plain text), its metadata filled in from the feed where the page lacks it."""
    kind = sniff(fetched.body, fetched.content_type)
    if kind == "html":
        text = decode_text(fetched.body, declared=fetched.charset or declared_charset(fetched.body))
        article = article_from_html(text, source=item.source)
    elif fetched.content_type == "text/plain":
        article = article_from_text(decode_text(fetched.body, declared=fetched.charset), source=item.source)
    else:
        what = fetched.content_type or "a document without a Content-Type"
        raise FetchError("unsupported-type", f"{what} is not a web page", url=fetched.url)
    hint = item.feed_item
    changes: ArticleFields = {"url": article.url or fetched.url}
    if not article.title and hint and hint.title:
        changes["title"] = hint.title
    if article.published is None and hint and hint.published:
        changes["published"] = hint.published
    if not article.outlet:
        changes["outlet"] = (
            hint.feed_title
            if hint and hint.feed_title
            else (urlsplit(fetched.url).hostname or "").removeprefix("www.")
        )
    # the id is a hash of outlet, title and text: work it out again from the final values
    fields = ArticleFields(
        outlet=article.outlet, title=article.title, published=article.published, language=article.language
    )
    fields.update(changes)
    return Article(text=article.text, source=article.source, **fields)


def ingest(
    sources: Iterable[str | Path],
    *,
    db: str | Path,
    options: Options | None = None,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> IngestReport:
    """Ingest files, folders, JSONL dumps, article URLs, feeds (URL or file) and OPML lists into the corpus at ``db``.

    With ``workers`` (a local Dask cluster of that many processes) or ``scheduler`` (the address of a
    running one), the per-article work runs on Dask workers (:mod:`.distributed`); the corpus ends the same.
    """
    if workers is None and scheduler is None:
        ingester = Ingester(db, options=options, progress=progress, stop=stop)
    else:
        from .distributed import DaskIngester

        ingester = DaskIngester(
            db, workers=workers, scheduler=scheduler, options=options, progress=progress, stop=stop
        )
    with ingester:
        return ingester.run(list(sources))


def watch(
    feeds: Sequence[str],
    *,
    db: str | Path,
    every: float,
    once: bool = False,
    options: Options | None = None,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    on_poll: Callable[[IngestReport], None] | None = None,
) -> None:
    """Poll ``feeds`` every ``every`` seconds with conditional GET, ingesting new items, until ``stop`` is set
    (or after one poll with ``once``).  ``on_poll`` receives each poll's report."""
    stop = stop or threading.Event()
    with Ingester(db, options=options, progress=progress, stop=stop) as ingester:
        while True:
            ingester.counts = dict.fromkeys(ingester.counts, 0)
            report = ingester.run(feeds, conditional=True)
            if on_poll is not None:
                on_poll(report)
            if once or stop.is_set() or stop.wait(every):
                return
