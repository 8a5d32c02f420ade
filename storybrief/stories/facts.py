"""Cross-article fact groups: the heart of storybrief.

Sentences from different outlets that report the same thing are grouped.
Similarity is TF-IDF cosine over stemmed content terms, with IDF taken over
the story's own sentences so that the story's topic words weigh little and
the specific details (names, numbers, rare words) weigh a lot.

Grouping is greedy average-link over cross-outlet pairs, strongest first,
with the rule that a group never holds two sentences of one outlet: the same
outlet saying a thing twice is not two confirmations.  Syndicated copies are
left out entirely; their support is their original's.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from ..analysis.terms import terms
from .model import FactGroup, SentRef, Story

# Calibrated by hand on the seed story and the bundled example: pairs above
# this cosine state the same fact; below it they share only the topic.
FACT_THRESHOLD = 0.38


def sentence_vectors(sent_terms: list[list[str]]) -> np.ndarray:
    """L2-normalised TF-IDF rows (log-scaled tf, smoothed idf over these sentences).

    The vocabulary is sorted and the arithmetic is float64, so the result does
    not depend on hash seeds: fact groups near the threshold are reproducible.
    """
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


def group_facts(story: Story, *, threshold: float = FACT_THRESHOLD) -> tuple[tuple[FactGroup, ...], dict[SentRef, int]]:
    refs = story.sent_refs()
    if not refs:
        return (), {}
    outlets = [story.outlet(r.article) for r in refs]
    vectors = sentence_vectors([terms(story.sent_text(r)) for r in refs])
    sims = vectors @ vectors.T
    n = len(refs)
    same_outlet = np.array(outlets)[:, None] == np.array(outlets)[None, :]
    candidates = np.argwhere(np.triu(sims >= threshold, k=1) & ~same_outlet)
    order = sorted(candidates.tolist(), key=lambda ij: (-sims[ij[0], ij[1]], ij[0], ij[1]))

    group = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for i, j in order:
        gi, gj = group[i], group[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        if {outlets[k] for k in a} & {outlets[k] for k in b}:
            continue
        if float(sims[np.ix_(a, b)].mean()) < threshold:
            continue
        keep, drop = (gi, gj) if gi < gj else (gj, gi)
        members[keep] = sorted(members[keep] + members[drop])
        for k in members.pop(drop):
            group[k] = keep

    groups: list[FactGroup] = []
    group_of: dict[SentRef, int] = {}
    for gid, (_, idx) in enumerate(sorted(members.items())):
        sent_refs = tuple(refs[k] for k in idx)
        groups.append(FactGroup(id=gid, members=sent_refs, outlets=tuple(sorted({outlets[k] for k in idx}))))
        for ref in sent_refs:
            group_of[ref] = gid
    return tuple(groups), group_of
