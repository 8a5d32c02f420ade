"""Bounded memory in a big story (issue 16): the summariser's sentence similarities and the
disagreement finder's sentence vectors are worked out without an n x n or a sentence x vocabulary
matrix, and give what the straightforward dense computation gives."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from conftest import EXAMPLE

from storybrief.analysis import analyze_articles
from storybrief.articles import Article
from storybrief.config import Options
from storybrief.language import sentence_term_rows, sentence_vectors, term_cosine, terms
from storybrief.stories import build_story
from storybrief.stories import disagreements as disagreements_module
from storybrief.stories.disagreements import find_disagreements
from storybrief.summarize import sentence_features as features_module
from storybrief.summarize.methods import storybrief as method
from storybrief.summarize.story_features import story_features

OPTIONS = Options(cache=False, ner=False)


@pytest.fixture(scope="module")
def big_story():
    """The bundled example's articles and three generated twelve-outlet stories of the same
    outlets, as one story of some 300 sentences with disagreements."""
    from generated_story import twelve_outlet_articles

    from storybrief.sources import read_sources

    articles = list(read_sources([EXAMPLE / "articles"], options=OPTIONS).articles) + [
        Article(**{**a, "published": datetime.fromisoformat(a["published"]), "url": f"{a['url']}/{seed}"})
        for seed in (7, 8, 9)
        for a in twelve_outlet_articles(seed)
    ]
    return build_story(analyze_articles(articles, options=OPTIONS), options=OPTIONS)


def dense_other_doc_similarity(unit: np.ndarray, doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The straightforward computation: the whole n x n cosine matrix, own document zeroed."""
    sims = unit @ unit.T
    sims[doc[:, None] == doc[None, :]] = 0.0
    return sims.max(axis=1), np.sort(sims, axis=1)[:, -3:].mean(axis=1)


def test_summary_similarities_are_the_same_in_any_block(big_story, monkeypatch):
    model = method.load_model()
    sf = story_features(big_story, model.priors)
    n = len(sf.cands)
    assert n > 250 and len(set(sf.doc_of.tolist())) > 30
    unit = features_module.unit_rows(sf)
    whole = features_module.other_doc_similarity(unit, sf.doc_of, block_cells=n * n)
    for cells in (1, 7 * n, 40 * n + 3):  # one row, seven rows, forty rows a block
        blocks = features_module.other_doc_similarity(unit, sf.doc_of, block_cells=cells)
        assert all(np.array_equal(a, b) for a, b in zip(whole, blocks))  # bit for bit
    # the blocks compute the cosines the dense matrix holds
    dense = dense_other_doc_similarity(unit.toarray(), sf.doc_of)
    assert all(np.allclose(a, b, rtol=0, atol=1e-12) for a, b in zip(whole, dense))
    assert whole[0].max() > 0.9 and (whole[0] > 0).mean() > 0.9  # other outlets say the same things
    # so the features and the summary do not depend on the block size
    summary = method.StorybriefSummarizer().summarize(big_story, words=230)
    mu_uni, mu_bi, *_ = method.predict_values(big_story, sf, model, beta=2.0)
    values = np.zeros(n)
    x = features_module.sentence_features(big_story, sf, mu_uni, mu_bi, values)
    monkeypatch.setattr(features_module, "BLOCK_CELLS", 5 * n)
    assert np.array_equal(features_module.sentence_features(big_story, sf, mu_uni, mu_bi, values), x)
    assert method.StorybriefSummarizer().summarize(big_story, words=230) == summary and summary


def test_sparse_term_rows_give_the_dense_cosines(big_story):
    found = [terms(big_story.sent_text(r)) for r in big_story.sent_refs()]
    dense = sentence_vectors(found)
    rows = sentence_term_rows(found)
    assert len(rows) == len(dense) > 250
    rng = np.random.default_rng(16)
    pairs = rng.integers(0, len(rows), size=(2000, 2))
    ours = np.array([term_cosine(rows[i], rows[j]) for i, j in pairs])
    theirs = np.einsum("ij,ij->i", dense[pairs[:, 0]], dense[pairs[:, 1]])
    assert np.allclose(ours, theirs, rtol=0, atol=1e-12)
    assert all(term_cosine(rows[i], rows[j]) == term_cosine(rows[j], rows[i]) for i, j in pairs[:200])
    assert (theirs > 0.5).sum() > 50  # paraphrases of one fact among the pairs


def test_disagreements_equal_those_of_dense_sentence_vectors(big_story, monkeypatch):
    found = find_disagreements(big_story)
    assert found  # the generated outlets disagree on a figure

    def dense_rows(sent_terms):  # the straightforward path: one dense row per sentence
        return list(sentence_vectors(sent_terms))

    monkeypatch.setattr(disagreements_module, "sentence_term_rows", dense_rows)
    monkeypatch.setattr(disagreements_module, "term_cosine", lambda a, b: float(a @ b))
    assert find_disagreements(big_story) == found


def test_compact_disputes_equal_the_plain_pairs(big_story, monkeypatch):
    """Fact groups keep their disputes as one array each (a big story has millions), equal to the
    tuples of pairs the plain loop gives; a conflict memo that starts afresh changes nothing."""
    import pickle

    from storybrief.stories import conflicts, facts
    from storybrief.stories.disagreements import DisputedPairs

    captured = {}
    real = facts._disputes

    def spy(refs, i, j, group, clash):
        captured["args"] = (refs, i, j, list(group), clash)
        return real(refs, i, j, group, clash)

    monkeypatch.setattr(facts, "_disputes", spy)
    groups, group_of = facts.group_facts(big_story)
    refs, i, j, group, clash = captured["args"]
    plain: dict[int, list] = {}
    for x, y in zip(i.tolist(), j.tolist()):
        if group[x] != group[y] and clash(x, y):
            plain.setdefault(group[x], []).append((refs[x], refs[y]))
            plain.setdefault(group[y], []).append((refs[y], refs[x]))
    assert sum(map(len, plain.values())) >= 4
    keys = sorted({g for g in group})
    for key, g in zip(keys, groups):
        assert g.disputes == tuple(sorted(plain.get(key, ())))
    assert pickle.loads(pickle.dumps(groups)) == groups

    # the story's questions about disputes get the plain answers
    story = replace_groups(big_story, groups, group_of)
    every = {pair for pairs in plain.values() for pair in pairs}
    disputed = DisputedPairs(story)
    assert all(pair in disputed for pair in every)
    others = [(refs[x], refs[y]) for x, y in zip(i.tolist()[:3000], j.tolist()[:3000])]
    assert all((pair in disputed) == (pair in every) for pair in others)
    for ref in {own for own, _ in every}:
        outlets: dict[str, object] = {}
        for own, other in sorted(plain[group_of_key(refs, group, ref)]):
            if own == ref:
                outlets.setdefault(story.outlet(other.article), other)
        assert story.disputes_of(ref) == tuple(sorted(outlets.values()))

    monkeypatch.setattr(conflicts, "MEMO_PAIRS", 3)
    assert facts.group_facts(big_story) == (groups, group_of)


def replace_groups(story, groups, group_of):
    from dataclasses import replace

    return replace(story, fact_groups=groups, group_of=group_of)


def group_of_key(refs, group, ref):
    return group[refs.index(ref)]
