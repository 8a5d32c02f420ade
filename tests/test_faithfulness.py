"""Over the first 500 Multi-News val clusters: every summary sentence is a span of a cited
article that starts inside one of its sentences and stays inside that sentence's paragraph
(a summariser may take a quotation that runs over several sentences whole, or mend a
splitter accident such as "gov." + "Eliot Spitzer"), and every citation is a member of the
cited fact group."""

import pytest
from conftest import shared_path

from storybrief.analysis import analyze_articles
from storybrief.briefing import build_briefing, locate_sentence
from storybrief.config import Options
from storybrief.sources.multinews import iter_clusters
from storybrief.summarize import available_methods, count_words

N_CLUSTERS = 500


@pytest.fixture(scope="module")
def stories():
    from storybrief.stories import build_story

    options = Options(ner=False, cache=False)
    path = shared_path("data", "multinews", "val.00.jsonl.gz")
    return [
        build_story(analyze_articles(cluster.articles, options=options), options=options)
        for cluster in iter_clusters(path, limit=N_CLUSTERS)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("method", sorted(available_methods()))
def test_summaries_are_cited_source_spans(stories, method):
    assert len(stories) == N_CLUSTERS
    options = Options(method=method, ner=False, cache=False)
    for story in stories:
        briefing = build_briefing(story, options=options)
        assert count_words(briefing.summary_text) <= options.words
        for sent in briefing.summary:
            ref = locate_sentence(story, sent.span)
            analysis = story.articles[ref.article].analysis
            s, e = analysis.sents[ref.sent]
            _, paragraph_end = analysis.paragraphs[analysis.sent_paragraph[ref.sent]]
            assert s <= sent.span.start < e, (story.id, method)
            assert sent.span.start < sent.span.end <= paragraph_end, (story.id, method)
            assert (
                briefing.text_of(sent.span)
                == story.articles[ref.article].text[sent.span.start : sent.span.end]
            )
            outlets = [c.outlet for c in sent.citations]
            assert len(outlets) == len(set(outlets)), "an outlet is cited twice"
            if sent.fact_group is None:
                assert len(sent.citations) == 1
                continue
            group = story.fact_groups[sent.fact_group]
            assert set(outlets) == set(group.outlets)
            for citation in sent.citations[1:]:
                cited = locate_sentence(story, citation.span)
                assert cited in group.members
                assert story.sent_span(cited) == citation.span
