"""Stage 4: stories — group articles into stories, mark copies, and find cross-outlet fact groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..analysis import AnalyzedArticle
from ..articles import hash_text
from ..articles.dedup import find_duplicates, shingles
from .._blas import single_threaded_blas
from ..config import Options
from .facts import group_facts
from .grouping import group_articles
from .model import FactGroup, SentRef, Story

__all__ = ["FactGroup", "SentRef", "Story", "build_story", "build_stories", "group_articles", "story_id"]


def story_id(articles: Sequence[AnalyzedArticle]) -> str:
    """A stable id for a set of articles (order does not matter)."""
    return "s-" + hash_text("\n".join(sorted(a.article.id for a in articles)))[:12]


@single_threaded_blas
def build_story(articles: Sequence[AnalyzedArticle], *, options: Options | None = None, id: str | None = None) -> Story:
    """One story from articles known to be about the same event (a pure function)."""
    options = options or Options()
    articles = tuple(articles)
    # shingles are worked out once per analysis record, like the rest of an article's own work
    sets = [a.analysis.derived("dedup.shingles", lambda a=a: shingles(a.article.text)) for a in articles]
    duplicate_of = find_duplicates([a.article for a in articles], threshold=options.duplicate_threshold, sets=sets)
    story = Story(id=id or story_id(articles), articles=articles, duplicate_of=duplicate_of)
    groups, group_of = group_facts(story)
    return replace(story, fact_groups=groups, group_of=group_of)


def build_stories(articles: Sequence[AnalyzedArticle], *, options: Options | None = None) -> list[Story]:
    """Split a pile of articles into stories (largest first) and build each."""
    options = options or Options()
    return [build_story([articles[i] for i in idx], options=options) for idx in group_articles(articles, options=options)]
