"""A summary introduces a person with their role once: no second "Councillor Tobias Quayle,
leader of Kellhaven Borough Council, said ..." after the first."""

from __future__ import annotations

from collections import Counter

import pytest

from storybrief.briefing import build_briefing
from storybrief.config import Options
from storybrief.summarize.methods.storybrief import introduced_person, referred_person

OPTIONS = Options(cache=False)


@pytest.mark.parametrize(
    "text,person",
    [
        (
            'Councillor Tobias Quayle, leader of Kellhaven Borough Council, described the fire as "a terrible blow".',
            "quayle",
        ),
        (
            "Helena Marrick, chief fire officer of Kellhaven and District Fire and Rescue Service, said it was hot.",
            "marrick",
        ),
        ("Harbour master Edwin Pardoe said fishing boats had been able to land their catches.", "pardoe"),
        ("Chief fire officer Helena Marrick thanked people living near the harbour.", "marrick"),
        ("Joanne Kipling, who lives on Quay Terrace opposite the warehouse, said she was woken.", "kipling"),
        ("“It was bad,” Helena Marrick, the chief fire officer, said.", "marrick"),
        ("Mr Quayle said he wanted the site to be back in use by the end of next year.", None),
        ("In Kellhaven, the fire burned through the night, and crews came from the whole district.", None),
        ("The warehouse, a cold store leased by Threlfall Seafoods, held about 2,000 tonnes of fish.", None),
        ("Kellhaven Borough Council, which owns the quay, said it would help.", None),
        ("he said the council, which owns the quay, would help.", None),
    ],
)
def test_introduced_person(text, person):
    assert introduced_person(text) == person


def test_the_example_summary_introduces_each_person_once(example_story):
    _truth, story, _files = example_story
    briefing = build_briefing(story, options=OPTIONS)
    introduced = Counter(p for s in briefing.summary if (p := introduced_person(briefing.text_of(s.span))))
    assert introduced, "the example summary introduces people"
    assert max(introduced.values()) == 1, introduced
    quayle = [s for s in briefing.summary if "Quayle" in briefing.text_of(s.span)]
    assert len([s for s in quayle if introduced_person(briefing.text_of(s.span)) == "quayle"]) <= 1


@pytest.mark.parametrize(
    "text,person",
    [
        ('"Boats can still come and go," Mr Pardoe said.', "pardoe"),
        ("Ms Marrick said there was nothing to suggest the two incidents were linked.", "marrick"),
        ("Mr Quayle's office said the council would help.", "quayle"),
        ("Harbour master Edwin Pardoe said the quay would stay closed.", None),
        ("Councillor Tobias Quayle, leader of Kellhaven Borough Council, said it was a blow.", None),
        ("mr. smith said the plan would go ahead.", None),  # lower-cased text has no names to go by
    ],
)
def test_referred_person(text, person):
    assert referred_person(text) == person


def test_no_summary_sentence_names_mr_x_before_x_is_introduced(example_story):
    _truth, story, _files = example_story
    briefing = build_briefing(story, options=OPTIONS)
    texts = [briefing.text_of(s.span) for s in briefing.summary]
    introduced = {introduced_person(t) for t in texts}
    assert all(referred_person(t) in introduced for t in texts if referred_person(t)), texts
