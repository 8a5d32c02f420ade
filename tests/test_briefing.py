"""Briefings: every summary sentence is a span of a cited article and cites its whole fact group."""

import json
import re
import threading

import pytest
from test_stories import REWRITE, THIRD, WIRE

from storybrief.analysis import analyze_articles
from storybrief.articles import Article, Span
from storybrief.briefing import Briefing, BriefingSet, build_briefing, locate_sentence
from storybrief.errors import ArticleError
from storybrief.pipeline import brief_articles
from storybrief.renderers import render
from storybrief.schema import from_data, to_data
from storybrief.stories import build_story
from storybrief.summarize import count_words


@pytest.fixture()
def story(options):
    articles = [
        Article(text=WIRE, outlet="Wire", title="Blaze at grain warehouse", url="https://wire.example/1"),
        Article(text=WIRE + " The council will meet on Friday.", outlet="Reprint", title="Warehouse fire"),
        Article(text=REWRITE, outlet="Courier", title="Fire at Eastgate"),
        Article(text=THIRD, outlet="Gazette", title="Town watches warehouse burn"),
    ]
    return build_story(analyze_articles(articles, options=options), options=options)


@pytest.mark.parametrize("method", ["lead", "storybrief"])
def test_citations_are_real_spans_of_the_whole_fact_group(story, options, method):
    briefing = build_briefing(story, options=options.with_(method=method, words=60))
    assert briefing.summary
    assert count_words(briefing.summary_text) <= 60
    for sent in briefing.summary:
        ref = locate_sentence(story, sent.span)
        full = story.sent_text(ref)
        assert briefing.text_of(sent.span) in full  # a span of a real source sentence
        if sent.fact_group is not None:
            group = story.fact_groups[sent.fact_group]
            assert sorted(c.outlet for c in sent.citations) == sorted(group.outlets)
            for c in sent.citations[1:]:
                assert story.group_of[locate_sentence(story, c.span)] == sent.fact_group
        assert sent.citations[0].span == sent.span


def test_copies_are_listed_not_counted(story, options):
    briefing = build_briefing(story, options=options.with_(method="lead"))
    reprint = next(a for a in briefing.articles if a.outlet == "Wire")
    original = next(a for a in briefing.articles if a.outlet == "Reprint")
    assert [(d.copy_id, d.original_id) for d in briefing.duplicates] == [(reprint.id, original.id)]
    for sent in briefing.summary:
        assert reprint.id not in {c.span.article_id for c in sent.citations}


def test_json_round_trip(story, options):
    briefing = build_briefing(story, options=options.with_(method="lead"))
    data = json.loads(json.dumps(to_data(briefing)))
    assert data["schema_version"] == 1
    assert data["summary"][0]["text"] == briefing.text_of(briefing.summary[0].span)
    again = from_data(Briefing, data)
    assert to_data(again) == to_data(briefing)
    data["summary"][0]["text"] = "An invented sentence."
    with pytest.raises(ArticleError):
        from_data(Briefing, data)


def test_a_span_outside_its_article_is_refused(story, options):
    briefing = build_briefing(story, options=options.with_(method="lead"))
    bad = to_data(briefing)
    bad["summary"][0]["end"] = 10**6
    del bad["summary"][0]["text"]
    with pytest.raises(ArticleError):
        from_data(Briefing, bad)


def test_markdown_has_headline_markers_and_sources(story, options):
    result = BriefingSet(briefings=(build_briefing(story, options=options.with_(method="lead")),))
    md = render(result, "md")
    assert md.startswith("# ")
    assert "## Sources" in md
    assert "https://wire.example/1" in md
    assert "copy of [2]" in md
    summary = md.split("## Sources")[0]
    assert re.search(r"\[\d+(, \d+)+\] \*\(2 outlets\)\*", summary)  # a fact two outlets report
    assert "[1" not in summary  # the copy (source 1) is never cited


def test_markdown_escapes_markup_in_article_text(options):
    text = "The <b>bold</b> claim [link](http://x.example) was *made* today by the mayor of the town."
    article = Article(text=text + " " + text.replace("today", "again"), outlet="O", title="T <script>")
    md = render(brief_articles([article], options=options.with_(method="lead")), "md")
    assert "<b>" not in md and "<script>" not in md
    assert "\\[link\\]" in md


def test_every_story_gets_a_briefing(options):
    from test_stories import OFF_TOPIC

    articles = [
        Article(text=t, outlet=o) for t, o in [(WIRE, "Wire"), (REWRITE, "Courier"), (OFF_TOPIC, "Courier")]
    ]
    result = brief_articles(articles, options=options.with_(method="lead"))
    assert [len(b.articles) for b in result.briefings] == [2, 1]
    assert to_data(from_data(BriefingSet, json.loads(render(result, "json")))) == to_data(result)


def test_a_briefing_leaves_no_thread_behind(options):
    # the analysis embeds on a second thread and the later stages load on a third (while NER
    # runs); both are over when the briefing is returned
    result = brief_articles(
        [Article(text=WIRE, outlet="Wire"), Article(text=REWRITE, outlet="Courier")], options=options
    )
    assert result.briefings and result.briefings[0].summary
    assert not [
        t.name for t in threading.enumerate() if t.name.startswith(("storybrief-warm", "storybrief-embed"))
    ]


def test_span_type_is_plain_data():
    span = Span("a", 1, 4)
    assert from_data(Span, to_data(span)) == span
