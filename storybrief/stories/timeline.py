"""Timeline: the story's dated events, each citing the sentence that dates it.

Every date expression in an independent article ("last night", "on Tuesday",
"in 2019", "3 March") is resolved against that article's publication date and
keeps its granularity.  Mentions that bound an event rather than date it
("until 2016", "by the end of next year") are left out.  Mentions from
several outlets that date the same thing become one event with several
citations: same resolved date, and the sentences are in one fact group or
share much of their wording (``Options.timeline.same_event_min_jaccard`` of
their content terms).  A relative date in an article with no
publication date cannot be resolved; it is kept, marked unresolved, at the
end of the timeline.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from pydantic import computed_field

from ..analysis.dates import BOUNDING_RELATIONS, DateValue
from ..analysis.figures import article_figures
from ..articles import Span
from ..config import Options
from ..language import terms
from ..schema import Timestamp, computed_before
from .model import SentRef, Story

__all__ = ["Timeline", "TimelineCitation", "TimelineEvent", "build_timeline"]

_DATE_TERMS = frozenset(
    terms(
        "today tonight yesterday tomorrow morning afternoon evening night week weekend month year day last next "
        "this earlier later ago monday tuesday wednesday thursday friday saturday sunday january february march "
        "april may june july august september october november december"
    )
)


@dataclass(frozen=True)
class TimelineCitation:
    """One outlet's dating of an event: the date expression and the sentence it sits in."""

    outlet: str
    article_id: str
    date_span: Span
    sent: Span
    relative: bool
    published: Timestamp | None = None
    fact_group: int | None = None


@dataclass(frozen=True)
class TimelineEvent:
    """A dated event.  ``date`` is ``None`` when it is relative and its articles have no date."""

    date: DateValue | None
    citations: tuple[TimelineCitation, ...]

    _json = computed_before("citations")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        return self.date.label if self.date else "unresolved"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def resolved(self) -> bool:
        return self.date is not None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def granularity(self) -> str | None:
        return self.date.granularity if self.date else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(sorted({c.outlet for c in self.citations}))


@dataclass(frozen=True)
class Timeline:
    """Resolved events in date order (earlier start first, then the narrower range), then unresolved ones."""

    story_id: str
    events: tuple[TimelineEvent, ...]

    @property
    def resolved(self) -> tuple[TimelineEvent, ...]:
        return tuple(e for e in self.events if e.resolved)

    @property
    def unresolved(self) -> tuple[TimelineEvent, ...]:
        return tuple(e for e in self.events if not e.resolved)


@dataclass
class _Mention:
    citation: TimelineCitation
    date: DateValue | None
    expression: str
    words: frozenset[str]
    ref: SentRef


def _mentions(story: Story) -> list[_Mention]:
    out: list[_Mention] = []
    for index in story.originals:
        item = story.articles[index]
        text = item.article.text
        sents = item.analysis.sents
        extracted = article_figures(item)
        starts = [s for s, _ in sents]
        seen: set[tuple[int, str]] = set()
        for mention in extracted.dates:
            if mention.relation in BOUNDING_RELATIONS:
                continue
            sent_index = bisect.bisect_right(starts, mention.span.start) - 1
            if sent_index < 0:
                continue
            ref = SentRef(index, sent_index)
            key = (
                sent_index,
                mention.value.label if mention.value else text[mention.span.start : mention.span.end].lower(),
            )
            if key in seen:
                continue  # the same date twice in one sentence is one citation
            seen.add(key)
            s, e = sents[sent_index]
            out.append(
                _Mention(
                    citation=TimelineCitation(
                        outlet=story.outlet(index),
                        article_id=item.article.id,
                        date_span=mention.span,
                        sent=story.sent_span(ref),
                        relative=mention.relative,
                        published=item.article.published,
                        fact_group=story.group_of.get(ref),
                    ),
                    date=mention.value,
                    expression=" ".join(text[mention.span.start : mention.span.end].lower().split()),
                    words=frozenset(t for t in terms(text[s:e]) if t not in _DATE_TERMS and not t.isdigit()),
                    ref=ref,
                )
            )
    return out


def _same_event(a: _Mention, b: _Mention, min_jaccard: float) -> bool:
    if a.ref.article == b.ref.article:
        return False  # one article dating two things on one day is two events
    if a.date != b.date or (a.date is None and a.expression != b.expression):
        return False
    ga, gb = a.citation.fact_group, b.citation.fact_group
    if ga is not None and ga == gb:
        return True
    union = a.words | b.words
    return bool(union) and len(a.words & b.words) / len(union) >= min_jaccard


def build_timeline(story: Story, *, options: Options | None = None) -> Timeline:
    """The story's timeline (a pure function of it and ``options.timeline``)."""
    min_jaccard = (options or Options()).timeline.same_event_min_jaccard
    mentions = _mentions(story)
    from .._disjoint import DisjointSet

    events_of = DisjointSet(range(len(mentions)))
    articles_of = {k: {m.ref.article} for k, m in enumerate(mentions)}  # by each event's root
    for i in range(len(mentions)):
        for j in range(i + 1, len(mentions)):
            ri, rj = events_of[i], events_of[j]
            # One citation per article in an event: join only events that share no article.
            if (
                ri != rj
                and not articles_of[ri] & articles_of[rj]
                and _same_event(mentions[i], mentions[j], min_jaccard)
            ):
                events_of.merge(ri, rj)
                articles_of[events_of[ri]] = articles_of[ri] | articles_of[rj]
    groups: dict[int, list[_Mention]] = {}
    for k, m in enumerate(mentions):
        groups.setdefault(events_of[k], []).append(m)
    events = [
        TimelineEvent(
            date=ms[0].date,
            citations=tuple(
                m.citation for m in sorted(ms, key=lambda m: (m.ref.article, m.citation.date_span.start))
            ),
        )
        for ms in groups.values()
    ]

    def order(e: TimelineEvent) -> tuple[int, int, int, tuple[int, int]]:
        first = e.citations[0]
        position = (story.article_index(first.article_id), first.date_span.start)
        if e.date is None:
            return (1, 0, 0, position)
        return (0, e.date.start.toordinal(), e.date.end.toordinal(), position)

    return Timeline(story_id=story.id, events=tuple(sorted(events, key=order)))
