"""Stories: duplicates, story grouping and cross-outlet fact groups."""

from datetime import UTC

from storybrief.analysis import analyze_articles
from storybrief.articles import Article
from storybrief.articles.dedup import find_duplicates
from storybrief.stories import build_stories, build_story

WIRE = (
    "Firefighters battled a blaze at the Eastgate grain warehouse on Tuesday night. "
    "The fire started shortly after 10pm and spread to two neighbouring sheds, the fire service said. "
    "Around 60 residents were moved from nearby homes as a precaution. "
    "Chief officer Dana Whitlock said the cause was not yet known. "
    "The harbour road remained closed on Wednesday morning."
)
REWRITE = (
    "A large fire broke out at the Eastgate grain warehouse on Tuesday night. "
    "Chief officer Dana Whitlock said it was too early to know what caused the fire. "
    "About 60 residents were moved out of nearby homes as a precaution. "
    "Local traders said they feared for their businesses."
)
THIRD = (
    "Residents near Eastgate watched as the grain warehouse burned late on Tuesday. "
    "The harbour road stayed closed on Wednesday morning while crews damped down. "
    "One trader said the smell of smoke hung over the town."
)
OFF_TOPIC = (
    "Northgate Rovers beat Southport City 3-1 in the league on Saturday. "
    "The home side scored twice in the first half through their new striker. "
    "The manager praised the crowd after the match."
)


def _story(options, *texts_and_outlets):
    articles = [Article(text=t, outlet=o) for t, o in texts_and_outlets]
    return build_story(analyze_articles(articles, options=options), options=options)


def test_wire_copy_is_a_duplicate_not_confirmation(options):
    copy = WIRE + " The council will meet on Friday."
    story = _story(options, (WIRE, "Wire"), (copy, "Reprint"), (REWRITE, "Courier"))
    assert story.duplicate_of == {0: 1}  # the longer copy is kept as the original
    for group in story.fact_groups:
        assert all(m.article != 0 for m in group.members)
        assert "Wire" not in group.outlets


def test_same_fact_in_different_words_is_one_group(options):
    story = _story(options, (WIRE, "Wire"), (REWRITE, "Courier"), (THIRD, "Gazette"))
    texts = {frozenset(story.sent_text(m) for m in g.members): g for g in story.fact_groups if g.size > 1}
    residents = [g for members, g in texts.items() if any("residents were moved" in t for t in members)]
    assert residents and set(residents[0].outlets) == {"Wire", "Courier"}
    road = [g for members, g in texts.items() if any("harbour road" in t for t in members)]
    assert road and set(road[0].outlets) == {"Wire", "Gazette"}


def test_a_group_never_counts_an_outlet_twice(options):
    second_wire = (
        "Firefighters fought a blaze at the Eastgate grain warehouse on Tuesday night, the wire said again."
    )
    story = _story(options, (WIRE, "Wire"), (second_wire, "Wire"), (REWRITE, "Courier"))
    for group in story.fact_groups:
        outlets = [story.outlet(m.article) for m in group.members]
        assert len(outlets) == len(set(outlets))
        assert group.outlets == tuple(sorted(set(outlets)))


def test_every_sentence_of_an_original_has_a_group(options):
    story = _story(options, (WIRE, "Wire"), (REWRITE, "Courier"))
    assert set(story.group_of) == set(story.sent_refs())


def test_off_topic_article_is_its_own_story(options):
    articles = [
        Article(text=t, outlet=o)
        for t, o in [(WIRE, "Wire"), (REWRITE, "Courier"), (THIRD, "Gazette"), (OFF_TOPIC, "Courier")]
    ]
    stories = build_stories(analyze_articles(articles, options=options), options=options)
    assert [len(s.articles) for s in stories] == [3, 1]
    assert stories[1].articles[0].article.text == OFF_TOPIC


def test_a_story_keeps_the_id_it_opened_with(options):
    """A story's id is fixed by the article that opened it: more articles joining never rename it."""
    alone = build_stories(
        analyze_articles([Article(text=WIRE, outlet="Wire")], options=options), options=options
    )
    more = [Article(text=t, outlet=o) for t, o in [(WIRE, "Wire"), (REWRITE, "Courier"), (THIRD, "Gazette")]]
    grown = build_stories(analyze_articles(more, options=options), options=options)
    assert [len(s.articles) for s in grown] == [3]
    assert grown[0].id == alone[0].id


def test_exact_duplicates():
    articles = [
        Article(text=WIRE, outlet="A"),
        Article(text=WIRE, outlet="B"),
        Article(text=THIRD, outlet="C"),
    ]
    assert find_duplicates(articles) == {1: 0}


def test_the_earlier_published_article_is_the_original():
    from datetime import datetime

    wire = Article(text=WIRE, outlet="Wire", published=datetime(2026, 3, 11, 11, tzinfo=UTC))
    reprint = Article(
        text=WIRE + " The council will meet on Friday.",
        outlet="Reprint",
        published=datetime(2026, 3, 11, 13, tzinfo=UTC),
    )
    assert find_duplicates([reprint, wire]) == {0: 1}


def test_fact_terms_from_the_analysis_give_the_groups_worked_out_from_text(options):
    """Fact grouping reads each sentence's terms from the (cached) analysis; a record without them
    (hand-built, or from an older cache) is grouped from the text alone, with the same result."""
    from dataclasses import replace

    from storybrief.analysis import AnalyzedArticle
    from storybrief.analysis.factterms import sentence_terms

    articles = [
        Article(text=t, outlet=o) for t, o in ((WIRE, "Wire"), (REWRITE, "Courier"), (THIRD, "Gazette"))
    ]
    analysed = analyze_articles(articles, options=options)
    for item in analysed:
        assert item.analysis.fact_terms == tuple(sentence_terms(t) for t in item.sent_texts())
    bare = [AnalyzedArticle(a.article, replace(a.analysis, fact_terms=())) for a in analysed]
    stored, worked_out = build_story(analysed, options=options), build_story(bare, options=options)
    assert stored.fact_groups == worked_out.fact_groups and stored.group_of == worked_out.group_of
    assert any(g.size > 1 for g in stored.fact_groups)
