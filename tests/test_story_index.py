"""The online story index: stable ids, merging, saving and loading, determinism, the mixed pile,
a lone article, and thousands of wire copies."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from storybrief.analysis import Analysis, AnalyzedArticle, analyze_articles
from storybrief.articles import Article, hash_text
from storybrief.config import Options
from storybrief.stories import StoryIndex, build_stories, order_for_index
from storybrief.stories.index import CANDIDATES, FEATURES, MAX_TERMS, GroupingModel, load_model

FIRE = [
    "Fire crews fought a blaze at the Eastgate grain warehouse in Kellhaven harbour overnight; "
    "the warehouse roof collapsed and sixty residents left their homes.",
    "The Eastgate grain warehouse burned through the night in Kellhaven harbour, and the fire service "
    "said sixty residents had been moved while the roof collapsed.",
    "Kellhaven harbour road stayed shut after the Eastgate warehouse fire; crews damped down the "
    "collapsed roof of the grain store and residents returned.",
]
VOTE = [
    "Marlow district council voted to close the Brindle Street library branch, citing a budget gap "
    "of two million pounds and falling visitor numbers.",
    "Councillors in Marlow backed closing Brindle Street library to help fill a two million pound "
    "budget gap, despite a petition from visitors.",
    "The Brindle Street library in Marlow will close after the district council vote on the budget "
    "gap; the petition gathered four thousand names.",
]
LONE = "Zebrafish quintet yodelled over xylophones beneath purple glaciers."


def synthetic(text: str, *, id: str, published: datetime | None = None, title: str = "") -> AnalyzedArticle:
    """An article with a hand-built analysis (one sentence, no entities, no vectors): cheap, and
    enough for the index, which reads terms, entities and vectors when they exist."""
    article = Article(text=text, outlet="Invented Wire", id=id, published=published, title=title)
    analysis = Analysis(
        content_hash=hash_text(text),
        sents=((0, len(text)),),
        sent_paragraph=(0,),
        paragraphs=((0, len(text)),),
    )
    return AnalyzedArticle(article, analysis)


def _pile() -> list[AnalyzedArticle]:
    return [synthetic(t, id=f"fire-{i}") for i, t in enumerate(FIRE)] + [
        synthetic(t, id=f"vote-{i}") for i, t in enumerate(VOTE)
    ]


def test_an_article_joins_its_story_and_ids_never_change():
    index = StoryIndex()
    first = index.add(synthetic(FIRE[0], id="fire-0"))
    assert first == "s-" + hash_text("fire-0")[:12]  # fixed when the story opened
    assert index.add(synthetic(FIRE[1], id="fire-1")) == first
    vote = index.add(synthetic(VOTE[0], id="vote-0"))
    assert vote != first
    assert index.add(synthetic(FIRE[2], id="fire-2")) == first
    assert index.add(synthetic(VOTE[1], id="vote-1")) == vote
    assert index.stories() == {first: ["fire-0", "fire-1", "fire-2"], vote: ["vote-0", "vote-1"]}
    assert index.story_of("fire-1") == first and index.resolve(first) == first


def test_adding_an_article_again_changes_nothing():
    index = StoryIndex()
    ids = [index.add(item) for item in _pile()]
    before = index.stories()
    assert [index.add(item) for item in _pile()] == ids
    assert index.stories() == before and len(index) == len(_pile())


def test_unknown_article_is_a_key_error():
    with pytest.raises(KeyError):
        StoryIndex().story_of("never-added")


def test_an_article_sharing_nothing_gets_a_story_of_its_own():
    index = StoryIndex()
    for item in _pile():
        index.add(item)
    lone = index.add(synthetic(LONE, id="lone"))
    assert index.stories()[lone] == ["lone"]
    assert len(index.stories()) == 3


def test_same_input_in_same_order_gives_same_ids():
    items = _pile() + [synthetic(LONE, id="lone")]
    random.Random(7).shuffle(items)
    runs = []
    for _ in range(2):
        index = StoryIndex()
        runs.append(([index.add(item) for item in items], index.stories()))
    assert runs[0] == runs[1]


def _merging_index() -> StoryIndex:
    """An index whose model joins an article to a story, and merges two stories, at TF-IDF cosine
    0.3, so that a bridging article merges two stories (the shipped model is fitted, and its
    thresholds move with it)."""
    index = StoryIndex()
    lexical = (20.0,) + (0.0,) * (len(FEATURES) - 1)
    index.model = GroupingModel(
        weights=lexical,
        bias=-6.0,
        fallback_weights=lexical,
        fallback_bias=-6.0,
        merge_threshold=0.5,
        merge_weights=(20.0, 0.0, 0.0, 0.0, 0.0),
        merge_bias=-6.0,
    )
    return index


A_TEXT = "apple banana cherry damson elderberry fig grape"
B_TEXT = "kiwi lemon mango nectarine olive papaya quince"


def test_merging_keeps_the_older_id_and_the_other_resolves_to_it():
    index = _merging_index()
    a = index.add(synthetic(A_TEXT, id="a"))
    b = index.add(synthetic(B_TEXT, id="b"))
    assert a != b
    bridge = index.add(synthetic(A_TEXT + " " + B_TEXT, id="bridge"))
    assert bridge == a  # the older story survives
    assert index.resolve(b) == a and index.story_of("b") == a
    assert index.stories() == {a: ["a", "b", "bridge"]}
    # a later article on the merged story still lands there
    assert index.add(synthetic(B_TEXT + " raspberry", id="later")) == a


def test_save_and_load_keep_ids_aliases_and_later_decisions():
    items = [synthetic(f"{A_TEXT} {i}", id=f"a{i}") for i in range(2)] + [synthetic(B_TEXT, id="b")]
    later = [
        synthetic(A_TEXT + " " + B_TEXT, id="bridge"),
        synthetic(VOTE[0], id="v0"),
        synthetic(VOTE[1], id="v1"),
        synthetic(B_TEXT + " strawberry", id="b2"),
    ]
    straight = _merging_index()
    for item in items + later:
        straight.add(item)

    db = sqlite3.connect(":memory:")
    index = _merging_index()
    for item in items:
        index.add(item)
    index.save(db)
    assert db.in_transaction  # save does not commit: the caller does
    db.commit()
    for item in later[:2]:
        index.add(item)  # merges b into a: the alias must reach the database
    index.save(db)
    db.commit()
    reloaded = StoryIndex.load(db)
    reloaded.model = index.model
    assert reloaded.stories() == index.stories()
    assert reloaded.resolve("s-" + hash_text("b")[:12]) == reloaded.story_of("a0")
    for item in later[2:]:
        reloaded.add(item)
    assert reloaded.stories() == straight.stories()
    # and after a second round trip the state is identical, down to the candidates' order
    reloaded.save(db)
    db.commit()
    again = StoryIndex.load(db)
    assert again.stories() == straight.stories() and again._store.postings == straight._store.postings


def test_save_writes_only_what_changed():
    db = sqlite3.connect(":memory:")
    index = StoryIndex()
    for item in _pile():
        index.add(item)
    index.save(db)
    db.commit()
    before = db.total_changes
    index.save(db)  # nothing changed: only the small meta rows are rewritten
    assert db.total_changes - before <= 5
    index.add(synthetic(LONE, id="lone"))
    before = db.total_changes
    index.save(db)
    # one member, one story, the lone article's new terms and its listings under them, meta: not the
    # whole index again
    assert db.execute("SELECT COUNT(*) FROM story_index_members").fetchone()[0] == len(_pile()) + 1
    written = db.total_changes - before
    assert written < 5 + 2 + 2 * len(set(LONE.lower().split())) + 2


def test_a_rolled_back_save_leaves_the_stored_index_as_it_was():
    db = sqlite3.connect(":memory:")
    index = StoryIndex()
    for item in _pile()[:3]:
        index.add(item)
    index.save(db)
    db.commit()
    index.add(synthetic(VOTE[0], id="vote-0"))
    index.save(db)
    db.rollback()
    assert StoryIndex.load(db).stories() == {index.story_of("fire-0"): ["fire-0", "fire-1", "fire-2"]}


def test_loading_an_empty_database_gives_an_empty_index():
    assert StoryIndex.load(sqlite3.connect(":memory:")).stories() == {}


def test_dated_articles_are_added_in_publication_order_and_undated_keep_theirs():
    t0 = datetime(2026, 3, 12, 8, tzinfo=UTC)
    late = synthetic(FIRE[0], id="late", published=t0 + timedelta(hours=5))
    early = synthetic(FIRE[1], id="early", published=t0)
    naive = synthetic(FIRE[2], id="naive", published=datetime(2026, 3, 12, 9))  # no zone: read as UTC
    undated = synthetic(VOTE[0], id="undated")
    ordered = order_for_index([undated, late, naive, early])
    assert [a.id for a in ordered] == ["undated", "early", "naive", "late"]
    stories = build_stories([undated, late, naive, early], options=Options(cache=False))
    fire = next(s for s in stories if len(s.articles) == 3)
    assert fire.id == "s-" + hash_text("early")[:12]  # the first published article founded it


def test_articles_far_apart_in_time_are_not_compared():
    t0 = datetime(2026, 3, 12, 8, tzinfo=UTC)
    index = StoryIndex()
    first = index.add(synthetic(FIRE[0], id="f0", published=t0))
    assert index.add(synthetic(FIRE[1], id="f1", published=t0 + timedelta(days=1))) == first
    assert index.add(synthetic(FIRE[2], id="f2", published=t0 + timedelta(days=60))) != first


def test_five_thousand_wire_copies_make_one_story_without_blowing_up():
    """Near-identical copies: one story, and the work per article stays bounded (postings and the
    centroid do not grow with the copies)."""
    base = FIRE[0]
    outlets = [
        f"{town} {paper}"
        for town in ("Kellhaven", "Northgate", "Southport", "Marlow", "Eastgate")
        for paper in ("Courier", "Gazette", "Herald", "Post", "Echo", "Mercury", "Argus", "Times")
    ]
    index = StoryIndex()
    seen_candidates = 0
    for i in range(5000):
        item = synthetic(f"{base} Distributed to the {outlets[i % len(outlets)]}.", id=f"copy-{i}")
        index.add(item)
        if i % 500 == 499:
            signals = __import__("storybrief.stories.index", fromlist=["article_signals"]).article_signals(
                item
            )
            seen_candidates = max(seen_candidates, len(index._candidates(index._observe(signals), signals)))
    stories = index.stories()
    assert len(stories) == 1 and len(next(iter(stories.values()))) == 5000
    (story,) = index._store.held_stories()
    assert len(story.centroid) <= MAX_TERMS
    assert sum(len(p) for p in index._store.postings.values()) <= 2 * len(story.posted)
    assert seen_candidates <= CANDIDATES


def test_the_shipped_model_is_fitted_on_train():
    model = load_model()
    assert "train" in model.trained_on
    from storybrief.stories.index import pair_features
    from storybrief.stories.relative import relative_features

    def probability(tfidf: float, minilm: float | None) -> float:
        pairs = [pair_features(tfidf=tfidf, minilm=minilm, entities=0.3, size=2)]
        pairs += [pair_features(tfidf=0.05, minilm=None if minilm is None else 0.2, entities=0.0, size=2)] * 3
        return float(
            model.probabilities(relative_features(np.asarray(pairs), n_terms=80, pool=CANDIDATES))[0]
        )

    # more shared terms, more likely the same story, with MiniLM vectors and without
    assert probability(0.1, 0.5) < probability(0.3, 0.5) < probability(0.6, 0.5)
    assert probability(0.1, None) < probability(0.3, None) < probability(0.6, None)


def test_a_match_that_stands_out_counts_more_than_one_among_many_alike():
    """The same cosines are a likelier match when the article's other candidates are far below than
    when many candidates look alike (a dense index): the decision reads each candidate relative to
    the others, which keeps it sound as the index grows."""
    from storybrief.stories.index import pair_features
    from storybrief.stories.relative import relative_features

    model = load_model()

    def probability_of_first(others: float, n: int) -> float:
        pairs = [pair_features(tfidf=0.35, minilm=0.6, entities=0.5, size=3)]
        pairs += [pair_features(tfidf=others, minilm=others + 0.2, entities=0.2, size=3)] * (n - 1)
        rows = relative_features(np.asarray(pairs), n_terms=120, pool=CANDIDATES)
        assert rows.shape == (n, len(FEATURES))
        return float(model.probabilities(rows)[0])

    alone = probability_of_first(0.05, 8)
    crowded = probability_of_first(0.34, 24)
    assert alone > 0.5 > crowded


# ---------------------------------------------------------------------------------------
# The mixed pile: the seeds, the bundled example and 200 Multi-News val articles, shuffled.


@pytest.mark.slow
def test_mixed_pile_keeps_the_seeds_and_the_harbour_fire_apart(tmp_path):
    from conftest import EXAMPLE, shared_path

    from storybrief.sources import read_sources
    from storybrief.sources.multinews import iter_clusters

    options = Options(cache_path=tmp_path / "cache.sqlite")
    read = read_sources([shared_path("data", "seeds"), EXAMPLE / "articles"], options=options)
    seeds = {a.id for a in read.articles if "seeds" in a.source}
    fire = {a.id for a in read.articles if "harbour-fire" in a.source and "rovers" not in a.source}
    football = {a.id for a in read.articles if "rovers" in a.source}
    assert len(seeds) == 4 and len(fire) == 6 and len(football) == 1
    val = []
    for cluster in iter_clusters(shared_path("data", "multinews", "val.00.jsonl.gz")):
        val.extend(
            a
            for i, a in enumerate(cluster.articles)
            if i not in cluster.irrelevant and len(a.text.split()) >= 20
        )
        if len(val) >= 200:
            break
    pile = list(read.articles) + val[:200]
    random.Random(20260312).shuffle(pile)
    stories = build_stories(analyze_articles(pile, options=options), options=options)
    members = [{a.id for a in s.articles} for s in stories]
    assert seeds in members  # exactly one story of their own
    assert fire in members
    assert football in members


# ---------------------------------------------------------------------------------------
# Evaluation: B-cubed and `storybrief eval grouping`


def test_b_cubed_scores_known_labellings():
    from storybrief.evaluate.grouping import b_cubed

    # one gold cluster of three split 2 + 1: precision 1, recall (2/3 + 2/3 + 1/3) / 3
    p, r, f1 = b_cubed(["a", "a", "b"], ["x", "x", "x"])
    assert p == 1.0 and r == pytest.approx(5 / 9) and f1 == pytest.approx(2 * 5 / 9 / (1 + 5 / 9))
    # everything in one story over two clusters of two: recall 1, precision 1/2
    assert b_cubed(["s"] * 4, ["x", "x", "y", "y"])[:2] == (0.5, 1.0)


@pytest.mark.slow
def test_eval_grouping_command_scores_a_val_slice(tmp_path, monkeypatch):
    """`storybrief eval grouping` on the first clusters of val: the pool leaves out flagged and short
    documents, the JSON carries B-cubed scores, and F1 stays above the floor pinned in
    tests/grouping_baseline.json."""
    import json

    from click.testing import CliRunner
    from conftest import ROOT, shared_path

    from storybrief.cli import main
    from storybrief.sources.multinews import iter_clusters
    from storybrief.summarize.base import count_words

    baseline = json.loads((ROOT / "tests" / "grouping_baseline.json").read_text(encoding="utf-8"))
    data = shared_path("data", "multinews", "val.00.jsonl.gz")
    expected = sum(
        1
        for c in iter_clusters(data, limit=baseline["clusters"])
        for i, a in enumerate(c.articles)
        if int(a.id.rsplit("-", 1)[1]) not in c.irrelevant and count_words(a.text) >= 20
    )
    out = tmp_path / "grouping.json"
    result = CliRunner().invoke(
        main,
        [
            "eval",
            "grouping",
            "--data",
            str(data),
            "--clusters",
            str(baseline["clusters"]),
            "--seed",
            "0",
            "--format",
            "json",
            "--out",
            str(out),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout.strip().splitlines()[-1])
    assert scores == json.loads(out.read_text(encoding="utf-8"))
    assert scores["articles"] == expected and scores["left_out_flagged"] > 0
    for key in ("b3_precision", "b3_recall", "b3_f1"):
        assert 0.0 <= scores[key] <= 1.0
    assert scores["b3_f1"] >= baseline["b3_f1"]
    assert scores["index_peak_mb"] > 0 and scores["articles_per_s"] > 0


def test_eval_grouping_names_missing_data(tmp_path):
    from click.testing import CliRunner

    from storybrief.cli import main

    result = CliRunner().invoke(main, ["eval", "grouping", "--data", str(tmp_path / "nothing*.jsonl.gz")])
    assert result.exit_code != 0 and "no Multi-News file matches" in result.output
