"""The whole path in one call: sources → articles → analysis → stories → briefing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .analysis import analyze_articles
from .articles import Article, Rejection
from .config import Options

if TYPE_CHECKING:
    from .briefing import BriefingSet


def brief_articles(
    articles: Sequence[Article],
    *,
    options: Options | None = None,
    rejections: Iterable[Rejection] = (),
    progress: Callable[[int, int], None] | None = None,
) -> BriefingSet:
    """Group articles into stories and brief each one, largest story first."""
    options = options or Options()
    analysed = analyze_articles(articles, options=options, progress=progress)
    # The later stages are imported once the analysis is done, not before it: in a fresh process
    # the analysis then starts (and its second thread, the sentence embeddings) that much sooner.
    from .briefing import BriefingSet, build_briefing
    from .stories import build_stories

    stories = build_stories(analysed, options=options)
    return BriefingSet(
        briefings=tuple(build_briefing(story, options=options) for story in stories),
        rejections=tuple(rejections),
    )


def brief_paths(
    paths: Iterable[str | Path],
    *,
    options: Options | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> BriefingSet:
    """Read files, folders or JSONL dumps and brief every story found in them.

    ``progress(stage, done, total)`` is called as files are read and articles analysed.
    """
    from .sources import read_sources

    options = options or Options()
    paths = [Path(p) for p in paths]
    read = read_sources(paths, options=options, progress=_stage(progress, "read"))
    return brief_articles(
        read.articles, options=options, rejections=read.rejections, progress=_stage(progress, "analyse")
    )


def _stage(progress: Callable[[str, int, int], None] | None, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)
