"""Timeline: dated events with resolved dates, granularity and citing sentences."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from conftest import EXAMPLE, shared_path

from storybrief.analysis import analyze_articles
from storybrief.articles import Article
from storybrief.config import Options
from storybrief.schema import from_data, to_data
from storybrief.stories import build_story
from storybrief.stories.timeline import Timeline, build_timeline

OPTIONS = Options(cache=False)

# The seeds carry no dates.  These are the days the reported events place them on: the Jewish
# Museum speech plan with Momentum's Willsman decision "yesterday" (Fri 3 Aug 2018); the "crunch
# meeting" with Jewish leaders "later today" (Tue 24 Apr 2018); the JLM meetings "on Wednesday
# night" (Wed 6 Mar 2019); the letter before the Parliament Square protest (Mon 26 Mar 2018).
SEED_DATES = {
    "000_06ce7d97fff7aabd.txt": datetime(2018, 8, 3, 9, 0, tzinfo=UTC),
    "001_833f854e1796729e.txt": datetime(2018, 4, 24, 8, 0, tzinfo=UTC),
    "002_7a06572e777c9b9d.txt": datetime(2019, 3, 6, 7, 0, tzinfo=UTC),
    "003_30b4514a282a01fb.txt": datetime(2018, 3, 26, 18, 0, tzinfo=UTC),
}
# Every dated expression in the seeds and the date it must resolve to, given SEED_DATES.
# fmt: off
SEED_EVENTS = {
    ("000_06ce7d97fff7aabd.txt", "today"): "2018-08-03",
    ("000_06ce7d97fff7aabd.txt", "next week"): "week of 2018-08-06",
    ("000_06ce7d97fff7aabd.txt", "this week"): "week of 2018-07-30",
    ("000_06ce7d97fff7aabd.txt", "2008"): "2008",
    ("000_06ce7d97fff7aabd.txt", "july"): "2018-07",
    ("000_06ce7d97fff7aabd.txt", "yesterday"): "2018-08-02",
    ("001_833f854e1796729e.txt", "later today"): "2018-04-24",
    ("001_833f854e1796729e.txt", "today"): "2018-04-24",
    ("001_833f854e1796729e.txt", "2016"): "2016",
    ("001_833f854e1796729e.txt", "last month"): "2018-03",
    ("001_833f854e1796729e.txt", "the 1930s"): "1930s",
    ("001_833f854e1796729e.txt", "last week"): "week of 2018-04-16",
    ("001_833f854e1796729e.txt", "2012"): "2012",
    ("002_7a06572e777c9b9d.txt", "wednesday night"): "2019-03-06",
    ("002_7a06572e777c9b9d.txt", "wednesday"): "2019-03-06",
    ("002_7a06572e777c9b9d.txt", "last week"): "week of 2019-02-25",
    ("003_30b4514a282a01fb.txt", "last week"): "week of 2018-03-19",
    ("003_30b4514a282a01fb.txt", "2012"): "2012",
}
# fmt: on


def seed_story(*, dated: bool):
    folder = shared_path("data", "seeds")
    articles = [
        Article(
            text=(folder / name).read_text(encoding="utf-8"),
            outlet=f"seed {name[:3]}",
            source=name,
            published=published if dated else None,
        )
        for name, published in SEED_DATES.items()
    ]
    return build_story(analyze_articles(articles, options=OPTIONS), options=OPTIONS)


def citations(story, timeline):
    by_id = {a.article.id: a.article for a in story.articles}
    for event in timeline.events:
        for c in event.citations:
            article = by_id[c.article_id]
            yield event, c, article.source, " ".join(article.text_of(c.date_span).lower().split())


def test_seed_timeline_every_dated_event_is_right():
    story = seed_story(dated=True)
    timeline = build_timeline(story)
    seen = set()
    for event, citation, source, expression in citations(story, timeline):
        key = (source, expression)
        assert key in SEED_EVENTS, f"unexpected event {key} dated {event.date and event.date.label}"
        assert event.resolved and event.date.label == SEED_EVENTS[key], key
        assert citation.sent.start <= citation.date_span.start and citation.date_span.end <= citation.sent.end
        seen.add(key)
    assert seen == set(SEED_EVENTS)


def test_seed_timeline_without_dates_keeps_relative_events_unresolved():
    story = seed_story(dated=False)
    timeline = build_timeline(story)
    unresolved = {expr for _, c, _, expr in citations(story, timeline) if c.relative}
    assert {"today", "last week", "yesterday", "wednesday night"} <= unresolved
    for event, c, _, expression in citations(story, timeline):
        assert event.resolved is (not c.relative), expression
    # resolved events first, in date order; the unresolved ones last
    flags = [e.resolved for e in timeline.events]
    assert flags == sorted(flags, reverse=True)
    starts = [e.date.start for e in timeline.resolved]
    assert starts == sorted(starts) and starts[0] == date(1930, 1, 1)


@pytest.fixture(scope="module")
def example(example_story):
    truth, story, files = example_story
    return truth, story, files, build_timeline(story)


def events_citing(timeline, article, phrase):
    return [
        (event, c)
        for event in timeline.events
        for c in event.citations
        if c.article_id == article.id and phrase in article.text_of(c.sent)
    ]


@pytest.mark.parametrize(
    "planted",
    json.loads((EXAMPLE / "truth.json").read_text(encoding="utf-8"))["timeline"],
    ids=lambda p: f"{p['date']} {p['contains'][:30]}",
)
def test_example_timeline_event(example, planted):
    _truth, _story, files, timeline = example
    article = files[planted["file"]]
    found = events_citing(timeline, article, planted["contains"])
    assert found, planted
    assert any(
        e.date.start.isoformat() == planted["date"]
        and e.granularity == planted["granularity"]
        and c.outlet == planted["outlet"]
        for e, c in found
    ), [(e.date.label, c.outlet) for e, c in found]


def test_example_timeline_range(example):
    truth, _story, files, timeline = example
    for planted in truth["timeline_ranges"]:
        found = events_citing(timeline, files[planted["file"]], planted["contains"])
        assert any(
            (e.date.start.isoformat(), e.date.end.isoformat(), e.granularity)
            == (planted["start"], planted["end"], "week")
            for e, _ in found
        )


def test_example_events_from_several_outlets_are_merged(example):
    truth, _story, files, timeline = example
    alarm = next(n for n in truth["non_disagreements"] if n["kind"] == "time")
    events = {
        id(e)
        for outlet, phrase in alarm["outlets"].items()
        for e, _ in events_citing(timeline, files[alarm["files"][outlet]], phrase)
    }
    assert len(events) == 1, "the three outlets' dating of the alarm is one event"
    (event,) = [e for e in timeline.events if id(e) in events]
    assert set(event.outlets) == set(alarm["outlets"]) and event.date.label == "2026-03-10"


def test_example_copies_do_not_add_citations(example):
    _truth, _story, files, timeline = example
    copy = files["03-gazette-wire-copy.txt"]
    assert all(c.article_id != copy.id for e in timeline.events for c in e.citations)


def test_timeline_round_trips_through_json(example):
    _truth, _story, _files, timeline = example
    assert from_data(Timeline, json.loads(json.dumps(to_data(timeline)))) == timeline
