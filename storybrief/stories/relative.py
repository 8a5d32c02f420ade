"""How a candidate story stands among the article's other candidates.

The story index (:mod:`storybrief.stories.index`) scores an article against each of its candidate
stories.  A cosine alone says little in a dense index, where many stories share an article's words:
0.3 is a clear match when every other candidate is near 0.05 and no match at all when ten others
are near 0.3.  The decision model therefore also sees each candidate's cosines *relative* to the
other candidates of the same article: how far it stands out from the best of the others (the
margins), its rank, its distance from the candidates' mean in standard deviations, and how crowded
the article's neighbourhood is (how many candidates the inverted index found, how far apart the
best two are).  These features are the same at any size of index, which is what keeps the
decision fitted on a few thousand train articles sound on thirteen thousand.
"""

from __future__ import annotations

import math

import numpy as np

# fmt: off
# The decision model's features, in order: those of pair_features (index.py), then the relative
# ones filled in by relative_features.
FEATURES = (
    "tfidf", "minilm", "entities", "log_size", "tfidf_x_minilm", "no_vector",
    "tfidf_margin", "minilm_margin", "best_gap", "tfidf_rank", "minilm_rank",
    "log_candidates", "log_terms", "tfidf_z", "minilm_z",
)
# fmt: on
# The features that need MiniLM vectors (the fallback model for articles without them leaves them out).
VECTOR_FEATURES = ("minilm", "tfidf_x_minilm", "minilm_margin", "minilm_rank", "minilm_z")
PAIR_FEATURES = 6  # the first six come from pair_features
# Ranks count up to this (the fourth candidate and below all look alike to the model).
MAX_RANK = 3
# Added to the standard deviation of the candidates' cosines, so that near-equal candidates do not
# make huge z-scores.
Z_FLOOR = 0.05


def _margin(values: np.ndarray) -> np.ndarray:
    """Each value minus the best of the others."""
    if len(values) < 2:
        return values.copy()
    order = np.argsort(-values, kind="stable")
    best_other = np.where(np.arange(len(values)) == order[0], values[order[1]], values[order[0]])
    margin: np.ndarray = values - best_other
    return margin


def _rank(values: np.ndarray) -> np.ndarray:
    """0 for the highest value, 1 for the next... (ties: the earlier candidate first), up to MAX_RANK."""
    rank = np.empty(len(values))
    rank[np.argsort(-values, kind="stable")] = np.arange(len(values))
    return np.minimum(rank, MAX_RANK)


def _z(values: np.ndarray, pool: int) -> np.ndarray:
    """Each value's distance from the mean in standard deviations, over the candidates padded with
    zeros to ``pool`` values: an article with few candidates is measured as if the stories the
    inverted index did not find had cosine 0 with it (which is about what they have)."""
    padded = np.concatenate([values, np.zeros(max(0, pool - len(values)))])
    z: np.ndarray = (values - padded.mean()) / (padded.std() + Z_FLOOR)
    return z


def relative_features(pair_rows: np.ndarray, *, n_terms: int, pool: int) -> np.ndarray:
    """The full :data:`FEATURES` rows of an article's candidates from their pair features (the first
    :data:`PAIR_FEATURES` columns, one row per candidate, in candidate order); ``n_terms`` is how
    many distinct terms the article has and ``pool`` how many candidates the index looks at, at
    most (the z-scores count missing ones as cosine 0)."""
    n = len(pair_rows)
    tfidf, minilm = pair_rows[:, 0], pair_rows[:, 1]
    top = np.sort(tfidf)[::-1]
    columns = [
        _margin(tfidf),
        _margin(minilm),
        np.full(n, top[0] - top[1] if n > 1 else top[0] if n else 0.0),
        _rank(tfidf),
        _rank(minilm),
        np.full(n, math.log1p(n)),
        np.full(n, math.log1p(n_terms)),
        _z(tfidf, pool),
        _z(minilm, pool),
    ]
    return np.column_stack([pair_rows[:, :PAIR_FEATURES], *columns]).reshape(n, len(FEATURES))
