"""A durable SQLite store of briefings, for the web app and the HTTP API.

Each briefing gets its own short random id.  Briefings made from one upload
share a *batch*, which also keeps the sources that upload set aside, so a
page can show "also from this upload" and "set aside".

Durability: the database runs in WAL mode with ``synchronous=FULL``, and
:meth:`BriefingStore.add_set` commits before it returns, so a briefing whose
id a client has seen survives the server being killed (``kill -9``) at any
later moment.  The briefing JSON is stored as text, exactly as served, so
``GET /api/briefings/{id}`` is one indexed read with no re-serialising.

The store is safe to share between threads: each thread gets its own
connection (SQLite connections must not cross threads), and WAL lets
readers go on while one writer commits.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SerializerFunctionWrapHandler, computed_field, model_serializer

from .briefing import Briefing, BriefingSet
from .errors import StoreError
from .schema import from_data, to_data

STORE_VERSION = 1
ID_PATTERN = re.compile(r"^[0-9a-f]{12}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    rejections  TEXT NOT NULL            -- JSON list of Rejection dicts
);
CREATE TABLE IF NOT EXISTS briefings (
    id          TEXT PRIMARY KEY,
    batch_id    TEXT NOT NULL REFERENCES batches(id),
    position    INTEGER NOT NULL,        -- order within the batch (largest story first)
    created_at  TEXT NOT NULL,
    headline    TEXT NOT NULL,
    story_id    TEXT NOT NULL,
    n_articles  INTEGER NOT NULL,
    n_outlets   INTEGER NOT NULL,
    data        TEXT NOT NULL            -- the Briefing JSON with "id" and "created_at" added
);
CREATE INDEX IF NOT EXISTS briefings_by_time ON briefings (created_at DESC, id);
CREATE INDEX IF NOT EXISTS briefings_by_batch ON briefings (batch_id, position);
"""


@dataclass(frozen=True)
class StoredSummary:
    """One row of the briefing list: enough to show it without loading its articles."""

    id: str
    created_at: str
    headline: str
    story_id: str
    n_articles: Annotated[int, Field(serialization_alias="articles")]
    n_outlets: Annotated[int, Field(serialization_alias="outlets")]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def url(self) -> str:
        """Where the API serves the briefing's JSON."""
        return f"/api/briefings/{self.id}"


@dataclass(frozen=True, kw_only=True)
class StoredBriefing(Briefing):
    """A briefing as the store keeps it: its store ``id`` and ``created_at`` time, written first."""

    id: Annotated[str, Field(description="Store id; use it in /api/briefings/{id}.")]
    created_at: Annotated[str, Field(description="When it was made, ISO 8601 UTC.")]

    @model_serializer(mode="wrap")
    def _to_json(self, handler: SerializerFunctionWrapHandler):
        data = self._json_form(handler(self))
        return {"id": data.pop("id"), "created_at": data.pop("created_at"), **data}

    @classmethod
    def of(cls, briefing: Briefing, *, id: str, created_at: str) -> StoredBriefing:
        stored = {f.name: getattr(briefing, f.name) for f in dataclasses.fields(Briefing)}
        return cls(**stored, id=id, created_at=created_at)


@dataclass(frozen=True)
class Batch:
    """The briefings made from one upload, in order, and the sources it set aside.

    ``briefings`` holds the stored briefings when the batch was just written (empty when read back).
    """

    id: str
    briefing_ids: tuple[str, ...]
    rejections: tuple[dict[str, str], ...]
    briefings: tuple[StoredBriefing, ...] = field(default=(), compare=False, repr=False)


