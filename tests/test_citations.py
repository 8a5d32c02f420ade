"""Every citation is a confirmation: a sentence that states the fact with a conflicting figure,
date or named actor is shown as *disputed*, never counted as support (summary, coverage,
omissions), in every output format.

Planted conflicts use invented outlets and text; the bundled example and the seed articles are
checked for the invariant: no citation and no fact group joins two conflicting sentences.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from itertools import combinations

import pytest
from conftest import shared_path

from storybrief.analysis import analyze_articles
from storybrief.articles import Article
from storybrief.briefing import BriefingSet, build_briefing, cite
from storybrief.config import Options
from storybrief.renderers import render_html, render_markdown
from storybrief.schema import from_data, to_data
from storybrief.sources import read_sources
from storybrief.stories import SentRef, build_stories, build_story
from storybrief.stories.conflicts import Conflicts
from storybrief.stories.coverage import build_coverage
from storybrief.stories.disagreements import compatible, find_disagreements

OPTIONS = Options(cache=False)
PUBLISHED = datetime(2026, 3, 12, 17, 0, tzinfo=UTC)
FILLER = "Residents were told to stay away from the harbour front while crews worked through the night."
OTHER = "The owners said they would rebuild, and the council promised help with temporary premises."
MORE = "Traders on the quay said they had noticed fewer visitors since the road was closed."

# (kind, what outlets A and C say, what outlet B says instead)
# fmt: off
PLANTED = [
    ("count", "Around 60 firefighters fought the blaze at the warehouse on the quay.",
     "Some 45 firefighters fought the blaze at the warehouse on the quay."),
    ("money", "The council paid £2.3m for the harbour site last year.",
     "The council paid £4m for the harbour site last year."),
    ("percent", "Turnout in the harbour ward fell to 31% at the election.",
     "Turnout in the harbour ward fell to 45% at the election."),
    ("age", "Marta Kellow, 45, was arrested at the scene of the fire on the quay.",
     "Marta Kellow, 52, was arrested at the scene of the fire on the quay."),
    ("year", "The warehouse on the quay was built in 1887 for the fishing fleet.",
     "The warehouse on the quay was built in 1894 for the fishing fleet."),
    ("weekday", "The fire at the warehouse on the quay broke out on Monday night.",
     "The fire at the warehouse on the quay broke out on Tuesday night."),
    ("person", "Police arrested Marta Kellow at the scene of the fire on the quay.",
     "Police arrested Jonas Pettigrew at the scene of the fire on the quay."),
]
# fmt: on


def story_of(*texts: str):
    articles = [
        Article(text=t, outlet=f"Outlet {chr(65 + i)}", published=PUBLISHED) for i, t in enumerate(texts)
    ]
    return build_story(analyze_articles(articles, options=OPTIONS), options=OPTIONS)


def planted_story(said: str, other: str):
    """Outlets A and C state ``said``; outlet B states ``other`` (each among other sentences)."""
    story = story_of(f"{said} {FILLER}", f"{OTHER} {other}", f"{MORE} {said}")
    assert not story.duplicate_of
    return story, SentRef(0, 0), SentRef(1, 1), SentRef(2, 1)


@pytest.mark.parametrize("kind,said,other", PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_conflict_is_disputed_never_a_confirmation(kind, said, other):
    story, a, b, _c = planted_story(said, other)
    assert Conflicts(story)(a, b), kind
    # the summary sentence cites the outlet that agrees, and shows the other as disputing it
    sent = cite(story, story.sent_span(a))
    assert sent.outlets == ("Outlet A", "Outlet C")
    assert [(d.outlet, d.span) for d in sent.disputed_by] == [("Outlet B", story.sent_span(b))]
    # and the other way round
    sent = cite(story, story.sent_span(b))
    assert sent.outlets == ("Outlet B",)
    assert {d.outlet for d in sent.disputed_by} == {"Outlet A", "Outlet C"}
    # coverage counts only the confirming outlets; the disputing one does not "leave it out"
    coverage = build_coverage(story)
    fact = coverage.fact(story.group_of[a])
    assert fact.outlets == ("Outlet A", "Outlet C")
    assert fact.disputed_by == ("Outlet B",)
    assert fact.widely_reported
    assert fact.fact_group not in coverage.outlet("Outlet B").omissions


@pytest.mark.parametrize(
    "said,other",
    [
        (
            "The store held 2,000 tonnes of frozen fish when the fire broke out.",
            "The store held two thousand tonnes of frozen fish when the fire broke out.",
        ),
        (
            "The council paid £2.3m for the harbour site last year.",
            "The council paid £2,300,000 for the harbour site last year.",
        ),
        (
            "Police arrested Marta Kellow at the scene of the fire on the quay.",
            "Police arrested Ms Kellow at the scene of the fire on the quay.",
        ),
        (
            "Around 60 firefighters fought the blaze at the warehouse on the quay.",
            "About 60 firefighters fought the blaze at the warehouse on the quay.",
        ),
    ],
)
def test_the_same_fact_in_other_words_still_confirms(said, other):
    story, a, b, _c = planted_story(said, other)
    assert not Conflicts(story)(a, b)
    sent = cite(story, story.sent_span(a))
    assert sent.outlets == ("Outlet A", "Outlet B", "Outlet C")
    assert sent.disputed_by == ()


def test_a_named_speaker_is_not_an_actor():
    """Who says it sits in the attribution frame: two speakers stating one figure agree."""
    story, a, b, _c = planted_story(
        "Helena Marrick said 60 firefighters fought the blaze at the warehouse on the quay.",
        "Edwin Pardoe said 60 firefighters fought the blaze at the warehouse on the quay.",
    )
    assert not Conflicts(story)(a, b)


def test_disputes_show_in_markdown_json_and_html():
    story, _a, _b, _c = planted_story(*PLANTED[0][1:])
    briefing = build_briefing(story, options=OPTIONS)
    sent = next(s for s in briefing.summary if briefing.text_of(s.span).startswith("Around 60"))
    assert [c.outlet for c in sent.disputed_by] == ["Outlet B"]
    result = BriefingSet(briefings=(briefing,))

    md = render_markdown(result)
    line = next(x for x in md.splitlines() if x.startswith("- Around 60"))
    assert line.endswith(
        '[1, 3] *(2 outlets)* · disputed by [2]: "Some 45 firefighters fought the blaze at the…"'
    )

    data = json.loads(json.dumps(to_data(result)))
    row = next(s for s in data["briefings"][0]["summary"] if s["text"].startswith("Around 60"))
    assert [c["outlet"] for c in row["citations"]] == ["Outlet A", "Outlet C"]
    assert [(c["outlet"], c["text"]) for c in row["disputed_by"]] == [
        ("Outlet B", "Some 45 firefighters fought the blaze at the warehouse on the quay.")
    ]
    again = from_data(BriefingSet, data).briefings[0]
    assert [s.disputed_by for s in again.summary] == [s.disputed_by for s in briefing.summary]

    html = render_html(result)
    assert html.count('class="cite disputed"') == sum(len(s.disputed_by) for s in briefing.summary)
    assert 'aria-label="disputed by source 2, Outlet B"' in html
    tip = html.split('class="tip disputed"', 1)[1].split("</span></span>", 1)[0]
    assert "Some 45 firefighters fought the blaze at the warehouse on the quay." in tip
    assert "disputes this" in tip


def _assert_no_citation_rests_on_a_conflict(story, briefing) -> None:
    conflicts = Conflicts(story)
    for group in story.fact_groups:
        for x, y in combinations(group.members, 2):
            assert not conflicts(x, y), (story.sent_text(x), story.sent_text(y))
    # every figure conflict the Disagreements section finds is between groups, never inside one
    for d in find_disagreements(story):
        for x, y in combinations(d.claims, 2):
            if x.outlet != y.outlet and not compatible(x.figure, y.figure):
                assert x.fact_group is None or x.fact_group != y.fact_group, (x, y)
    for sent in briefing.summary:
        cited = {(c.span.article_id, c.span.start) for c in sent.citations}
        for d in briefing.disagreements:
            wrong = [
                (c.sent.article_id, c.sent.start)
                for c in d.claims
                if any(not compatible(c.figure, o.figure) for o in d.claims if o.outlet != c.outlet)
            ]
            conflicting = [k for k in wrong if k in cited]
            for x, y in combinations(conflicting, 2):
                cx = next(c for c in d.claims if (c.sent.article_id, c.sent.start) == x)
                cy = next(c for c in d.claims if (c.sent.article_id, c.sent.start) == y)
                assert compatible(cx.figure, cy.figure) or cx.outlet == cy.outlet, briefing.text_of(sent.span)
    if briefing.coverage:
        for fact in briefing.coverage.facts:
            assert not set(fact.outlets) & set(fact.disputed_by)


def test_the_example_firefighter_count_is_disputed_not_confirmed(example_story):
    _truth, story, files = example_story
    briefing = build_briefing(story, options=OPTIONS)
    numbers = {a.id: n for n, a in enumerate(briefing.articles, start=1)}
    sent = next(s for s in briefing.summary if briefing.text_of(s.span).startswith("Around 60 firefighters"))
    herald = files["05-herald-safety-checks.txt"]
    assert herald.display_outlet not in sent.outlets
    assert [(c.outlet, briefing.text_of(c.span)[:20]) for c in sent.disputed_by] == [
        (herald.display_outlet, "Some 45 firefighters")
    ]
    md = render_markdown(BriefingSet(briefings=(briefing,)))
    assert (
        f'[{numbers[files["01-courier-warehouse-fire.txt"].id]}] · disputed by [{numbers[herald.id]}]: "Some 45 firefighters'
        in md
    )
    _assert_no_citation_rests_on_a_conflict(story, briefing)


def test_no_seed_citation_rests_on_a_conflict():
    read = read_sources([shared_path("data", "seeds")], options=OPTIONS)
    for story in build_stories(analyze_articles(read.articles, options=OPTIONS), options=OPTIONS):
        _assert_no_citation_rests_on_a_conflict(story, build_briefing(story, options=OPTIONS))


def test_quotes_with_conflicting_figures_are_two_statements_in_the_ledger():
    from storybrief.stories.ledger import build_ledger
    from storybrief.stories.people import build_people

    said = 'Helena Marrick, the chief fire officer, said: "We sent around 60 firefighters to the quay last night."'
    other = (
        'Helena Marrick, the chief fire officer, said: "We sent some 45 firefighters to the quay last night."'
    )
    same = 'Helena Marrick, the chief fire officer, said: "We sent about 60 firefighters to the quay last night."'
    story = story_of(f"{said} {FILLER}", f"{OTHER} {other}", f"{MORE} {same}")
    ledger = build_ledger(story, build_people(story))
    by_outlets = sorted(
        st.outlets
        for st in ledger.statements
        if "firefighters"
        in " ".join(
            story.articles[story.article_index(v.article_id)].article.text_of(p)
            for v in st.versions
            for p in v.parts
        )
    )
    assert by_outlets == [("Outlet A", "Outlet C"), ("Outlet B",)]
