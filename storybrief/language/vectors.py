"""Texts as sets and vectors: word shingles (near-duplicate articles) and TF-IDF sentence rows."""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

from .words import tokens

if TYPE_CHECKING:
    import numpy as np

__all__ = ["SHINGLE", "containment", "sentence_term_rows", "sentence_vectors", "shingles", "term_cosine"]

SHINGLE = 5


def shingles(text: str, n: int = SHINGLE) -> frozenset[int]:
    words = tokens(text)
    if len(words) < n:
        return frozenset([hash(tuple(words))]) if words else frozenset()
    return frozenset(hash(tuple(words[i : i + n])) for i in range(len(words) - n + 1))


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set found in the other one."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def sentence_vectors(sent_terms: list[list[str]]) -> np.ndarray:
    """L2-normalised TF-IDF rows (log-scaled tf, smoothed idf over these sentences).

    The vocabulary is sorted and the arithmetic is float64, so the result does
    not depend on hash seeds: fact groups near the threshold are reproducible.
    """
    import numpy as np

    df: Counter[str] = Counter()
    for ts in sent_terms:
        df.update(set(ts))
    vocab = {word: i for i, word in enumerate(sorted(df))}
    n = len(sent_terms)
    matrix = np.zeros((n, max(len(vocab), 1)), dtype=np.float64)
    for row, ts in enumerate(sent_terms):
        for word, count in Counter(ts).items():
            matrix[row, vocab[word]] = (1.0 + math.log(count)) * (math.log((1 + n) / (1 + df[word])) + 1.0)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def sentence_term_rows(sent_terms: list[list[str]]) -> list[dict[str, float]]:
    """The rows of :func:`sentence_vectors` kept sparse: each sentence's terms and their weights,
    in sorted term order, of unit length.  A story of thousands of sentences has a vocabulary of
    thousands of terms, whose dense matrix would take gigabytes; :func:`term_cosine` compares two
    rows.  The weights are those of :func:`sentence_vectors` up to the last bits of the float64
    arithmetic (the norm is summed in term order)."""
    df: Counter[str] = Counter()
    for ts in sent_terms:
        df.update(set(ts))
    n = len(sent_terms)
    rows = []
    for ts in sent_terms:
        row = {
            word: (1.0 + math.log(count)) * (math.log((1 + n) / (1 + df[word])) + 1.0)
            for word, count in sorted(Counter(ts).items())
        }
        norm = math.sqrt(sum(w * w for w in row.values())) or 1.0
        rows.append({word: w / norm for word, w in row.items()})
    return rows


def term_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """The cosine of two rows of :func:`sentence_term_rows`, summed over their shared terms in
    sorted order (the same whichever row comes first)."""
    total = 0.0
    for word in sorted(a.keys() & b.keys()):
        total += a[word] * b[word]
    return total
