"""Where the story index keeps its stories and its article memberships.

:class:`StoryStore` is the one storage interface of :class:`~storybrief.stories.index.StoryIndex`;
the grouping decision is written once, against it.  It works in two ways:

* **in memory** (``db`` is ``None``): every story and membership is held, as for one pile briefed
  once (``storybrief brief``, the web app's upload);
* **backed by SQLite** (the index loaded from a corpus): the stories and memberships live in the
  ``story_index_*`` tables, and only a *working set* is held: the stories changed since the last
  save (they are written by :meth:`StoryIndex.save` in the caller's transaction, so they are never
  dropped before), the memberships not yet saved, and at most ``cap`` other stories, the most
  recently used, holding at most ``term_cap`` centroid terms together (stories grow as the corpus
  does: a count alone would not bound the bytes).  A story that is asked for and not held is read back from its row, exactly as it
  was (floats are stored as their float64 bytes, the centroid in its own order), so the decisions
  are the same whatever the cap: only the client's memory changes, which no longer grows with the
  corpus.

The postings (term id -> story seqs, in listing order) follow the same rule: all held in memory,
or, backed by SQLite, only the listings made since the last save.

:class:`Frequencies` keeps the term vocabulary (each term's id and document frequency) and the
entities' document frequencies in the same two ways: all held, or, backed by SQLite, the keys
changed since the last save plus at most ``cap`` others, the most recently used; the keys an
article needs and does not hold are read back in one ``IN (...)`` query.  What still grows in
memory is the merge aliases (one entry a merge).
"""

from __future__ import annotations

import json
import operator
import sqlite3
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# the stories held beyond those changed since the last save, when the index is backed by SQLite
WORKING_SET = 2000
# ... and the centroid terms those stories may hold together (about 100 bytes each)
WORKING_SET_TERMS = 150_000
# the terms (and, apart, the entities) held beyond those changed since the last save, likewise
KEYS_HELD = 20000
# keys asked for in one query (below SQLite's limit on bound parameters)
_IN_BATCH = 500

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS story_index_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # one row per live story; the small columns first, so that reading them skips the big blobs
    "CREATE TABLE IF NOT EXISTS story_index_states (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " size INTEGER NOT NULL, n_vectors INTEGER NOT NULL, norm2 REAL NOT NULL, first REAL, last REAL,"
    " posted BLOB NOT NULL, entities TEXT NOT NULL, terms BLOB NOT NULL, weights BLOB NOT NULL, vector BLOB)",
    # term id -> the stories listed under it (the inverted index of candidates), in listing order
    "CREATE TABLE IF NOT EXISTS story_index_postings (term INTEGER NOT NULL, listing INTEGER NOT NULL,"
    " seq INTEGER NOT NULL, PRIMARY KEY (term, listing)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS story_index_members (article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL,"
    " position INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS story_index_members_story ON story_index_members (story_id)",
    "CREATE TABLE IF NOT EXISTS story_index_aliases (alias TEXT PRIMARY KEY, story_id TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS story_index_terms (term TEXT PRIMARY KEY, id INTEGER NOT NULL UNIQUE,"
    " df INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS story_index_entities (key TEXT PRIMARY KEY, df INTEGER NOT NULL)",
)
_COLUMNS = "seq, id, size, n_vectors, norm2, first, last, posted, entities, terms, weights, vector"


