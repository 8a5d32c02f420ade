"""Articles, spans and analyses: checked when created, and JSON round-trips."""

import json
import pickle
from datetime import UTC, datetime

import pytest

from storybrief.analysis import Analysis, analyze_article
from storybrief.articles import Article, Span
from storybrief.errors import ArticleError, StorybriefError
from storybrief.schema import from_data, to_data


def test_article_id_is_stable_and_content_based():
    a = Article(text="Same text.", outlet="A", title="T")
    b = Article(text="Same text.", outlet="A", title="T")
    c = Article(text="Same text.", outlet="B", title="T")
    assert a.id == b.id != c.id
    assert Article(text="x", id="given").id == "given"


def test_span_checks_bounds():
    article = Article(text="Hello world.", outlet="A")
    assert article.text_of(article.span(0, 5)) == "Hello"
    with pytest.raises(ArticleError):
        article.span(3, 100)
    with pytest.raises(ArticleError):
        Span("x", 5, 2)
    with pytest.raises(ArticleError):
        article.text_of(Span("other", 0, 1))


def test_article_json_round_trip():
    article = Article(
        text="Body.",
        outlet="Courier",
        title="Title",
        url="https://c.example/a",
        published=datetime(2026, 3, 12, 8, 15, tzinfo=UTC),
        source="a.txt",
    )
    again = from_data(Article, to_data(article))
    assert again == article
    assert again.published.tzinfo is not None


def test_analysis_round_trip_and_spans():
    article = Article(
        text="Mr Smith met Ms Jones in London, although they had not planned to. They talked.", outlet="A"
    )
    analysis = analyze_article(article)
    assert from_data(Analysis, to_data(analysis)) == analysis
    assert (
        analysis.fact_terms[0].clauses and analysis.fact_terms[0].sentence.predicate
    )  # survives the round trip
    assert [article.text_of(s) for s in analysis.sent_spans(article)] == [
        "Mr Smith met Ms Jones in London, although they had not planned to.",
        "They talked.",
    ]
    labels = {article.text[e.start : e.end]: e.label for e in analysis.entities}
    assert labels.get("London") == "GPE"


def test_what_later_stages_derive_from_an_article_is_worked_out_once_and_stays_out_of_the_record():
    article = Article(text="The quay was closed on Tuesday. Divers searched the harbour.", outlet="A")
    analysis = analyze_article(article, ner=False)
    calls = []

    def work() -> str:
        calls.append(1)
        return "worked-out-once"

    assert analysis.derived("test.memo", work) == analysis.derived("test.memo", work) == "worked-out-once"
    assert calls == [1]
    # not a field: equality, JSON and pickles do not see it, and a copy starts without it
    copy = from_data(Analysis, to_data(analysis))
    assert copy == analysis and "worked-out-once" not in json.dumps(to_data(analysis))
    assert "worked-out-once" not in str(pickle.loads(pickle.dumps(analysis)).__dict__)
    assert copy.derived("test.memo", lambda: "again") == "again"


def test_errors_say_where():
    err = ArticleError("bad span", article_id="abc")
    assert "article abc" in str(err)
    assert isinstance(err, StorybriefError)


def test_articles_without_an_outlet_stay_separate_sources():
    assert (
        Article(text="x", outlet="The Courier", url="https://www.courier.example/a").display_outlet
        == "The Courier"
    )
    assert Article(text="x", url="https://www.courier.example/a").display_outlet == "courier.example"
    files = [Article(text="x", source=f"../data/seeds/00{i}.txt") for i in range(4)]
    assert [a.display_outlet for a in files] == [f"unknown outlet (00{i}.txt)" for i in range(4)]
    assert Article(text="x").display_outlet == "unknown outlet"


def test_anonymous_seed_files_are_four_sources(options):
    from conftest import shared_path

    from storybrief.pipeline import brief_paths

    result = brief_paths([shared_path("data", "seeds")], options=options)
    assert len(result.briefings) == 1
    names = [o.name for o in result.briefings[0].outlets]
    assert len(names) == 4 and all(n.startswith("unknown outlet (00") for n in names)
