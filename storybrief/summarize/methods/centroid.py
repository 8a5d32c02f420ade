"""Centroid baseline: TF-IDF centroid similarity, with MMR against repeats.

Each sentence is a TF-IDF vector over stemmed content terms (log-scaled tf,
smoothed IDF over the story's sentences).  Its salience is its cosine to the
centroid of all the story's sentences; sentences are then picked by maximal
marginal relevance,

    lambda * sim(sentence, centroid) - (1 - lambda) * max sim(sentence, picked),

so a sentence much like one already picked is pushed down the ranking.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..._blas import single_threaded_blas
from ...articles import Span
from ...language import sentence_vectors, terms
from ...stories.model import SentRef, Story
from ..base import Summarizer, fill_budget, register, to_spans

# Scores are rounded to this many decimals before the argmax, so that ties go
# to the earlier sentence.  Exact ties are common (boilerplate such as two
# "Winds sse at 5 to 10 mph." lines), and the last bits of a dot product may
# differ between runs (BLAS kernels depend on memory alignment); without the
# rounding the same story could get a different summary from run to run.
_DECIMALS = 9


def mmr_order(relevance: np.ndarray, sims: np.ndarray, *, lam: float) -> Iterator[int]:
    """Indices in MMR order, ties to the earlier index.

    Lazy, so a caller that stops early pays only for what it took.
    """
    n = len(relevance)
    redundancy = np.zeros(n)
    left = np.ones(n, dtype=bool)
    for _ in range(n):
        score = np.where(left, np.round(lam * relevance - (1.0 - lam) * redundancy, _DECIMALS), -np.inf)
        best = int(np.argmax(score))
        yield best
        left[best] = False
        redundancy = np.maximum(redundancy, sims[best])


@register
class CentroidSummarizer(Summarizer):
    name = "centroid"
    description = "baseline: TF-IDF centroid similarity with MMR (lambda 0.7)"

    def __init__(self, *, lam: float = 0.7) -> None:
        self.lam = lam

    def rank(self, story: Story) -> Iterator[SentRef]:
        refs = story.sent_refs()
        if not refs:
            return iter(())
        vectors = sentence_vectors([terms(story.sent_text(r)) for r in refs])
        centroid = vectors.mean(axis=0)
        norm = float(np.linalg.norm(centroid))
        relevance = vectors @ (centroid / norm) if norm > 0 else np.zeros(len(refs))
        sims = vectors @ vectors.T
        return (refs[i] for i in mmr_order(relevance, sims, lam=self.lam))

    @single_threaded_blas
    def summarize(self, story: Story, *, words: int) -> list[Span]:
        return to_spans(story, fill_budget(story, self.rank(story), words, cut_last=True))
