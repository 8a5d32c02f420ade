"""Priors: how often a reference summary keeps a word or word pair its sources use, counted on Multi-News train."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

import numpy as np

from .features import ngram_tokens


@dataclass(frozen=True, eq=False)
class Priors:
    """How often a reference summary keeps a word or word pair that its sources use.

    Counted once on Multi-News train (:func:`count_priors`) and stored as
    arrays, so loading them costs no parsing.  ``words`` is the sorted
    vocabulary; ``uni_rows[i] = (n_src, n_ref, ref_count)`` for ``words[i]``:
    clusters whose sources hold it, how many of those references also hold
    it, and the references' total count of it (zeros for a word seen only in
    pairs; the last row is zeros, for words outside ``words``).
    ``bi_codes`` is the sorted ``i1 * len(words) + i2`` of every counted pair
    "w1 w2" and ``bi_rows`` its counts in the same order (last row zeros).
    ``n`` is the number of clusters counted.
    """

    n: int
    words: tuple[str, ...]
    uni_rows: np.ndarray
    bi_codes: np.ndarray
    bi_rows: np.ndarray

    @cached_property
    def index(self) -> dict[str, int]:
        """The number of every word of ``words``."""
        return dict(zip(self.words, range(len(self.words))))

    def tables(self) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
        """``(index, uni_rows, bi_codes, bi_rows)``."""
        return self.index, self.uni_rows, self.bi_codes, self.bi_rows

    @classmethod
    def from_counts(
        cls, n: int, uni: dict[str, tuple[int, int, int]], bi: dict[str, tuple[int, int, int]]
    ) -> Priors:
        """The arrays of ``uni[w]`` and ``bi["w1 w2"]`` counts (``(n_src, n_ref, ref_count)`` each)."""
        words = sorted(set(uni) | {w for k in bi for w in k.split(" ")})
        index = {w: i for i, w in enumerate(words)}
        v = len(words)
        uni_rows = np.zeros((v + 1, 3), dtype=np.float32)
        for w, row in uni.items():
            uni_rows[index[w]] = row
        codes = np.empty(len(bi), dtype=np.int64)
        rows = np.zeros((len(bi) + 1, 3), dtype=np.float32)
        for k, (key, row) in enumerate(bi.items()):
            a, b = key.split(" ")
            codes[k] = index[a] * v + index[b]
            rows[k] = row
        order = np.argsort(codes, kind="stable")
        return cls(n, tuple(words), uni_rows, codes[order], np.vstack([rows[:-1][order], rows[-1:]]))

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The priors as named arrays (for ``numpy.savez``), every name starting with ``prefix``."""
        return {
            f"{prefix}n": np.array(self.n, dtype=np.int64),
            f"{prefix}words": np.frombuffer("\n".join(self.words).encode("utf-8"), dtype=np.uint8),
            f"{prefix}uni_rows": self.uni_rows,
            f"{prefix}bi_codes": self.bi_codes,
            f"{prefix}bi_rows": self.bi_rows,
        }

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> Priors:
        """The inverse of :meth:`to_arrays` (``arrays`` may be an open ``numpy.load`` file)."""
        text = arrays[f"{prefix}words"].tobytes().decode("utf-8")
        return cls(
            n=int(arrays[f"{prefix}n"]),
            words=tuple(text.split("\n")) if text else (),
            uni_rows=arrays[f"{prefix}uni_rows"],
            bi_codes=arrays[f"{prefix}bi_codes"],
            bi_rows=arrays[f"{prefix}bi_rows"],
        )


def count_priors(pairs: Iterable[tuple[list[str], str]], *, min_uni: int = 3, min_bi: int = 5) -> Priors:
    """Count :class:`Priors` over (source texts, reference summary) pairs."""
    uni: dict[str, list[int]] = {}
    bi: dict[str, list[int]] = {}
    n = 0
    for texts, summary in pairs:
        n += 1
        src_uni: set[str] = set()
        src_bi: set[str] = set()
        for text in texts:
            toks = ngram_tokens(text)
            src_uni.update(toks)
            src_bi.update(f"{a} {b}" for a, b in pairwise(toks))
        ref = ngram_tokens(summary)
        ref_uni = Counter(ref)
        ref_bi = Counter(f"{a} {b}" for a, b in pairwise(ref))
        for table, src, refc in ((uni, src_uni, ref_uni), (bi, src_bi, ref_bi)):
            for key in src:
                row = table.get(key)
                if row is None:
                    row = table[key] = [0, 0, 0]
                row[0] += 1
                c = refc.get(key, 0)
                if c:
                    row[1] += 1
                    row[2] += c
    return Priors.from_counts(
        n,
        {k: (v[0], v[1], v[2]) for k, v in uni.items() if v[0] >= min_uni},
        {k: (v[0], v[1], v[2]) for k, v in bi.items() if v[0] >= min_bi},
    )


def _prior_cols(out: np.ndarray, base_p: float) -> np.ndarray:
    """(p_in_ref smoothed, mean ref count smoothed, log #clusters seen) from rows of
    raw prior counts ``(n_src, n_ref, ref_count)``."""
    a = 5.0
    s, r, c = out[:, 0], out[:, 1], out[:, 2]
    return np.column_stack([(r + a * base_p) / (s + a), (c + a * base_p) / (s + a), np.log1p(s)]).astype(
        np.float32
    )
