"""Per-article analysis is cached by content hash: re-briefing does not re-run NLP."""

import pytest

from storybrief.analysis import AnalysisCache, analyze_articles
from storybrief.analysis import entities as entities_module
from storybrief.articles import Article


@pytest.mark.slow
def test_second_run_reads_the_cache(options, monkeypatch):
    import storybrief.analysis as analysis

    articles = [Article(text=f"Story number {i}. Jane Doe spoke in Paris.", outlet=f"O{i}") for i in range(3)]
    first = analyze_articles(articles, options=options)
    assert AnalysisCache(options.resolved_cache_path).count() == 3

    def fail(*args, **kwargs):
        raise AssertionError("NLP ran again on cached articles")

    monkeypatch.setattr(analysis, "find_entities", fail)
    monkeypatch.setattr(entities_module, "find_entities", fail)
    second = analyze_articles(articles, options=options)
    assert [a.analysis for a in second] == [a.analysis for a in first]


def test_same_text_is_analysed_once(options):
    text = "A wire story about a fire. Crews attended."
    articles = [Article(text=text, outlet="A"), Article(text=text, outlet="B")]
    done = []
    out = analyze_articles(articles, options=options, progress=lambda d, t: done.append((d, t)))
    assert done == [(2, 2)]  # one unique text analysed, both articles done
    assert out[0].analysis is out[1].analysis


def test_cache_can_be_switched_off(options):
    options = options.with_(cache=False)
    analyze_articles([Article(text="No cache here. None at all.", outlet="A")], options=options)
    assert not options.resolved_cache_path.exists()
