"""Stage 4: stories — group articles into stories, mark copies, and find cross-outlet fact groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from .._blas import single_threaded_blas
from ..analysis import AnalyzedArticle
from ..articles import hash_text
from ..articles.dedup import find_duplicates
from ..config import Options
from ..language import shingles
from .facts import group_facts
from .grouping import group_articles, group_stories
from .index import StoryIndex, order_for_index
from .model import FactGroup, SentRef, Story

# fmt: off
__all__ = [
    "FactGroup",
    "SentRef",
    "Story",
    "StoryIndex",
    "build_stories",
    "build_story",
    "group_articles",
    "group_stories",
    "order_for_index",
    "story_id",
]
# fmt: on


def story_id(articles: Sequence[AnalyzedArticle]) -> str:
    """The id of a story built outside an index: that of a story founded by its first article
    (the id :class:`StoryIndex` gives a story is fixed when it opens, see :mod:`.index`)."""
    return "s-" + hash_text(articles[0].article.id)[:12] if articles else "s-empty"


@single_threaded_blas
def build_story(
    articles: Sequence[AnalyzedArticle], *, options: Options | None = None, id: str | None = None
) -> Story:
    """One story from articles known to be about the same event (a pure function)."""
    options = options or Options()
    articles = tuple(articles)
    # shingles are worked out once per analysis record, like the rest of an article's own work
    sets = [a.analysis.derived("dedup.shingles", partial(shingles, a.article.text)) for a in articles]
    duplicate_of = find_duplicates(
        [a.article for a in articles], threshold=options.duplicate_threshold, sets=sets
    )
    story = Story(id=id or story_id(articles), articles=articles, duplicate_of=duplicate_of)
    groups, group_of = group_facts(story, options=options)
    return replace(story, fact_groups=groups, group_of=group_of)


def build_stories(articles: Sequence[AnalyzedArticle], *, options: Options | None = None) -> list[Story]:
    """Split a pile of articles into stories with the story index (largest first) and build each;
    a story's id is the one the index gave it."""
    options = options or Options()
    return [
        build_story([articles[i] for i in idx], options=options, id=sid)
        for sid, idx in group_stories(articles, options=options)
    ]
