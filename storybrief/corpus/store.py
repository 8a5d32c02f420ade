"""The corpus: every article ingested, once, with its analysis and its story, in one SQLite file.

Tables (all named ``corpus_*``; the story index keeps its own ``story_index_*``
tables in the same file, and the web app's briefing store may add its own):

- ``corpus_meta``: the schema version, checked on open;
- ``corpus_articles``: one row per article, with its text, its analysis (JSON)
  and the story it joined; *once* is judged by canonical URL and by content
  hash (both unique);
- ``corpus_urls``: every canonical URL that led to an article (the item's link,
  the page after redirects, the page's own canonical link), so a link seen
  again is skipped before it is fetched;
- ``corpus_feeds``: each polled feed's ETag and Last-Modified, for conditional GET;
- ``corpus_failures``: each source that failed, with a named reason, until it succeeds;
- ``corpus_briefings``: each story's last briefing, keyed by the story's membership.

Durability: WAL mode, ``synchronous=FULL``, and :meth:`Corpus.add_articles`
writes a batch of articles and their story memberships (:meth:`StoryIndex.save`)
in one transaction, so a process killed at any moment leaves the corpus as it
was after the last whole batch, and the same run started again finishes it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..analysis import Analysis, AnalyzedArticle
from ..articles import Article, hash_text
from ..errors import StoreError
from ..schema import from_data, to_data

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS corpus_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS corpus_articles (
    seq           INTEGER PRIMARY KEY,      -- the order articles were added in
    id            TEXT NOT NULL UNIQUE,
    content_hash  TEXT NOT NULL UNIQUE,
    canonical_url TEXT UNIQUE,              -- NULL for an article read from a file without a URL
    url           TEXT,
    outlet        TEXT NOT NULL,
    title         TEXT NOT NULL,
    published     TEXT,
    language      TEXT NOT NULL,
    source        TEXT NOT NULL,
    text          TEXT NOT NULL,
    analysis      TEXT NOT NULL,            -- the Analysis JSON
    story_id      TEXT NOT NULL,            -- the story it joined (merges are followed through the index)
    added_at      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS corpus_urls (canonical_url TEXT PRIMARY KEY, article_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS corpus_feeds (
    url TEXT PRIMARY KEY, title TEXT NOT NULL, etag TEXT, last_modified TEXT, polled_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS corpus_failures (
    source TEXT PRIMARY KEY, reason TEXT NOT NULL, detail TEXT NOT NULL, at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS corpus_briefings (
    story_id TEXT PRIMARY KEY, key TEXT NOT NULL, data TEXT NOT NULL, made_at TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class StoryRow:
    """A living story as the corpus lists it."""

    id: str
    headline: str
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    first_seen: str
    last_seen: str


class Corpus:
    """One corpus file.  Not shared between threads: open one per thread (opening is cheap)."""

    def __init__(self, path: str | Path, *, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(
                "no corpus here",
                where=str(self.path),
                hint="make one with: storybrief ingest SOURCE... --db " + str(self.path),
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a batch is exactly one transaction
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "corpus_meta" in tables:
                row = self.db.execute("SELECT value FROM corpus_meta WHERE key = 'schema_version'").fetchone()
                version = int(row[0]) if row else None
                if version != SCHEMA_VERSION:
                    raise StoreError(
                        f"corpus schema version {version} is not supported (this storybrief reads "
                        f"version {SCHEMA_VERSION})",
                        where=str(self.path),
                        hint="use another --db file",
                    )
            elif not create:
                raise StoreError(
                    "this SQLite file holds no corpus",
                    where=str(self.path),
                    hint="make one with: storybrief ingest SOURCE... --db " + str(self.path),
                )
            else:
                self.db.executescript(_SCHEMA)  # IF NOT EXISTS: two processes creating it at once agree
                self.db.execute(
                    "INSERT OR IGNORE INTO corpus_meta (key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
        except sqlite3.Error as e:
            raise StoreError(
                f"cannot open the corpus: {e}",
                where=str(self.path),
                hint="check the --db path; is it a SQLite file?",
            ) from e

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a SQLite failure (disk full, a locked file) becomes a :class:`StoreError`."""
        try:
            if not self.db.in_transaction:
                self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            else:
                if self.db.in_transaction:
                    self.db.execute("COMMIT")
        except sqlite3.Error as e:
            raise StoreError(f"cannot write to the corpus: {e}", where=str(self.path)) from e

    # the story index -----------------------------------------------------------------------
    def load_index(self, options=None, *, backed: bool = False):
        """The story index saved here: read whole, or (``backed``, for an ingest) kept in this file
        with a bounded working set in memory (see :mod:`storybrief.stories.index_store`)."""
        from ..stories.index import StoryIndex

        return StoryIndex.load(self.db, options, backed=backed)

    # what is known ---------------------------------------------------------------------------
    def known_url(self, canonical: str) -> str | None:
        row = self.db.execute(
            "SELECT article_id FROM corpus_urls WHERE canonical_url = ?", (canonical,)
        ).fetchone()
        return row[0] if row else None

    def known_hash(self, content_hash: str) -> str | None:
        row = self.db.execute(
            "SELECT id FROM corpus_articles WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM corpus_articles").fetchone()[0]

    def last_seq(self) -> int:
        """The ``seq`` of the article stored last (0 for none): the articles stored later come after it."""
        return self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM corpus_articles").fetchone()[0]

    def stories_joined(self, after: int) -> int:
        """How many stories the articles stored after ``seq`` ``after`` joined (counted here, so a
        run's report holds no list of its articles)."""
        return self.db.execute(
            "SELECT COUNT(DISTINCT story_id) FROM corpus_articles WHERE seq > ?", (after,)
        ).fetchone()[0]

    # writing ---------------------------------------------------------------------------------
    def add_articles(self, items: Sequence[tuple[AnalyzedArticle, str, Iterable[str]]], index) -> None:
        """Store analysed articles, each with the story it joined and its canonical URLs, and the
        index's changes, in one transaction.  An article's first URL is its canonical URL."""
        now = _now()
        try:
            with self.transaction() as db:
                for item, story_id, urls in items:
                    article = item.article
                    urls = list(dict.fromkeys(urls))
                    db.execute(
                        "INSERT INTO corpus_articles (id, content_hash, canonical_url, url, outlet, title, published,"
                        " language, source, text, analysis, story_id, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (
                            article.id,
                            article.content_hash,
                            urls[0] if urls else None,
                            article.url,
                            article.outlet,
                            article.title,
                            article.published.isoformat() if article.published else None,
                            article.language,
                            article.source,
                            article.text,
                            json.dumps(to_data(item.analysis), separators=(",", ":")),
                            story_id,
                            now,
                        ),
                    )
                    db.executemany(
                        "INSERT OR IGNORE INTO corpus_urls (canonical_url, article_id) VALUES (?, ?)",
                        [(u, article.id) for u in urls],
                    )
                    db.execute("DELETE FROM corpus_failures WHERE source = ?", (article.source,))
                index.save(db)
        except sqlite3.Error as e:
            raise StoreError(f"cannot store the articles: {e}", where=str(self.path)) from e

    def add_urls(self, urls: Iterable[str], article_id: str) -> None:
        """Remember more URLs that lead to a stored article (a copy found under another address)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO corpus_urls (canonical_url, article_id) VALUES (?, ?)",
                [(u, article_id) for u in urls],
            )

    def record_failure(self, source: str, reason: str, detail: str) -> None:
        """Note that ``source`` failed; the record stays until the source gives an article."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO corpus_failures (source, reason, detail, at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (source) DO UPDATE SET reason = excluded.reason, detail = excluded.detail,"
                " at = excluded.at WHERE reason != excluded.reason OR detail != excluded.detail",
                (source, reason, detail, _now()),
            )

    def clear_failure(self, source: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM corpus_failures WHERE source = ?", (source,))

    def failures(self) -> list[tuple[str, str, str]]:
        return [
            tuple(r)
            for r in self.db.execute("SELECT source, reason, detail FROM corpus_failures ORDER BY source")
        ]

    def feed_state(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT etag, last_modified FROM corpus_feeds WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_feed_state(self, url: str, *, title: str, etag: str | None, last_modified: str | None) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO corpus_feeds (url, title, etag, last_modified, polled_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (url) DO UPDATE SET title = excluded.title, etag = excluded.etag,"
                " last_modified = excluded.last_modified, polled_at = excluded.polled_at",
                (url, title, etag, last_modified, _now()),
            )

    # reading ---------------------------------------------------------------------------------
    def articles(self, ids: Sequence[str]) -> list[AnalyzedArticle]:
        """The stored articles with their analyses, in the order of ``ids``."""
        found: dict[str, AnalyzedArticle] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            rows = self.db.execute(
                "SELECT id, url, outlet, title, published, language, source, text, analysis FROM corpus_articles"
                f" WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for id_, url, outlet, title, published, language, source, text, analysis in rows:
                article = Article(
                    id=id_,
                    text=text,
                    outlet=outlet,
                    title=title,
                    url=url,
                    language=language,
                    source=source,
                    published=datetime.fromisoformat(published) if published else None,
                )
                found[id_] = AnalyzedArticle(article, from_data(Analysis, json.loads(analysis)))
        missing = [i for i in ids if i not in found]
        if missing:
            raise StoreError(
                f"the story index names articles the corpus lacks: {', '.join(missing[:5])}",
                where=str(self.path),
            )
        return [found[i] for i in ids]

    def story_rows(self, index=None, *, since: datetime | None = None) -> list[StoryRow]:
        """The living stories, most recently updated first (optionally only those updated since ``since``)."""
        index = index or self.load_index()
        meta = {
            row[0]: row[1:]
            for row in self.db.execute("SELECT id, outlet, url, title, added_at, seq FROM corpus_articles")
        }
        rows = []
        for story_id, ids in index.stories().items():
            known = [i for i in ids if i in meta]
            if not known:
                continue
            added = [meta[i][3] for i in known]
            first, last = min(added), max(added)
            if since is not None and datetime.fromisoformat(last) < since:
                continue
            outlets = tuple(sorted({meta[i][0] or _host(meta[i][1]) or "unknown outlet" for i in known}))
            headline = next((meta[i][2] for i in known if meta[i][2]), "")
            rows.append(StoryRow(story_id, headline, tuple(known), outlets, first, last))
        rows.sort(key=lambda r: (r.last_seen, max(meta[i][4] for i in r.article_ids)), reverse=True)
        return rows

    def article_rows(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """The list view of stored articles: id, outlet, title, URL and published time."""
        out = []
        for i in ids:
            row = self.db.execute(
                "SELECT id, outlet, url, title, published FROM corpus_articles WHERE id = ?", (i,)
            ).fetchone()
            if row:
                out.append(
                    {
                        "id": row[0],
                        "outlet": row[1] or _host(row[2]) or "",
                        "title": row[3],
                        "url": row[2],
                        "published": row[4],
                    }
                )
        return out

    # the briefing cache ----------------------------------------------------------------------
    def cached_briefing(self, story_id: str, key: str) -> str | None:
        row = self.db.execute(
            "SELECT data FROM corpus_briefings WHERE story_id = ? AND key = ?", (story_id, key)
        ).fetchone()
        return row[0] if row else None

    def cache_briefing(self, story_id: str, key: str, data: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO corpus_briefings (story_id, key, data, made_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (story_id) DO UPDATE SET key = excluded.key, data = excluded.data,"
                " made_at = excluded.made_at",
                (story_id, key, data, _now()),
            )

    # for tests and audits ----------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """The corpus's contents without the times things happened: what two equivalent runs share."""
        index = self.load_index()
        articles = [
            tuple(r)
            for r in self.db.execute(
                "SELECT id, content_hash, canonical_url, url, outlet, title, published, language, source,"
                " analysis, story_id FROM corpus_articles ORDER BY id"
            )
        ]
        return {
            "articles": articles,
            "urls": sorted(
                tuple(r) for r in self.db.execute("SELECT canonical_url, article_id FROM corpus_urls")
            ),
            "stories": index.stories(),
            "failures": self.failures(),
        }


def membership_key(story_id: str, article_ids: Iterable[str], *, method: str, words: int) -> str:
    """What a story's briefing depends on: its members (in any order), the method and the budget."""
    from ..analysis import ANALYSIS_VERSION
    from ..briefing import SCHEMA_VERSION as BRIEFING_SCHEMA

    parts = [story_id, method, str(words), str(ANALYSIS_VERSION), str(BRIEFING_SCHEMA), *sorted(article_ids)]
    return hash_text("\n".join(parts))[:24]


def _host(url: str | None) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
