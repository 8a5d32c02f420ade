"""SQLite cache of per-article analyses, keyed by content hash and analysis version.

The cache only saves time, so it heals itself instead of stopping a run:

- a file SQLite cannot use (random bytes, damaged pages, a table of another
  shape) is moved aside as ``<name>.corrupt-<time>`` with a one-line warning,
  and a fresh cache is started in its place;
- a row that does not decode into an analysis is a cache miss (and is
  overwritten when the article is analysed again).
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from pathlib import Path

from ..errors import AnalysisError, StorybriefError
from ..schema import from_data, to_data
from .model import ANALYSIS_VERSION, Analysis

logger = logging.getLogger("storybrief")

_COLUMNS = ["content_hash", "version", "ner", "data"]
_CREATE = (
    "CREATE TABLE IF NOT EXISTS analysis ("
    " content_hash TEXT NOT NULL, version INTEGER NOT NULL, ner INTEGER NOT NULL,"
    " data TEXT NOT NULL, PRIMARY KEY (content_hash, version, ner))"
)


class AnalysisCache:
    """A small key-value table: (content_hash, version, ner) -> analysis JSON.

    Re-briefing the same articles reads their analysis from here instead of
    re-running NLP.  Safe to share between processes (SQLite WAL mode).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise self._cannot_open(e) from e
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as e:  # not a database, damaged, or a table of another shape
            self._set_aside(e)
            try:
                self._db = self._open()
            except (OSError, sqlite3.Error) as again:
                raise self._cannot_open(again) from again
        except (OSError, sqlite3.Error) as e:
            raise self._cannot_open(e) from e

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_CREATE)
            columns = [row[1] for row in db.execute("PRAGMA table_info(analysis)")]
            if columns != _COLUMNS:
                raise sqlite3.DatabaseError(f"its analysis table has columns {columns}, not {_COLUMNS}")
            db.commit()
        except BaseException:
            db.close()
            raise
        return db

    def _cannot_open(self, e: Exception) -> AnalysisError:
        return AnalysisError(
            f"cannot open analysis cache: {e}",
            where=str(self.path),
            hint="set STORYBRIEF_CACHE_DIR or pass --no-cache",
        )

    def _set_aside(self, error: Exception) -> None:
        """Move the unusable file (and its WAL files) aside, so this run and later ones start afresh."""
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            try:
                if part.exists():
                    part.replace(f"{aside}{suffix}")
            except OSError as e:
                raise self._cannot_open(e) from e
        logger.warning(
            "analysis cache %s is unusable (%s); moved it to %s and started a new one",
            self.path,
            error,
            aside.name,
        )

    def _heal(self, error: sqlite3.DatabaseError) -> None:
        """A query failed on a damaged file: set it aside and carry on with an empty cache."""
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        self._set_aside(error)
        try:
            self._db = self._open()
        except (OSError, sqlite3.Error) as e:
            raise self._cannot_open(e) from e

    def get_many(self, hashes: list[str], *, ner: bool) -> dict[str, Analysis]:
        """The cached analyses of these content hashes; an unreadable row is left out (a miss)."""
        try:
            return self._get_many(hashes, ner=ner)
        except sqlite3.DatabaseError as e:
            self._heal(e)
            return {}

    def _get_many(self, hashes: list[str], *, ner: bool) -> dict[str, Analysis]:
        found: dict[str, Analysis] = {}
        unique = sorted(set(hashes))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT content_hash, data FROM analysis WHERE version = ? AND ner = ? AND content_hash IN ({marks})",
                (ANALYSIS_VERSION, int(ner), *chunk),
            )
            for content_hash, data in rows:
                analysis = _decode(content_hash, data)
                if analysis is not None:
                    found[content_hash] = analysis
        return found

    def put_many(self, analyses: list[Analysis]) -> None:
        rows = [(a.content_hash, a.version, int(a.ner), json.dumps(to_data(a))) for a in analyses]
        try:
            self._put(rows)
        except sqlite3.DatabaseError as e:
            self._heal(e)
            self._put(rows)

    def _put(self, rows: list[tuple]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO analysis (content_hash, version, ner, data) VALUES (?, ?, ?, ?)", rows
        )
        self._db.commit()

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM analysis").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> AnalysisCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _decode(content_hash: str, data: object) -> Analysis | None:
    """The analysis in a row, or None (a miss) when the row does not hold one for this hash."""
    try:
        analysis = from_data(Analysis, json.loads(data), where="analysis cache")  # type: ignore[arg-type]
    except (
        TypeError,
        ValueError,
        KeyError,
        AttributeError,
        IndexError,
        RecursionError,
        StorybriefError,
    ) as e:
        logger.debug("analysis cache row %s is unreadable (%s); analysing again", content_hash[:12], e)
        return None
    if analysis.content_hash != content_hash:
        return None
    return analysis
