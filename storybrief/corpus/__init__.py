"""The corpus: a SQLite file of ingested articles, their analyses and their stories, kept up to date
by :func:`ingest` and :func:`watch`, and read back as story lists and briefings.

Data still flows one way: sources (files, URLs, feeds) → articles → analysis → stories (the online
:class:`~storybrief.stories.index.StoryIndex`, saved in the same file) → briefings, which are cached
per story by its membership and rebuilt only when the story changed.

:class:`DaskIngester` (:mod:`.distributed`) does the per-article work on a Dask cluster and ends with
the same corpus; :func:`ingest` uses it when given ``workers`` or ``scheduler``.
"""

from .briefings import corpus_briefings, story_briefing
from .distributed import DaskIngester
from .ingest import Failure, Ingester, IngestReport, ingest, watch
from .listing import parse_duration, stories_json, stories_markdown
from .store import SCHEMA_VERSION, Corpus, StoryRow

# fmt: off
__all__ = [
    "SCHEMA_VERSION",
    "Corpus",
    "DaskIngester",
    "Failure",
    "IngestReport",
    "Ingester",
    "StoryRow",
    "corpus_briefings",
    "ingest",
    "parse_duration",
    "stories_json",
    "stories_markdown",
    "story_briefing",
    "watch",
]
# fmt: on
