"""The story index backed by the corpus's SQLite file holds a bounded working set of stories, terms
and entities, and groups exactly as the index held whole in memory: the same story ids, the same
aliases, the same members, the same term ids and document frequencies, whatever the working set's
size, across saves and reloads."""

from __future__ import annotations

import json
import random
import sqlite3

import numpy as np
from test_story_index import A_TEXT, B_TEXT, FIRE, LONE, VOTE, _merging_index, synthetic

from storybrief.analysis import AnalyzedArticle, analyze_articles
from storybrief.config import Options
from storybrief.stories import StoryIndex
from storybrief.stories.index_store import StoryStore, _Story


def _synthetic_pile() -> list[AnalyzedArticle]:
    """Stories that grow, two stories that a bridging article merges, and lone articles, interleaved."""
    texts = [f"{t} {w}" for t in FIRE + VOTE for w in ("dawn", "noon", "dusk")]
    texts += [LONE, LONE.replace("purple", "amber")]
    others = [synthetic(text, id=f"item-{i}") for i, text in enumerate(texts)]
    random.Random(12).shuffle(others)
    merging = [f"{A_TEXT} {i}" for i in range(2)] + [B_TEXT, A_TEXT + " " + B_TEXT]
    merging += [f"{B_TEXT} strawberry {i}" for i in range(3)]
    items = []
    for i, text in enumerate(merging):  # in this order, with the others between them
        items += [synthetic(text, id=f"ab-{i}"), *others[2 * i : 2 * i + 2]]
    return items + others[2 * len(merging) :]


def _backed_run(
    items: list[AnalyzedArticle],
    db: sqlite3.Connection,
    *,
    working_set: int | None,
    every: int,
    merging: bool,
    terms_held: int = 10**9,
) -> tuple[StoryIndex, list[str], int]:
    """Add ``items`` to an index backed by ``db``, saving and committing every ``every`` articles (as
    ingest does), checking after each save that no more than ``working_set`` stories (with no more
    than ``terms_held`` centroid terms together), terms and entities are held, and loading the index again from ``db`` halfway (a second run on the same
    corpus).  The reads counted are of stories and of terms."""

    def load() -> StoryIndex:
        return StoryIndex.load(
            db, backed=True, working_set=working_set, working_set_terms=terms_held, keys_held=working_set
        )

    index = load()
    model = _merging_index().model if merging else index.model
    index.model = model
    ids, most, reads = [], 0, 0
    for start in range(0, len(items), every):
        if start == len(items) // every // 2 * every:  # a new run picks the corpus up here
            reads += index._store.reads + index._terms.reads
            index = load()
            index.model = model
        for item in items[start : start + every]:
            ids.append(index.add(item))
        index.save(db)
        db.commit()
        most = max(most, index._store.held())
        if working_set is not None:
            assert index._store.held() <= working_set and index._store.held_terms() <= terms_held
            assert index._terms.held() <= working_set and index._entities.held() <= working_set
    return index, ids, reads + index._store.reads + index._terms.reads


def _frequencies(index: StoryIndex) -> tuple[dict, dict]:
    """Every term's (id, document frequency) and every entity's document frequency, as saved."""
    return dict(index._terms._held), {k: v[1] for k, v in index._entities._held.items()}


def test_a_tiny_working_set_groups_exactly_as_the_index_held_in_memory():
    items = _synthetic_pile()
    whole = _merging_index()
    expected = [whole.add(item) for item in items]
    assert whole._aliases  # the pile merges stories, so aliases are checked too
    for working_set, terms_held in ((1, 10**9), (3, 10**9), (None, 10**9), (1000, 10)):
        db = sqlite3.connect(":memory:")
        index, ids, reads = _backed_run(
            items, db, working_set=working_set, terms_held=terms_held, every=4, merging=True
        )
        assert ids == expected
        assert index.stories() == whole.stories()
        assert index._aliases == whole._aliases
        assert [index.story_of(i.id) for i in items] == [whole.story_of(i.id) for i in items]
        # the candidates come in the same order
        assert {t: list(index._store.posting(t, 10**6)) for t in whole._store.postings} == {
            t: list(p) for t, p in whole._store.postings.items()
        }
        if working_set == 1 or terms_held == 10:
            assert reads > 0  # stories and terms were let go and read back from the database
            assert index._terms.reads > 0
        # what a reader loads whole from the database is the same index, with the same term ids
        # and document frequencies (from which every TF-IDF weight follows)
        read_back = StoryIndex.load(db)
        assert read_back.stories() == whole.stories()
        assert _frequencies(read_back) == _frequencies(whole)
        assert read_back._terms.next_id == whole._terms.next_id == len(whole._terms._held)


