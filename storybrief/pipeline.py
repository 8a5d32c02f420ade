"""The whole path in one call: sources → articles → analysis → stories → briefing."""

from __future__ import annotations

import contextlib
import threading
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
    analysis_over = threading.Event()
    warm = threading.Thread(
        target=_warm_later_stages, args=(options.method, analysis_over), name="storybrief-warm", daemon=True
    )
    warm.start()
    try:
        analysed = analyze_articles(articles, options=options, progress=progress)
    finally:
        analysis_over.set()
        warm.join()
    from .briefing import BriefingSet, build_briefing
    from .stories import build_stories

    stories = build_stories(analysed, options=options)
    return BriefingSet(
        briefings=tuple(build_briefing(story, options=options) for story in stories),
        rejections=tuple(rejections),
    )


def _warm_later_stages(method: str, analysis_over: threading.Event) -> None:
    """Import the stages after the analysis and load the summary model while spaCy's NER runs.

    In a fresh process that is about 0.3 s of CPU (the stories and briefing modules, scipy.sparse,
    the summariser's trees) which would otherwise come after the analysis, on the one thread every
    stage waits for.  spaCy spends most of its NER in BLAS without the GIL, so this thread starts
    once the NER model is loaded (:data:`~storybrief.analysis.entities.NLP_LOADED`), or when the
    analysis is over (every article came from the cache).  Nothing is computed here that the
    briefing would not load anyway; an error is left for the main thread to meet and report."""
    from .analysis.entities import NLP_LOADED

    while not NLP_LOADED.wait(0.02) and not analysis_over.is_set():
        pass
    with contextlib.suppress(Exception):
        from .briefing import build_briefing  # noqa: F401
        from .stories import build_stories  # noqa: F401
        from .summarize import get_summarizer

        get_summarizer(method).warm()


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