@dataclass
class _Story:
    id: str
    seq: int  # creation order: the older story has the smaller seq
    size: int = 0  # articles
    # its articles, kept by an index built in memory only (scripts/fit_grouping.py reads them)
    members: list[str] = field(default_factory=list)
    centroid: dict[int, float] = field(default_factory=dict)  # term id -> summed unit TF-IDF weight
    norm2: float = 0.0  # squared norm of the centroid
    vector: np.ndarray | None = None  # summed unit MiniLM vectors (float64)
    n_vectors: int = 0
    entities: dict[str, int] = field(default_factory=dict)  # entity -> articles naming it
    first: float | None = None
    last: float | None = None
    posted: dict[int, int] = field(
        default_factory=dict
    )  # term id this story is listed under -> listing number

    def to_row(self) -> tuple[object, ...]:
        """Its ``story_index_states`` row: floats as float64 bytes or REAL, dicts in their own order."""
        n = len(self.centroid)
        return (
            self.seq,
            self.id,
            self.size,
            self.n_vectors,
            self.norm2,
            self.first,
            self.last,
            np.asarray(list(self.posted.items()), dtype=np.int64).tobytes(),
            json.dumps(self.entities, separators=(",", ":")),
            np.fromiter(self.centroid.keys(), dtype=np.int64, count=n).tobytes(),
            np.fromiter(self.centroid.values(), dtype=np.float64, count=n).tobytes(),
            None if self.vector is None else self.vector.tobytes(),
        )

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> _Story:
        seq, story_id, size, n_vectors, norm2, first, last, posted, entities, tids, weights, vector = row
        pairs = np.frombuffer(posted, dtype=np.int64).reshape(-1, 2).tolist()
        return cls(
            id=story_id,
            seq=seq,
            size=size,
            centroid=dict(
                zip(
                    np.frombuffer(tids, dtype=np.int64).tolist(),
                    np.frombuffer(weights, dtype=np.float64).tolist(),
                )
            ),
            norm2=norm2,
            vector=None if vector is None else np.frombuffer(vector, dtype=np.float64).copy(),
            n_vectors=n_vectors,
            entities=json.loads(entities),
            first=first,
            last=last,
            posted={tid: n for tid, n in pairs},
        )


