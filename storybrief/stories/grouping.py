"""Group a pile of articles into stories by document similarity."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..analysis import AnalyzedArticle
from ..analysis.terms import terms
from ..config import Options


def group_articles(articles: Sequence[AnalyzedArticle], *, options: Options) -> list[list[int]]:
    """Connected components of the graph "TF-IDF cosine ≥ story_threshold".

    Returns lists of article indices, largest story first (ties: first seen).
    """
    from .facts import sentence_vectors

    n = len(articles)
    if n == 0:
        return []
    vectors = sentence_vectors([terms(a.article.title + "\n" + a.text) for a in articles])
    sims = vectors @ vectors.T
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in np.argwhere(np.triu(sims >= options.story_threshold, k=1)).tolist():
        parent[find(i)] = find(j)
    comps: dict[int, list[int]] = {}
    for i in range(n):
        comps.setdefault(find(i), []).append(i)
    return sorted(comps.values(), key=lambda c: (-len(c), c[0]))
