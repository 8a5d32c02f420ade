"""Group a pile of articles into stories with the online story index (:mod:`.index`)."""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis import AnalyzedArticle
from ..config import Options
from .index import StoryIndex, add_all


def group_stories(articles: Sequence[AnalyzedArticle], *, options: Options) -> list[tuple[str, list[int]]]:
    """Each story's id and the indices of its articles (in input order), largest story first
    (ties: the story whose first article comes first in the input).

    The articles are added to a fresh :class:`StoryIndex` in publication order when dates are
    known (:func:`~.index.order_for_index`); an article given twice lands in one story twice."""
    story_ids = add_all(StoryIndex(options), articles)
    groups: dict[str, list[int]] = {}
    for i, story_id in enumerate(story_ids):
        groups.setdefault(story_id, []).append(i)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[1][0]))


def group_articles(articles: Sequence[AnalyzedArticle], *, options: Options) -> list[list[int]]:
    """Lists of article indices, one per story, largest story first (see :func:`group_stories`)."""
    return [indices for _, indices in group_stories(articles, options=options)]
