"""Exact and near-duplicate articles (syndicated wire copies, light rewrites)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..language.vectors import SHINGLE, containment, shingles
from .model import Article

__all__ = ["SHINGLE", "containment", "find_duplicates", "shingles"]


def find_duplicates(
    articles: Sequence[Article], *, threshold: float = 0.8, sets: Sequence[frozenset[int]] | None = None
) -> dict[int, int]:
    """Map each copy's index to the index of the article it copies.

    Two articles are copies when at least ``threshold`` of the shorter one's
    5-word shingles appear in the other.  The original is the one published
    first when both are dated (a wire story predates its reprints), otherwise
    the longer text, then the earlier in input order.  Every copy points at a
    non-copy.  ``sets`` are the articles' :func:`shingles` when the caller has them.
    """
    if sets is None:
        sets = [shingles(a.text) for a in articles]

    def seniority(i: int) -> tuple[float, int, int]:
        published = articles[i].published
        return (published.timestamp() if published else math.inf, -len(sets[i]), i)

    order = sorted(range(len(articles)), key=seniority)
    copy_of: dict[int, int] = {}
    kept: list[int] = []
    for i in order:
        for j in kept:
            if (
                articles[i].content_hash == articles[j].content_hash
                or containment(sets[i], sets[j]) >= threshold
            ):
                copy_of[i] = j
                break
        else:
            kept.append(i)
    return copy_of