class StoryStore:
    """The index's live stories (by seq and by id) and which story each article joined.

    ``dirty`` holds the seqs of the stories changed since the last save; they are always held."""

    def __init__(
        self,
        db: sqlite3.Connection | None = None,
        *,
        cap: int | None = WORKING_SET,
        term_cap: int = WORKING_SET_TERMS,
        stored: bool = False,
    ) -> None:
        self.db = db
        self.cap = cap if db is not None else None  # None: no limit, of stories or of terms
        self.term_cap = term_cap
        # where what is not held is read back from (once the tables exist)
        self._source = db if stored else None
        self._held: OrderedDict[int, _Story] = OrderedDict()  # seq -> story, least recently used first
        self._seq_of: dict[str, int] = {}  # id -> seq, of the held stories
        self._gone: dict[str, int] = {}  # stories dropped since the last save: id -> seq
        self.dirty: set[int] = set()
        # article id -> the story it joined: all of them in memory; with SQLite, those not saved yet
        self._joined: dict[str, str] = {}
        self.reads = 0  # stories read back from SQLite (for tests and benches)
        # term id -> story seqs in listing order: all of them in memory; with SQLite, those not saved yet
        self.postings: dict[int, array[int]] = {}
        self.saved_listings = 0  # the listings numbered below this are saved
        self._unlisted: dict[int, int] = {}  # listing -> term, of saved listings taken back since

    # ---- stories --------------------------------------------------------------------------

    def story(self, seq: int) -> _Story | None:
        """The live story numbered ``seq`` (None if it was merged away)."""
        story = self._held.get(seq)
        if story is not None:
            self._held.move_to_end(seq)
            return story
        if self._source is None or seq in self._gone.values():
            return None
        return self._read("seq = ?", seq)

    def by_id(self, story_id: str) -> _Story | None:
        seq = self._seq_of.get(story_id)
        if seq is not None:
            return self.story(seq)
        if self._source is None or story_id in self._gone:
            return None
        return self._read("id = ?", story_id)

    def is_live(self, story_id: str) -> bool:
        if story_id in self._seq_of:
            return True
        if self._source is None or story_id in self._gone:
            return False
        return (
            self._source.execute("SELECT 1 FROM story_index_states WHERE id = ?", (story_id,)).fetchone()
            is not None
        )

    def _read(self, where: str, key: object) -> _Story | None:
        assert self._source is not None
        row = self._source.execute(
            f"SELECT {_COLUMNS} FROM story_index_states WHERE {where}", (key,)
        ).fetchone()
        if row is None:
            return None
        self.reads += 1
        story = _Story.from_row(row)
        self._hold(story)
        return story

    def _hold(self, story: _Story) -> None:
        self._held[story.seq] = story
        self._seq_of[story.id] = story.seq

    def add(self, story: _Story) -> None:
        """A new story (held, and dirty until saved)."""
        self._hold(story)
        self.dirty.add(story.seq)

    def touch(self, story: _Story) -> None:
        """``story`` changed: it is held until it is saved."""
        self._hold(story)
        self._held.move_to_end(story.seq)
        self.dirty.add(story.seq)

    def drop(self, story: _Story) -> None:
        """``story`` merged away: it is no longer live (its row goes at the next save)."""
        self._held.pop(story.seq, None)
        self._seq_of.pop(story.id, None)
        self.dirty.discard(story.seq)
        self._gone[story.id] = story.seq

    def held(self) -> int:
        return len(self._held)

    def held_stories(self) -> list[_Story]:
        return list(self._held.values())

    def trim(self, *, terms: bool = False) -> None:
        """Let go of the least recently used stories that are saved, down to the cap, and with
        ``terms`` (at a save: counting them costs a pass over the held stories), down to the term cap."""
        if self.cap is None or (len(self._held) <= self.cap and not terms):
            return
        excess = len(self._held) - self.cap
        held = self.held_terms() if terms else 0
        gone = []
        for seq, story in self._held.items():  # the least recently used first
            if excess <= 0 and held <= self.term_cap:
                break
            if seq not in self.dirty:
                gone.append(seq)
                excess -= 1
                held -= len(story.centroid)
        for seq in gone:
            story = self._held.pop(seq)
            del self._seq_of[story.id]

    def held_terms(self) -> int:
        return sum(len(story.centroid) for story in self._held.values())

    def changes(
        self,
    ) -> tuple[list[str], list[tuple[object, ...]], list[tuple[int, int, int]], list[tuple[int, int]]]:
        """What to write: the ids of the stories dropped, the rows of those changed (by seq), the
        listings made (term, listing, seq) and those taken back (term, listing)."""
        return (
            sorted(self._gone),
            [self._held[seq].to_row() for seq in sorted(self.dirty)],
            sorted(
                (tid, n, seq)
                for seq in self.dirty
                for tid, n in self._held[seq].posted.items()
                if n >= self.saved_listings
            ),
            sorted((tid, listing) for listing, tid in self._unlisted.items()),
        )

    def saved(self, listings: int) -> None:
        """The changes are written (and the first ``listings`` listings): they may be read back."""
        self.saved_listings = listings
        self.dirty.clear()
        self._gone.clear()
        self._unlisted.clear()
        if self.db is not None:
            self._joined.clear()
            self.postings.clear()
            self._source = self.db
        self.trim(terms=True)

    @classmethod
    def read_whole(cls, db: sqlite3.Connection) -> StoryStore:
        """An in-memory store holding everything saved in ``db`` (for reading, after which ``db``
        may close)."""
        out = cls()
        for article_id, story_id in cls(db, stored=True).memberships():
            out.join(article_id, story_id)
        for row in db.execute(f"SELECT {_COLUMNS} FROM story_index_states ORDER BY seq"):
            out._hold(_Story.from_row(row))
        for tid, seq in db.execute("SELECT term, seq FROM story_index_postings ORDER BY listing"):
            out.postings.setdefault(tid, array("i")).append(seq)
        return out

    # ---- postings ------------------------------------------------------------------------------

    def list(self, tid: int, seq: int) -> None:
        """List story ``seq`` under term ``tid`` (the story's ``posted`` numbers the listing)."""
        self.postings.setdefault(tid, array("i")).append(seq)

    def unlist(self, tid: int, seq: int, listing: int) -> None:
        """Take back a listing (its story merged away)."""
        saved = listing < self.saved_listings
        if saved:
            self._unlisted[listing] = tid
        if not saved or self.db is None:  # the listing is held in memory
            self.postings[tid].remove(seq)

    def posting(self, tid: int, last: int) -> Sequence[int]:
        """The seqs of the ``last`` stories listed most recently under ``tid``, in listing order."""
        pending = self.postings.get(tid)
        if self._source is None:
            return pending[-last:] if pending else ()
        rows = self._source.execute(
            "SELECT listing, seq FROM story_index_postings WHERE term = ? ORDER BY listing DESC LIMIT ?",
            (tid, last + len(self._unlisted)),
        ).fetchall()
        seqs = [seq for listing, seq in reversed(rows) if listing not in self._unlisted]
        if pending:
            seqs.extend(pending)
        return seqs[-last:]

    # ---- memberships ------------------------------------------------------------------------

    def join(self, article_id: str, story_id: str) -> None:
        self._joined[article_id] = story_id

    def joined(self, article_id: str) -> str | None:
        """The story ``article_id`` joined when it was added (follow the aliases from there)."""
        story_id = self._joined.get(article_id)
        if story_id is None and self._source is not None:
            row = self._source.execute(
                "SELECT story_id FROM story_index_members WHERE article_id = ?", (article_id,)
            ).fetchone()
            story_id = row[0] if row else None
        return story_id

    def memberships(self) -> Iterator[tuple[str, str]]:
        """Every (article id, story it joined) in the order the articles were added."""
        if self._source is not None:
            yield from self._source.execute(
                "SELECT article_id, story_id FROM story_index_members ORDER BY position"
            )
        yield from self._joined.items()

    def seqs(self) -> dict[str, int]:
        """Every live story's id and seq."""
        out = {}
        if self._source is not None:
            out = {i: s for i, s in self._source.execute("SELECT id, seq FROM story_index_states")}
            for story_id in self._gone:
                out.pop(story_id, None)
        out.update(self._seq_of)
        return out


