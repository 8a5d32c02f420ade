"""storybrief: cited multi-outlet news briefings.

Data flows one way through the stages, each a package:
sources → articles → analysis → stories → summarize → briefing → renderers.

The names below are imported on first use, so ``import storybrief`` (and
``storybrief --help``) stays fast: spaCy, onnxruntime and the summary model
load only when a stage needs them.
"""

import importlib as _importlib
import logging as _logging
import typing as _typing

__version__ = "0.1.0"  # the one place the version is written; pyproject.toml reads it from here

_logging.getLogger("storybrief").addHandler(_logging.NullHandler())

# public name -> the module (relative to this package) that defines it
# fmt: off
_EXPORTS = {
    "Analysis": ".analysis",
    "AnalyzedArticle": ".analysis",
    "analyze_articles": ".analysis",
    "Article": ".articles",
    "Rejection": ".articles",
    "Span": ".articles",
    "Briefing": ".briefing",
    "BriefingSet": ".briefing",
    "build_briefing": ".briefing",
    "Options": ".config",
    "StorybriefError": ".errors",
    "brief_articles": ".pipeline",
    "brief_paths": ".pipeline",
    "ReadResult": ".sources",
    "read_sources": ".sources",
    "Story": ".stories",
    "build_stories": ".stories",
    "build_story": ".stories",
    "Summarizer": ".summarize",
    "available_methods": ".summarize",
    "get_summarizer": ".summarize",
    "register": ".summarize",
}
# fmt: on

if _typing.TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from .analysis import Analysis, AnalyzedArticle, analyze_articles
    from .articles import Article, Rejection, Span
    from .briefing import Briefing, BriefingSet, build_briefing
    from .config import Options
    from .errors import StorybriefError
    from .pipeline import brief_articles, brief_paths
    from .sources import ReadResult, read_sources
    from .stories import Story, build_stories, build_story
    from .summarize import Summarizer, available_methods, get_summarizer, register


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'storybrief' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value  # imported once: later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


# fmt: off
__all__ = [
    "Analysis",
    "AnalyzedArticle",
    "Article",
    "Briefing",
    "BriefingSet",
    "Options",
    "ReadResult",
    "Rejection",
    "Span",
    "Story",
    "StorybriefError",
    "Summarizer",
    "analyze_articles",
    "available_methods",
    "brief_articles",
    "brief_paths",
    "build_briefing",
    "build_stories",
    "build_story",
    "get_summarizer",
    "read_sources",
    "register",
]
# fmt: on
