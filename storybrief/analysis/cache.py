"""SQLite cache of per-article analyses, keyed by content hash and analysis version."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..errors import AnalysisError
from .model import ANALYSIS_VERSION, Analysis


class AnalysisCache:
    """A small key-value table: (content_hash, version, ner) -> analysis JSON.

    Re-briefing the same articles reads their analysis from here instead of
    re-running NLP.  Safe to share between processes (SQLite WAL mode).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS analysis ("
                " content_hash TEXT NOT NULL, version INTEGER NOT NULL, ner INTEGER NOT NULL,"
                " data TEXT NOT NULL, PRIMARY KEY (content_hash, version, ner))"
            )
            self._db.commit()
        except (OSError, sqlite3.Error) as e:
            raise AnalysisError(f"cannot open analysis cache: {e}", where=str(self.path),
                                hint="set STORYBRIEF_CACHE_DIR or pass --no-cache") from e

    def get_many(self, hashes: list[str], *, ner: bool) -> dict[str, Analysis]:
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
                found[content_hash] = Analysis.from_dict(json.loads(data))
        return found

    def put_many(self, analyses: list[Analysis]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO analysis (content_hash, version, ner, data) VALUES (?, ?, ?, ?)",
            [(a.content_hash, a.version, int(a.ner), json.dumps(a.to_dict())) for a in analyses],
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
