"""Summaries read well: no bylines, photo captions or credits, and no bare quotation
without the sentence that says who is speaking."""

import re
from dataclasses import replace

import pytest
from conftest import EXAMPLE

from storybrief.analysis import AnalyzedArticle, analyze_articles
from storybrief.articles import Article
from storybrief.briefing import build_briefing
from storybrief.config import Options
from storybrief.stories import build_stories, build_story
from storybrief.summarize import available_methods, get_summarizer
from storybrief.summarize.base import furniture_sents, is_byline
from storybrief.summarize.features import is_bare_quote, story_candidates

OPTIONS = Options(ner=False, cache=False)

FURNITURE = (
    "By Coastal Press Agency staff",
    "The gutted warehouse seen from the harbour wall.",
    "Photograph: Courier staff",
)
LEANING = (
    'He said: "I want to thank every firefighter',
    "“We were extremely fortunate that nobody was inside the building when the fire took hold,” she said.",
)
BARE_QUOTES = (
    "“My crews worked in very difficult conditions and I am proud of every one of them.”",
    "“You could feel the heat on your face from across the road",
)


@pytest.fixture(scope="module")
def example_story():
    from storybrief.sources import read_sources

    read = read_sources([EXAMPLE / "articles"], options=OPTIONS)
    stories = build_stories(analyze_articles(read.articles, options=OPTIONS), options=OPTIONS)
    return max(stories, key=lambda s: len(s.articles))


@pytest.mark.parametrize(
    "text,byline",
    [
        ("By Coastal Press Agency staff", True),
        ("By JANE DOE, Associated Press", True),
        ("By Jane Doe and John Roe", True),
        ("By Tuesday evening the fire was out.", False),
        ("By the end of the day, it was over.", False),
    ],
)
def test_is_byline(text, byline):
    assert is_byline(text) is byline


@pytest.mark.parametrize(
    "text,bare",
    [
        ("“My crews worked hard and I am proud of them.”", True),
        ('"We will be back," ', True),
        ("‘The fleet has been brilliant.’", True),
        ("“I looked out and the whole top floor was orange,” she said.", False),
        ("She said: “We will be back.”", False),
        ("The council called it “a tragedy”.", False),
    ],
)
def test_is_bare_quote(text, bare):
    assert is_bare_quote(text) is bare


def test_captions_credits_and_bylines_are_furniture():
    text = (
        "By Jane Doe, Staff Writer\n\n"
        "A fire destroyed a warehouse on the quay last night.\n\n"
        "The gutted warehouse seen from the harbour wall. Photograph: Courier staff\n\n"
        "Firefighters pictured at dawn.\n\n"
        "Fire crews finally left the site yesterday afternoon.\n\n"
        "Crews were seen from the harbour wall as the roof fell in, and the road was closed."
    )
    [item] = analyze_articles([Article(text=text, outlet="Courier")], options=OPTIONS)
    furniture = {item.sent_text(j) for j in furniture_sents(item)}
    assert furniture == {
        "By Jane Doe, Staff Writer",
        "The gutted warehouse seen from the harbour wall.",
        "Photograph: Courier staff",
        "Firefighters pictured at dawn.",
    }


@pytest.mark.parametrize("method", sorted(available_methods()))
@pytest.mark.parametrize("words", [60, 120, 230, 400])
def test_example_summary_has_no_furniture(example_story, method, words):
    briefing = build_briefing(example_story, options=OPTIONS.with_(method=method, words=words))
    assert briefing.summary
    for sent in briefing.summary:
        text = briefing.text_of(sent.span)
        for junk in FURNITURE:
            assert junk not in text, (method, words, text)


@pytest.mark.parametrize("words", [40, 60, 90, 120, 160, 230, 300, 400])
def test_example_summary_has_no_unattributed_quote(example_story, words):
    spans = get_summarizer("storybrief").summarize(example_story, words=words)
    by_id = {item.article.id: item.article for item in example_story.articles}
    texts = [by_id[s.article_id].text_of(s) for s in spans]
    chosen = {(s.article_id, s.start) for s in spans}
    cands = story_candidates(example_story)
    for span, text in zip(spans, texts):
        cand = next(
            c
            for c in cands
            if (example_story.articles[c.article].article.id, c.start) == (span.article_id, span.start)
        )
        if is_bare_quote(text) or re.match(r"\W*(?:he|she|they|his|her|their)\b", text, re.IGNORECASE):
            assert cand.needs >= 0, text
        if cand.needs >= 0:
            # a bare quotation, or "He said ...", is printed only with the sentence it leans on
            anchor = cands[cand.needs]
            assert (example_story.articles[anchor.article].article.id, anchor.start) in chosen, text


def test_example_quote_continuations_need_their_speaker(example_story):
    cands = story_candidates(example_story)
    for phrase in BARE_QUOTES:
        [cand] = [
            c for c in cands if phrase in example_story.articles[c.article].article.text[c.start : c.end]
        ]
        assert cand.needs >= 0
        anchor = cands[cand.needs]
        assert " said" in example_story.articles[anchor.article].article.text[anchor.start : anchor.end]


def test_bare_quote_without_attribution_is_never_chosen():
    text = "“We will rebuild,” the banner read.\n\n“Nothing will stop us.”"
    lone = "“Nothing will stop us from rebuilding the whole harbour front by next summer.”\n\nThe quay was closed."
    story = build_story(
        analyze_articles([Article(text=lone, outlet="A"), Article(text=text, outlet="B")], options=OPTIONS),
        options=OPTIONS,
    )
    cands = story_candidates(story)
    first = next(c for c in cands if c.article == 0 and c.sents == (0,))
    assert not first.selectable  # nothing before it could say who speaks


def test_example_pronoun_sentences_need_the_sentence_before(example_story):
    cands = story_candidates(example_story)
    for phrase in LEANING:
        [i] = [
            k
            for k, c in enumerate(cands)
            if phrase in example_story.articles[c.article].article.text[c.start : c.end]
        ]
        assert cands[i].needs == i - 1


def test_quote_continuing_an_unselectable_one_is_not_selectable(example_story):
    # "He added: “We have already offered ..." leaves its quote open at the paragraph's
    # end, so it cannot be chosen, and neither can the paragraph that goes on with it
    cands = story_candidates(example_story)
    [c] = [
        c
        for c in cands
        if "But we also owe it to everyone" in example_story.articles[c.article].article.text[c.start : c.end]
    ]
    assert not c.selectable


def test_an_article_has_the_same_candidates_in_every_story_it_joins(example_story):
    """An article's candidates are its own (worked out once per analysis record): in a story
    where it comes first they are the same as in the example story, renumbered."""
    items = example_story.articles
    cands = story_candidates(example_story)
    i = max(
        c.article for c in cands if c.needs >= 0
    )  # the last article with a candidate that leans on another
    mine = [c for c in cands if c.article == i]
    base = cands.index(mine[0])
    again = story_candidates(build_story([items[i]], options=OPTIONS))
    assert base > 0 and any(c.needs >= 0 for c in again)  # the renumbering is exercised
    assert [replace(c, article=i, needs=c.needs + base if c.needs >= 0 else -1) for c in again] == mine
    # and a fresh record of the same analysis gives the same candidates as the memoised one
    fresh = build_story([AnalyzedArticle(items[i].article, replace(items[i].analysis))], options=OPTIONS)
    assert story_candidates(fresh) == again