class Frequencies:
    """Document frequencies by key (a term, with the id it was given when first seen; or an entity).

    In memory (``db`` is ``None``) every key is held.  Backed by SQLite (``table`` of
    :data:`SCHEMA`), the keys counted since the last save are held until :meth:`saved`, and at
    most ``cap`` others, the most recently used; a key that is asked for and not held is read
    back.  Either way a key has the same id and count, so the index decides alike."""

    def __init__(
        self,
        table: str,
        *,
        ids: bool,
        db: sqlite3.Connection | None = None,
        cap: int | None = KEYS_HELD,
        stored: bool = False,
    ) -> None:
        self.table, self.ids, self.db = table, ids, db
        self.cap = cap if db is not None else None
        self._source = db if stored else None
        key = "term" if ids else "key"
        self._all = f"SELECT {key}, {'id' if ids else 'NULL'}, df FROM {table}"
        self._select = f"{self._all} WHERE {key} IN "
        self._held: OrderedDict[str, list[int]] = OrderedDict()  # key -> [id (or -1), df], LRU first
        self.dirty: set[str] = set()
        self.next_id = 0  # the id the next new term gets
        self.reads = 0  # keys read back from SQLite (for tests and benches)
        if self._source is not None and ids:
            (self.next_id,) = self._source.execute(f"SELECT COALESCE(MAX(id) + 1, 0) FROM {table}").fetchone()

    def held(self) -> int:
        return len(self._held)

    def _fetch(self, keys: Iterable[str]) -> None:
        """Hold ``keys`` that are saved and not held (the held ones become the most recently used)."""
        if self._source is None and self.cap is None:  # held whole: nothing to read, no order to keep
            return
        missing = []
        for key in keys:
            if key in self._held:
                self._held.move_to_end(key)
            else:
                missing.append(key)
        if self._source is None:
            return
        for start in range(0, len(missing), _IN_BATCH):
            part = missing[start : start + _IN_BATCH]
            query = self._select + f"({','.join('?' * len(part))})"
            for key, tid, df in self._source.execute(query, part):
                self._held[key] = [-1 if tid is None else tid, df]
                self.reads += 1

    def count(self, keys: Iterable[str]) -> list[tuple[int, int]]:
        """Count one more document for each of ``keys`` (a new term gets the next id, in the order
        given); each key's (id, document frequency) afterwards, in that order (id -1 for entities)."""
        keys = list(keys)
        self._fetch(keys)
        out = []
        for key in keys:
            entry = self._held.get(key)
            if entry is None:
                entry = self._held[key] = [self.next_id if self.ids else -1, 0]
                self.next_id += self.ids
            entry[1] += 1
            out.append((entry[0], entry[1]))
        self.dirty.update(keys)
        return out

    def df(self, key: str) -> int:
        """The document frequency of ``key`` (0 if it was never counted)."""
        self._fetch((key,))
        entry = self._held.get(key)
        return 0 if entry is None else entry[1]

    def save(self, db: sqlite3.Connection) -> None:
        """Write the keys counted since the last save (the caller commits, then calls :meth:`saved`)."""
        held = self._held
        if self.ids:
            db.executemany(
                f"INSERT INTO {self.table} (term, id, df) VALUES (?, ?, ?)"
                " ON CONFLICT (term) DO UPDATE SET df = excluded.df",
                sorted(((key, *held[key]) for key in self.dirty), key=operator.itemgetter(1)),
            )
        else:
            db.executemany(
                f"INSERT INTO {self.table} (key, df) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET df = excluded.df",
                [(key, held[key][1]) for key in sorted(self.dirty)],
            )

    def saved(self) -> None:
        """The counts are written: let go of the least recently used keys, down to the cap."""
        self.dirty.clear()
        if self.db is None:
            return
        self._source = self.db
        if self.cap is not None:
            while len(self._held) > self.cap:
                self._held.popitem(last=False)

    @classmethod
    def read_whole(cls, table: str, *, ids: bool, db: sqlite3.Connection) -> Frequencies:
        """An in-memory table holding every key saved in ``db``."""
        out = cls(table, ids=ids)
        whole = cls(table, ids=ids, db=db, stored=True)
        out.next_id = whole.next_id
        for key, tid, df in db.execute(whole._all + (" ORDER BY id" if ids else "")):
            out._held[key] = [-1 if tid is None else tid, df]
        return out