def default_store_path() -> Path:
    """``$STORYBRIEF_DB``, else ``$XDG_DATA_HOME/storybrief/briefings.sqlite`` (``~/.local/share`` by default)."""
    if os.environ.get("STORYBRIEF_DB"):
        return Path(os.environ["STORYBRIEF_DB"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "storybrief" / "briefings.sqlite"


def new_id() -> str:
    """A short random id (48 bits): unguessable enough for a local app, short enough for a URL."""
    return secrets.token_hex(6)


class BriefingStore:
    """Briefings in one SQLite file.  Create once per process and share it between threads."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._local = threading.local()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = self._db()
            db.executescript(_SCHEMA)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                db.execute(f"PRAGMA user_version = {STORE_VERSION}")
            elif version != STORE_VERSION:
                raise StoreError(
                    f"briefing store version {version} is not supported (expected {STORE_VERSION})",
                    where=str(self.path),
                    hint="use another --db file",
                )
        except (OSError, sqlite3.Error) as e:
            raise StoreError(
                f"cannot open the briefing store: {e}",
                where=str(self.path),
                hint="check the --db path and its folder's permissions",
            ) from e

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a write is exactly one transaction.
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=True)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a commit is on disk before add_set returns
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")

    # writing ---------------------------------------------------------------------------
    def add_set(self, result: BriefingSet) -> Batch:
        """Store every briefing of ``result`` in one transaction; committed when this returns."""
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        batch_id = new_id()
        ids = [new_id() for _ in result.briefings]
        rows = []
        stored = [StoredBriefing.of(b, id=i, created_at=now) for i, b in zip(ids, result.briefings)]
        for position, (briefing_id, briefing) in enumerate(zip(ids, stored)):
            rows.append(
                (
                    briefing_id,
                    batch_id,
                    position,
                    now,
                    briefing.headline,
                    briefing.story_id,
                    briefing.counts.articles,
                    briefing.counts.outlets,
                    json.dumps(to_data(briefing), ensure_ascii=False, separators=(",", ":")),
                )
            )
        rejections = to_data(result.rejections)
        try:
            with self._write() as db:
                db.execute(
                    "INSERT INTO batches (id, created_at, rejections) VALUES (?, ?, ?)",
                    (batch_id, now, json.dumps(rejections, ensure_ascii=False)),
                )
                db.executemany(
                    "INSERT INTO briefings (id, batch_id, position, created_at, headline, story_id,"
                    " n_articles, n_outlets, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.Error as e:
            raise StoreError(f"cannot store the briefings: {e}", where=str(self.path)) from e
        return Batch(batch_id, tuple(ids), tuple(rejections), briefings=tuple(stored))

    # reading ---------------------------------------------------------------------------
    def get_json(self, briefing_id: str) -> str | None:
        """The stored Briefing JSON text (with ``id`` and ``created_at``), or None."""
        if not ID_PATTERN.match(briefing_id):
            return None
        row = self._db().execute("SELECT data FROM briefings WHERE id = ?", (briefing_id,)).fetchone()
        return row[0] if row else None

    def get(self, briefing_id: str) -> dict[str, Any] | None:
        """The stored briefing's JSON as a dict (a briefing's :func:`~storybrief.schema.to_data` plus ``id``
        and ``created_at``)."""
        text = self.get_json(briefing_id)
        return json.loads(text) if text is not None else None

    def briefing(self, briefing_id: str) -> StoredBriefing | None:
        """The stored briefing, read back and checked (see :func:`~storybrief.schema.from_data`)."""
        data = self.get(briefing_id)
        return from_data(StoredBriefing, data, where=f"{self.path}: briefing {briefing_id}") if data else None

    def batch_of(self, briefing_id: str) -> Batch | None:
        db = self._db()
        row = db.execute(
            "SELECT b.batch_id, t.rejections FROM briefings b JOIN batches t ON t.id = b.batch_id WHERE b.id = ?",
            (briefing_id,),
        ).fetchone()
        if row is None:
            return None
        ids = [
            r[0]
            for r in db.execute("SELECT id FROM briefings WHERE batch_id = ? ORDER BY position", (row[0],))
        ]
        return Batch(row[0], tuple(ids), tuple(json.loads(row[1])))

    def list(self, *, limit: int = 50, offset: int = 0) -> list[StoredSummary]:
        """Briefings, newest first."""
        rows = self._db().execute(
            "SELECT id, created_at, headline, story_id, n_articles, n_outlets FROM briefings"
            " ORDER BY created_at DESC, batch_id, position LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [StoredSummary(*row) for row in rows]

    def list_item(self, briefing_id: str) -> StoredSummary | None:
        row = (
            self._db()
            .execute(
                "SELECT id, created_at, headline, story_id, n_articles, n_outlets FROM briefings WHERE id = ?",
                (briefing_id,),
            )
            .fetchone()
        )
        return StoredSummary(*row) if row else None

    def count(self) -> int:
        return self._db().execute("SELECT COUNT(*) FROM briefings").fetchone()[0]

    def close(self) -> None:
        """Close this thread's connection (other threads' close when their thread ends)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
