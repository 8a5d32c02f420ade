"""A briefing whose people, quote ledger, disagreements and timeline carry a payload in every string.

The payload articles (xss_payloads.payload_articles) already put payloads in titles, outlets,
URLs and text; this adds the analysis sections with payloads where the analysis puts names,
roles, labels and kinds, built as the typed model, so every section of the HTML is exercised.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from xss_payloads import PAYLOADS, URL_PAYLOADS

from storybrief.analysis.dates import DateValue
from storybrief.analysis.figures import Figure
from storybrief.briefing import Briefing
from storybrief.stories.disagreements import Claim, Disagreement
from storybrief.stories.ledger import Ledger, Statement, Version
from storybrief.stories.people import Person, PersonRole
from storybrief.stories.timeline import Timeline, TimelineCitation, TimelineEvent


def with_payload_sections(briefing: Briefing) -> Briefing:
    a, b = briefing.articles[0], briefing.articles[1]
    first = a.span(0, a.text.index("\n\n"))  # a paragraph that carries payloads
    other = b.span(0, b.text.index("\n\n"))
    word = a.span(0, 4)
    person = Person(
        id=PAYLOADS[6],
        name=PAYLOADS[7],
        kind=PAYLOADS[8],
        aliases=(PAYLOADS[9], PAYLOADS[10], URL_PAYLOADS[0]),
        roles=(PersonRole(PAYLOADS[11], (PAYLOADS[12],), (first,)),),
        mentions=((PAYLOADS[13], 3), (a.display_outlet, 1)),
        spans=(word,),
    )
    versions = (
        Version(
            a.id,
            a.display_outlet,
            "direct",
            "before",
            parts=(first,),
            marked=(first,),
            cue=word,
            addressee=word,
        ),
        Version(b.id, b.display_outlet, PAYLOADS[14], "after", parts=(other,), marked=(other,)),
    )
    ledger = Ledger(
        (
            Statement("s1", PAYLOADS[0], (PAYLOADS[6],), versions, drift=True),
            Statement("s2", PAYLOADS[1], (), versions[:1]),
        )
    )
    figure = Figure(span=word, kind="count", value=3.0, thing=PAYLOADS[15])
    disagreement = Disagreement(
        kind="count",
        unit="",
        thing=PAYLOADS[16],
        scope="story",
        fact_groups=(),
        claims=(
            Claim(a.display_outlet, a.id, figure, first),
            Claim(PAYLOADS[17], b.id, replace(figure, span=other), other),
        ),
    )
    timeline = Timeline(
        briefing.story_id,
        (
            TimelineEvent(
                DateValue.day(date(2026, 3, 10)), (TimelineCitation(PAYLOADS[18], a.id, word, first, True),)
            ),
            TimelineEvent(None, (TimelineCitation(PAYLOADS[19], b.id, other, other, True),)),
        ),
    )
    return replace(
        briefing, people=(person,), ledger=ledger, disagreements=(disagreement,), timeline=timeline
    )