def upgrade_format_1(db: sqlite3.Connection) -> None:
    """Rewrite, in ``db`` and in place, a story index saved in format 1 (each story one JSON state
    in ``story_index_stories``, postings rebuilt at load) as format 2, so a corpus ingested by an
    earlier storybrief keeps its story ids.  Nothing is committed: the caller does, with its next
    save."""
    for statement in SCHEMA:
        db.execute(statement)
    aliases = dict(db.execute("SELECT alias, story_id FROM story_index_aliases"))

    def resolve(story_id: str) -> str:
        for _ in range(len(aliases) + 1):
            if story_id not in aliases:
                return story_id
            story_id = aliases[story_id]
        raise ValueError(f"alias cycle at {story_id}")

    sizes = Counter(
        resolve(story_id) for (story_id,) in db.execute("SELECT story_id FROM story_index_members")
    )
    for story_id, seq, state in db.execute(
        "SELECT id, seq, state FROM story_index_stories ORDER BY seq"
    ).fetchall():
        data = json.loads(state)
        story = _Story(
            id=story_id,
            seq=int(seq),
            size=sizes[story_id],
            centroid=dict(zip(data["t"], data["w"])),
            norm2=float(data["n2"]),
            vector=None if data["v"] is None else np.asarray(data["v"], dtype=np.float64),
            n_vectors=int(data["nv"]),
            entities={k: int(v) for k, v in data["e"].items()},
            first=data["f"],
            last=data["l"],
            posted={int(t): int(n) for t, n in data["p"]},
        )
        db.execute(f"INSERT INTO story_index_states VALUES ({','.join('?' * 12)})", story.to_row())
        db.executemany(
            "INSERT INTO story_index_postings (term, listing, seq) VALUES (?, ?, ?)",
            [(tid, n, story.seq) for tid, n in story.posted.items()],
        )
    (members,) = db.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM story_index_members").fetchone()
    db.executemany(
        "INSERT INTO story_index_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [("format", "2"), ("members", json.dumps(int(members)))],
    )
    db.execute("DROP TABLE story_index_stories")