def test_real_articles_with_vectors_and_entities_group_alike_with_a_working_set_of_one():
    """Real analyses (spaCy entities, MiniLM vectors) through the shipped model: the stories read
    back from SQLite carry their float64 sums exactly, so every decision is the same."""
    from conftest import EXAMPLE, shared_path

    from storybrief.sources import read_sources
    from storybrief.sources.multinews import iter_clusters

    options = Options()
    read = read_sources([EXAMPLE / "articles"], options=options)
    val = []
    for cluster in iter_clusters(shared_path("data", "multinews", "val.00.jsonl.gz")):
        val.extend(a for i, a in enumerate(cluster.articles) if i not in cluster.irrelevant)
        if len(val) >= 40:
            break
    pile = list(read.articles) + val[:40]
    random.Random(5).shuffle(pile)
    items = analyze_articles(pile, options=options)
    assert sum(bool(i.analysis.vectors) for i in items) == len(items)
    whole = StoryIndex(options)
    expected = [whole.add(item) for item in items]
    assert len(set(expected)) < len(items)  # some articles joined stories
    db = sqlite3.connect(":memory:")
    index, ids, reads = _backed_run(items, db, working_set=1, every=5, merging=False)
    assert ids == expected and index.stories() == whole.stories() and reads > 0
    assert index._entities.reads > 0  # entities were let go and read back too
    assert _frequencies(StoryIndex.load(db)) == _frequencies(whole)


def test_a_story_row_round_trips_exactly():
    rng = np.random.default_rng(3)
    story = _Story(
        id="s-0123456789ab",
        seq=7,
        size=3,
        centroid={int(t): float(w) for t, w in zip(rng.permutation(5000)[:300], rng.random(300) / 3)},
        norm2=float(rng.random()) * 1e-3 + 1 / 3,
        vector=rng.standard_normal(384),
        n_vectors=3,
        entities={"kellhaven": 2, "eastgate grain warehouse": 1},
        first=1741766400.123456789,
        last=None,
        posted={42: 1000, 7: 3},
    )
    back = _Story.from_row(story.to_row())
    assert back == _Story(**{**story.__dict__, "vector": back.vector})
    assert back.vector is not None and back.vector.tobytes() == story.vector.tobytes()  # type: ignore[union-attr]
    assert list(back.centroid) == list(story.centroid)  # in its own order: sums add up alike


def test_changed_stories_are_held_until_saved_and_then_let_go():
    db = sqlite3.connect(":memory:")
    index = StoryIndex.load(db, backed=True, working_set=1)
    for i, text in enumerate(FIRE + VOTE + [LONE]):
        index.add(synthetic(text, id=f"a{i}"))
    assert index._store.held() == len(index.stories()) == 3  # nothing saved yet: all held
    index.save(db)
    db.commit()
    assert index._store.held() == 1
    store: StoryStore = index._store
    assert store.reads == 0
    index.add(synthetic(FIRE[0] + " again", id="again"))  # the fire story is read back to join it
    assert store.reads >= 1 and index.story_of("again") == index.story_of("a0")


def _as_format_1(db: sqlite3.Connection) -> None:
    """Turn a saved index back into format 1, as storybrief wrote it before format 2: each story one
    JSON state (term ids sorted), no postings table, no member count."""
    db.execute(
        "CREATE TABLE story_index_stories (id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, state TEXT NOT NULL)"
    )
    for row in db.execute("SELECT * FROM story_index_states").fetchall():
        story = _Story.from_row(row)
        ids = sorted(story.centroid)
        state = {
            "t": ids,
            "w": [story.centroid[i] for i in ids],
            "n2": story.norm2,
            "v": None if story.vector is None else story.vector.tolist(),
            "nv": story.n_vectors,
            "e": story.entities,
            "f": story.first,
            "l": story.last,
            "p": sorted(story.posted.items()),
        }
        db.execute(
            "INSERT INTO story_index_stories VALUES (?, ?, ?)", (story.id, story.seq, json.dumps(state))
        )
    db.execute("DROP TABLE story_index_states")
    db.execute("DROP TABLE story_index_postings")
    db.execute("DELETE FROM story_index_meta WHERE key = 'members'")
    db.execute("UPDATE story_index_meta SET value = '1' WHERE key = 'format'")
    db.commit()


def test_a_corpus_indexed_by_an_earlier_storybrief_keeps_its_story_ids():
    items = _synthetic_pile()
    half = len(items) // 2
    whole = _merging_index()
    expected = [whole.add(item) for item in items]
    db = sqlite3.connect(":memory:")
    first = StoryIndex.load(db, backed=True)
    first.model = whole.model
    for item in items[:half]:
        first.add(item)
    first.save(db)
    db.commit()
    _as_format_1(db)
    upgraded = StoryIndex.load(db, backed=True)
    upgraded.model = whole.model
    later = [upgraded.add(item) for item in items[half:]]
    upgraded.save(db)
    db.commit()
    assert later == expected[half:]
    assert [upgraded.story_of(item.id) for item in items] == [whole.story_of(item.id) for item in items]
    assert StoryIndex.load(db).stories() == whole.stories()
