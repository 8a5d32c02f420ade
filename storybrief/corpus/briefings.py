"""Briefings of the corpus's stories, cached by each story's membership.

A story's briefing depends only on its articles (and the method, word budget,
outlet labels and the story stage's thresholds), so it is stored under a key made of those; a story that
gained an article has a new key and is briefed again, and every other story's
briefing is read back as it was.
"""

from __future__ import annotations

import json
from datetime import datetime

from ..articles import hash_text
from ..briefing import Briefing, BriefingSet, build_briefing
from ..config import Options
from ..errors import StoreError
from ..schema import from_data, to_data
from ..stories import build_story
from .store import Corpus, membership_key


def story_briefing(corpus: Corpus, story_id: str, *, options: Options | None = None, index=None) -> Briefing:
    """The briefing of one story (a merged-away id is followed to the story it joined)."""
    options = options or Options()
    index = index or corpus.load_index(options)
    live = index.resolve(story_id)
    members = index.stories().get(live)
    if not members:
        raise StoreError(
            f"no story {story_id!r} in this corpus",
            where=str(corpus.path),
            hint="list the stories with: storybrief stories --db " + str(corpus.path),
        )
    key = membership_key(live, members, method=options.method, words=options.words) + _outlets_key(options)
    key += _tunables_key(options)
    cached = corpus.cached_briefing(live, key)
    if cached is not None:
        return from_data(Briefing, json.loads(cached), where="corpus briefing cache")
    briefing = build_briefing(
        build_story(corpus.articles(members), options=options, id=live), options=options
    )
    corpus.cache_briefing(live, key, json.dumps(to_data(briefing), ensure_ascii=False, separators=(",", ":")))
    return briefing


def corpus_briefings(
    corpus: Corpus, *, story: str | None = None, since: datetime | None = None, options: Options | None = None
) -> BriefingSet:
    """The briefing of ``story``, or of every story updated since ``since`` (most recent first)."""
    options = options or Options()
    index = corpus.load_index(options)
    if story is not None:
        ids = [story]
    else:
        ids = [row.id for row in corpus.story_rows(index, since=since)]
    return BriefingSet(briefings=tuple(story_briefing(corpus, i, options=options, index=index) for i in ids))


def _outlets_key(options: Options) -> str:
    if not options.outlets_file:
        return ""
    try:
        return "-" + hash_text(options.outlets_file.read_text(encoding="utf-8"))[:12]
    except OSError:
        return "-" + hash_text(str(options.outlets_file))[:12]


def _tunables_key(options: Options) -> str:
    """The story stage's thresholds, when any differs from its default (default runs keep their keys)."""

    def tunables(o: Options) -> tuple:
        return (o.duplicate_threshold, o.facts, o.disagreements, o.ledger, o.coverage, o.timeline)

    mine = tunables(options)
    return "" if mine == tunables(Options()) else "-t" + hash_text(repr(mine))[:12]
