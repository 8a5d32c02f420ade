"""Static word vectors for paraphrase-aware fact grouping (numpy only).

The table ``data/word_vectors.gz`` is distilled at build time from the
all-MiniLM-L6-v2 sentence encoder by ``scripts/build_word_vectors.py``: each
common English word's vector is the model's own contextual vector for it,
averaged over Multi-News training sentences, merged by Snowball stem (the unit
:func:`storybrief.analysis.terms.terms` yields), reduced by PCA and stored as
int8.  Run time needs neither the model nor torch: looking up a stem is a dict
access, and the table loads in a few tens of milliseconds.

Names, numbers and rare words are deliberately absent: they can only match
exactly, so "Marrick" is never "similar" to "Threlfall".
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import AnalysisError

__all__ = ["WordVectors", "load_word_vectors", "DEFAULT_TABLE"]

MAGIC = b"storybrief-word-vectors 1\n"
DEFAULT_TABLE = Path(__file__).resolve().parent / "data" / "word_vectors.gz"


@dataclass(frozen=True, eq=False)
class WordVectors:
    """Unit-length vectors (float64 rows) keyed by stem, with each stem's corpus count."""

    index: dict[str, int]
    matrix: np.ndarray
    counts: np.ndarray
    meta: dict

    @property
    def matrix32(self) -> np.ndarray:
        """The vectors as float32 (computed once): similarity thresholds do not need float64."""
        cached = self.__dict__.get("_matrix32")
        if cached is None:
            cached = np.ascontiguousarray(self.matrix, dtype=np.float32)
            object.__setattr__(self, "_matrix32", cached)
        return cached

    @property
    def dims(self) -> int:
        return int(self.matrix.shape[1])

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, stem: object) -> bool:
        return stem in self.index

    def rows(self, stems: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(mask of the stems that have a vector, their vectors in order)."""
        found = np.array([s in self.index for s in stems], dtype=bool)
        idx = [self.index[s] for s in stems if s in self.index]
        return found, self.matrix[idx]


def read_word_vectors(path: str | Path) -> WordVectors:
    """Read a table written by scripts/build_word_vectors.py."""
    path = Path(path)
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise AnalysisError(
            f"cannot read word vectors: {e}", where=str(path), hint="reinstall storybrief or run scripts/build_word_vectors.py"
        ) from e
    if not data.startswith(MAGIC):
        raise AnalysisError("not a storybrief word-vector table", where=str(path), hint="run scripts/build_word_vectors.py")
    head_end = data.index(b"\n", len(MAGIC))
    meta = json.loads(data[len(MAGIC) : head_end])
    vocab_end = head_end + 1 + meta["vocab_bytes"]
    stems: list[str] = []
    counts: list[int] = []
    for line in data[head_end + 1 : vocab_end].decode("utf-8").splitlines():
        s, c = line.split("\t")
        stems.append(s)
        counts.append(int(c))
    n, dims = meta["count"], meta["dims"]
    raw = np.frombuffer(data, dtype=np.int8, count=n * dims, offset=vocab_end).reshape(n, dims)
    matrix = raw.astype(np.float64)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return WordVectors(
        index={s: i for i, s in enumerate(stems)}, matrix=matrix, counts=np.array(counts, dtype=np.int64), meta=meta
    )


@lru_cache(maxsize=4)
def load_word_vectors(path: str | Path | None = None) -> WordVectors:
    """The shipped table (or ``path``), read once per process and shared: it is never modified."""
    return read_word_vectors(path or DEFAULT_TABLE)
