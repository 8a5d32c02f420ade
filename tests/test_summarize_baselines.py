"""The baseline summarisers: cited spans, the word budget, lead order, LexRank and MMR behaviour."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storybrief.analysis import analyze_articles
from storybrief.articles import Article
from storybrief.config import Options
from storybrief.sources.multinews import iter_clusters
from storybrief.stories import build_story
from storybrief.summarize import available_methods, count_words, get_summarizer
from storybrief.summarize.methods.centroid import mmr_order
from storybrief.summarize.methods.lead import round_robin
from storybrief.summarize.methods.lexrank import WordTokenizer

ROOT = Path(__file__).resolve().parent.parent
VAL = ROOT.parent / "shared" / "data" / "multinews" / "val.00.jsonl.gz"
BASELINES = ("lead", "lexrank", "centroid")
PLAIN = Options(ner=False, cache=False)


def _story(*texts: str, outlets: tuple[str, ...] | None = None):
    outlets = outlets or tuple(f"outlet {i}" for i in range(len(texts)))
    articles = [Article(text=t, outlet=o) for t, o in zip(texts, outlets)]
    return build_story(analyze_articles(articles, options=PLAIN), options=PLAIN)


@pytest.fixture(scope="module")
def val_stories():
    if not VAL.exists():
        pytest.fail(f"missing shared data {VAL}: CI and developers have ../shared beside the repo")
    return [
        build_story(analyze_articles(c.articles, options=PLAIN), options=PLAIN, id=c.id)
        for c in iter_clusters(VAL, limit=12)
    ]


def test_baselines_are_registered():
    methods = available_methods()
    assert set(BASELINES) <= set(methods)
    for name in BASELINES:
        assert methods[name].name == name
        assert methods[name].description


def _sentence_containing(story, span):
    """The story sentence (of a non-copy article) whose span contains ``span``."""
    index = story.article_index(span.article_id)
    for ref in story.sent_refs():
        if ref.article == index:
            sent = story.sent_span(ref)
            if sent.start <= span.start and span.end <= sent.end:
                return ref, sent
    return None, None


@pytest.mark.parametrize("name", BASELINES)
@pytest.mark.parametrize("words", [40, 230])
def test_spans_cite_real_sentences_within_budget(val_stories, name, words):
    summarizer = get_summarizer(name)
    cut_seen = False
    for story in val_stories:
        spans = summarizer.summarize(story, words=words)
        assert spans, f"{name} gave nothing for cluster {story.id}"
        texts = []
        for i, span in enumerate(spans):
            article = story.articles[story.article_index(span.article_id)].article
            text = article.text_of(span)  # raises if the span is not inside the article
            ref, sent = _sentence_containing(story, span)
            assert ref is not None, f"{name}: span {span} is not inside one sentence of an original article"
            assert span.start == sent.start, "a span starts where its sentence starts"
            if i < len(spans) - 1:
                assert span == sent, "only the last span may be cut"
            elif span != sent:
                cut_seen = True
                assert text and story.sent_text(ref).startswith(text)
            texts.append(text)
        total = count_words("\n".join(texts))
        available = sum(count_words(story.sent_text(r)) for r in story.sent_refs())
        assert total <= words
        if available >= 2 * words:  # plenty of text: the budget is spent exactly, the last sentence cut at it
            assert total == words, f"{name} used {total} of {words} words on cluster {story.id}"
        keys = [" ".join(t.lower().split()) for t in texts]
        assert len(keys) == len(set(keys)), "exact repeats are skipped"
    assert cut_seen, f"{name} never cut a last sentence at the budget"


A = "Alpha one opens the first report. Alpha two follows it. Alpha three ends it."
B = "Bravo one is the single sentence of the second report."
C = "Charlie one starts the third report. Charlie two closes it."


def test_lead_takes_first_sentences_in_turn():
    story = _story(A, B, C)
    order = [story.sent_text(r) for r in round_robin(story)]
    assert order == [
        "Alpha one opens the first report.",
        "Bravo one is the single sentence of the second report.",
        "Charlie one starts the third report.",
        "Alpha two follows it.",
        "Charlie two closes it.",
        "Alpha three ends it.",
    ]
    spans = get_summarizer("lead").summarize(story, words=1000)
    assert [story.articles[story.article_index(s.article_id)].article.text_of(s) for s in spans] == order
    # 6 + 10 + 6 = 22 words, then a budget of 24 cuts "Alpha two follows it." after two words.
    cut = get_summarizer("lead").summarize(story, words=24)
    last = cut[-1]
    assert story.articles[story.article_index(last.article_id)].article.text_of(last) == "Alpha two"


def test_lead_skips_syndicated_copies():
    copy = A + " A closing line only the copy carries."
    story = _story(A, copy, C)
    assert story.duplicate_of == {0: 1}
    firsts = [story.sent_text(r) for r in round_robin(story)][:2]
    assert firsts == ["Alpha one opens the first report.", "Charlie one starts the third report."]


HUB = "Fire crews fought the harbour warehouse blaze as residents fled homes near the grain depot."
SPOKES = (
    "Fire crews reached the harbour warehouse within minutes.",
    "Residents fled homes in nightclothes.",
    "The grain depot stored wheat for export.",
)


def test_lexrank_ranks_the_hub_sentence_first():
    story = _story(SPOKES[0] + " " + HUB, SPOKES[1], SPOKES[2])
    ranked = [story.sent_text(r) for r in get_summarizer("lexrank").rank(story)]
    assert sorted(ranked) == sorted(story.sent_text(r) for r in story.sent_refs())
    assert ranked[0] == HUB


def test_lexrank_ranking_agrees_with_sumys_own_selection(val_stories):
    """Our rank order, cut at k, is the set sumy itself returns for k sentences."""
    from storybrief.summarize.methods.lexrank import make_lexrank, to_sumy_document

    lexrank = get_summarizer("lexrank")
    for story in val_stories[:6]:
        ranked = [story.sent_text(r) for r in lexrank.rank(story)]
        paragraphs = {}
        for ref in story.sent_refs():
            paragraphs.setdefault(ref.article, []).append(story.sent_text(ref))
        for k in (1, 3, 8):
            picked = make_lexrank()(to_sumy_document(list(paragraphs.values())), k)
            assert {str(s) for s in picked} == set(ranked[:k]), f"cluster {story.id}, k={k}"


def test_lexrank_tokenizer_needs_no_nltk_and_keeps_words_only():
    words = WordTokenizer().to_words("Anti-Semitism rose 8.2 % in 2018 , the group 's report said.")
    assert words == ("Anti-Semitism", "rose", "in", "the", "group", "s", "report", "said")


def test_mmr_prefers_fresh_material_over_a_near_copy():
    relevance = np.array([0.9, 0.88, 0.6])
    sims = np.array([[1.0, 0.95, 0.1], [0.95, 1.0, 0.1], [0.1, 0.1, 1.0]])
    assert list(mmr_order(relevance, sims, lam=0.7)) == [0, 2, 1]
    assert list(mmr_order(relevance, sims, lam=1.0)) == [0, 1, 2]  # no redundancy penalty: plain relevance


def test_centroid_starts_with_the_central_sentence_and_lambda_trades_off_repeats():
    from storybrief.summarize.methods.centroid import CentroidSummarizer

    near = "Fire crews fought the harbour warehouse blaze as residents fled homes near the grain depot, police said."
    near2 = "Fire crews fought a harbour warehouse blaze while residents fled homes near the grain depot."
    story = _story(SPOKES[0] + " " + HUB, near + " " + SPOKES[1], near2 + " " + SPOKES[2])
    copies = {HUB, near, near2}
    assert next(story.sent_text(r) for r in get_summarizer("centroid").rank(story)) in copies
    relevance_only = [story.sent_text(r) for r in CentroidSummarizer(lam=1.0).rank(story)]
    novelty_first = [story.sent_text(r) for r in CentroidSummarizer(lam=0.3).rank(story)]
    assert set(relevance_only[:3]) == copies
    assert novelty_first[0] in copies and novelty_first[1] not in copies


@pytest.mark.parametrize("name", BASELINES)
def test_empty_story_gives_an_empty_summary(name):
    story = build_story([], options=PLAIN)
    assert get_summarizer(name).summarize(story, words=50) == []


_WORDS = st.sampled_from(
    "fire crews harbour grain warehouse night residents road council mayor 12 % ( ap ) --".split()
)
_SENTENCE = st.lists(_WORDS, min_size=1, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
_ARTICLE = st.lists(_SENTENCE, min_size=1, max_size=6).map(" ".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(_ARTICLE, min_size=1, max_size=4),
    words=st.integers(1, 60),
    name=st.sampled_from(BASELINES),
)
def test_any_story_gets_cited_spans_within_budget(texts, words, name):
    story = _story(*texts)
    spans = get_summarizer(name).summarize(story, words=words)
    ids = {item.article.id for i, item in enumerate(story.articles) if i not in story.duplicate_of}
    texts_out = []
    for span in spans:
        assert span.article_id in ids
        texts_out.append(story.articles[story.article_index(span.article_id)].article.text_of(span))
    assert count_words("\n".join(texts_out)) <= words


def test_mmr_breaks_ties_by_reading_order_despite_rounding_noise():
    relevance = np.array([0.5, 0.5 + 1e-12, 0.5 - 1e-12, 0.2])
    sims = np.eye(4)
    assert list(mmr_order(relevance, sims, lam=0.7)) == [0, 1, 2, 3]


def test_dependency_chains_end():
    """A candidate never depends on itself, and a cycle of dependencies ends
    (a bare quotation attributed in a later sentence that opens with "He said"
    once made the summariser loop forever)."""
    from storybrief.summarize.features import Candidate, _root

    def cand(needs: int) -> Candidate:
        return Candidate(0, (0,), 0, 10, 5, True, needs=needs)

    loop = [cand(1), cand(0)]
    assert _root(loop, 0) == -1
    chain = [cand(-1), cand(0), cand(1)]
    assert _root(chain, 2) == 0
    assert _root(chain, 1, own=0) == -1  # would make candidate 0 depend on itself
