"""storybrief: cited multi-outlet news briefings.

Data flows one way through the stages, each a package:
sources → articles → analysis → stories → summarize → briefing → renderers.
"""

import logging as _logging

from .analysis import Analysis, AnalyzedArticle, analyze_articles
from .articles import Article, Rejection, Span
from .briefing import Briefing, BriefingSet, build_briefing
from .config import Options
from .errors import StorybriefError
from .pipeline import brief_articles, brief_paths
from .sources import ReadResult, read_sources
from .stories import Story, build_stories, build_story
from .summarize import Summarizer, available_methods, get_summarizer, register

_logging.getLogger("storybrief").addHandler(_logging.NullHandler())

__version__ = "0.1.0"

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
