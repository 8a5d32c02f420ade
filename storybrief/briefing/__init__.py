"""Stage 6: briefing — turn a story into a cited Briefing."""

from __future__ import annotations

import bisect

from ..articles import Duplicate, Span
from ..config import Options
from ..language import sentence_vectors, terms
from ..outlets import load_outlets
from ..stories import SentRef, Story
from ..stories.coverage import build_coverage
from ..stories.disagreements import find_disagreements
from ..stories.ledger import build_ledger
from ..stories.people import build_people
from ..stories.timeline import build_timeline
from ..summarize import get_summarizer
from .model import (
    SCHEMA_VERSION,
    Briefing,
    BriefingSet,
    Citation,
    OutletEntry,
    SourceCounts,
    SummarySentence,
    count_sources,
    tally_outlets,
)

# fmt: off
__all__ = [
    "SCHEMA_VERSION",
    "Briefing",
    "BriefingSet",
    "Citation",
    "Duplicate",
    "OutletEntry",
    "SourceCounts",
    "SummarySentence",
    "build_briefing",
    "count_sources",
    "locate_sentence",
    "tally_outlets",
]
# fmt: on


def locate_sentence(story: Story, span: Span) -> SentRef:
    """The sentence of the story that holds ``span`` (summaries may print a trimmed sub-span)."""
    index = story.article_index(span.article_id)
    starts = [s for s, _ in story.articles[index].analysis.sents]
    return SentRef(index, max(bisect.bisect_right(starts, span.start) - 1, 0))


def cite(story: Story, span: Span) -> SummarySentence:
    """Cite every outlet in the span's fact group, the printed outlet first, and list apart the
    outlets that state the fact with a conflicting figure, date or named actor.

    A fact group never holds two conflicting sentences (:func:`~storybrief.stories.facts.group_facts`),
    so every citation is a confirmation; :meth:`Story.disputes_of` gives the disputing sentences.
    """
    ref = locate_sentence(story, span)
    group_id = story.group_of.get(ref)
    own = Citation(story.outlet(ref.article), span)
    disputed = tuple(
        sorted(
            (Citation(story.outlet(d.article), story.sent_span(d)) for d in story.disputes_of(ref)),
            key=lambda c: (c.outlet, c.span),
        )
    )
    if group_id is None:
        return SummarySentence(span=span, fact_group=None, citations=(own,), disputed_by=disputed)
    others = [
        Citation(story.outlet(m.article), story.sent_span(m))
        for m in story.fact_groups[group_id].members
        # the printed sentence may restate its own outlet's member (a lead and a later paragraph):
        # that outlet is cited once, by the printed sentence
        if m != ref and story.outlet(m.article) != own.outlet
    ]
    others.sort(key=lambda c: (c.outlet, c.span))
    return SummarySentence(span=span, fact_group=group_id, citations=(own, *others), disputed_by=disputed)


def pick_headline(story: Story) -> tuple[str, str | None]:
    """The title of the story's most central original article (most like the others)."""
    originals = story.originals
    titled = [i for i in originals if story.articles[i].article.title.strip()]
    if not titled:
        return "", None
    vectors = sentence_vectors([terms(story.articles[i].text) for i in originals])
    centrality = (vectors @ vectors.T).sum(axis=1)
    best = max(titled, key=lambda i: (float(centrality[originals.index(i)]), -i))
    article = story.articles[best].article
    return article.title.strip(), article.id


def build_briefing(story: Story, *, options: Options | None = None) -> Briefing:
    """Summarise a story and cite every outlet behind each sentence (a pure function)."""
    options = options or Options()
    spans = get_summarizer(options.method).summarize(story, words=options.words)
    summary = tuple(cite(story, span) for span in spans)
    headline, headline_id = pick_headline(story)
    if not headline and summary:
        headline = story.sent_text(locate_sentence(story, summary[0].span))

    people = build_people(story)
    ledger = build_ledger(story, people, options=options)
    quote_speakers = [
        (v.outlet, st.speaker_ids[0] if st.speaker_ids else None)
        for st in ledger.statements
        for v in st.versions
    ]
    duplicates = tuple(
        Duplicate(story.articles[c].article.id, story.articles[o].article.id)
        for c, o in sorted(story.duplicate_of.items())
    )
    articles = tuple(item.article for item in story.articles)
    return Briefing(
        story_id=story.id,
        headline=headline,
        headline_article_id=headline_id,
        method=options.method,
        words=options.words,
        summary=summary,
        articles=articles,
        outlets=tally_outlets(articles, duplicates),
        duplicates=duplicates,
        people=people,
        ledger=ledger,
        coverage=build_coverage(
            story,
            outlets=load_outlets(options.outlets_file) if options.outlets_file else None,
            quotes=quote_speakers,
            options=options,
        ),
        disagreements=tuple(find_disagreements(story, options=options)),
        timeline=build_timeline(story, options=options),
    )
