"""The online story index: articles join stories one at a time, and a story keeps its id.

:class:`StoryIndex` is what groups articles into stories everywhere (``storybrief brief``, the web
app, :func:`storybrief.stories.build_stories` and the corpus).  Articles are added one at a time,
in publication order when dates are known (:func:`order_for_index`); each joins the story it most
likely belongs to, or opens a new one.

**Signals.**  For every article the index works out, from what the analysis stage already has:

* its TF-IDF vector: stemmed content terms of the title (counted twice) and text, log-scaled term
  frequency times an IDF the index keeps *online* (document frequencies of everything added so
  far, smoothed with a prior so that the first articles of a pile are not all alike);
* its MiniLM vector: the mean of its sentence embeddings (:mod:`storybrief.analysis.embeddings`);
* its named entities (people, organisations, places, events...), weighted by their rarity in the
  index;
* its publication time, when known.

A story keeps the sum of its articles' unit TF-IDF vectors (its centroid), the sum of their MiniLM
vectors, how many of its articles name each entity, and the span of its publication times.

**Candidates** come from an inverted index: each story is listed under the most characteristic
terms of its articles, and an article is compared only with the stories listed under its own top
terms (the most recently listed first), and, when both have dates, only with stories that had an
article within :data:`TIME_WINDOW_DAYS`.  Nothing is ever compared with every story, and there is
no n x n matrix: the cost of an article depends on its candidates, not on the size of the index.

**Decision.**  For each candidate a small logistic model (``grouping_model.json`` beside this
module, fitted on pooled Multi-News *train* clusters by ``scripts/fit_grouping.py``) turns the
features of :func:`pair_features` and those of :mod:`storybrief.stories.relative` (how the
candidate stands among the article's other candidates: margins to the best of the others, rank,
z-score, how many candidates there are) into the probability that the article belongs to that story;
pairs where a side has no MiniLM vector (an analysis without embeddings) use the model's fallback
weights, fitted on the same pairs with the vectors taken away.  The article joins the most probable
candidate when that probability reaches ``Options.story_threshold`` (0.5: the fit shifts the bias
so that 0.5 is the best threshold on train), and opens a new story otherwise.

**Merging.**  After an article joins a story, that story is compared with the article's next
:data:`MERGE_CANDIDATES` candidates by a second logistic model over :data:`MERGE_FEATURES` (their
centroids' cosines and sizes); at ``merge_threshold`` or above, the two were one story split early
and are merged.  The fit turns merging on only when it gains F1 on train (``merge_threshold`` above
1 turns it off).

**Ids.**  A story's id is given when it is created and never recomputed: ``s-`` and the first 12
hex digits of the SHA-256 of its founding article's id.  Articles that join never change it, the
same input in the same order gives the same ids, and re-briefing a pile whose first article on a
story is the same gives that story the same id again.  When two stories merge, the older one (the
one created first) survives and the other id becomes an alias that :meth:`StoryIndex.resolve`
follows.

**Storage.**  :meth:`StoryIndex.save` writes what changed since the last save or load into tables
named ``story_index_*`` of a SQLite connection, without committing: the caller commits, so an
article and its story membership land in one transaction.  :meth:`StoryIndex.load` reads them
back.
"""

from __future__ import annotations

import heapq
import json
import math
import operator
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from itertools import repeat
from typing import cast

import numpy as np

from ..analysis import AnalyzedArticle
from ..analysis.embeddings import DIMS, unpack
from ..analysis.factterms import NEGATION, UNRESOLVED
from ..articles import hash_text
from ..config import Options
from ..errors import StoreError
from ..language import terms
from ..schema import from_data
from .index_store import (
    KEYS_HELD,
    SCHEMA,
    WORKING_SET,
    WORKING_SET_TERMS,
    Frequencies,
    StoryStore,
    _Story,
    upgrade_format_1,
)
from .relative import FEATURES, relative_features

# fmt: off
__all__ = [
    "FEATURES",
    "TIME_WINDOW_DAYS",
    "ArticleSignals",
    "GroupingModel",
    "StoryIndex",
    "article_signals",
    "load_model",
    "order_for_index",
    "pair_features",
]
# fmt: on

# Entity labels that name who or what a story is about (dates and numbers are left out).
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
# A dated article is compared only with stories that had an article within this many days of it.
TIME_WINDOW_DAYS = 7.0
# An article is listed (through its story) under this many of its heaviest terms ...
POSTED_TERMS = 20
# ... and looks its candidates up under this many of its own.
QUERY_TERMS = 40
# Per term, only the stories listed most recently are looked at: a term that many stories share
# says little about which one an article belongs to, and the scan stays bounded.
POSTING_SCAN = 300
# The best-scored stories from the inverted index that are compared in full.
CANDIDATES = 24
# A centroid that grows past MAX_TERMS terms keeps its KEEP_TERMS heaviest (big stories stay small).
MAX_TERMS = 3000
KEEP_TERMS = 2000
# Sentences of an article whose MiniLM vectors are pooled (the top of an article says what it is about).
POOLED_SENTS = 12
# The prior of the online IDF: every term counts as seen in PRIOR_DF of PRIOR_DOCS documents.
PRIOR_DOCS = 20.0
PRIOR_DF = 1.0
# The story size the model's size feature counts up to (see pair_features).
SIZE_CAP = 1000
MERGE_FEATURES = ("tfidf", "minilm", "tfidf_x_minilm", "log_min_size", "log_max_size")
# After an article joins a story, that story is checked for a merge with this many of the article's
# other candidates (the most probable first).
MERGE_CANDIDATES = 6
TERMS_TABLE, ENTITIES_TABLE = "story_index_terms", "story_index_entities"
FORMAT_VERSION = 2  # 2: stories as float64 bytes (index_store.py), read back when asked for
# base64 characters of one packed float16 vector row
ROW_CHARS = DIMS * 2 // 3 * 4


# --------------------------------------------------------------------------------------
# Ordering


def _timestamp(published: datetime | None) -> float | None:
    if published is None:
        return None
    if published.tzinfo is None:  # a date without a zone is read as UTC
        published = published.replace(tzinfo=UTC)
    return published.timestamp()


def order_for_index(items: Sequence[AnalyzedArticle]) -> list[AnalyzedArticle]:
    """The order in which a batch is added to an index.

    Dated articles are added in publication order (ties keep input order); articles without a
    date keep their input order.  In a batch where only some have dates, the dated ones are
    sorted among themselves into the positions dated articles held, so the undated ones stay
    where they were given.
    """
    items = list(items)
    dated = [i for i, item in enumerate(items) if item.article.published is not None]
    ordered = sorted(dated, key=lambda i: (_timestamp(items[i].article.published), i))
    out = list(items)
    for slot, i in zip(dated, ordered):
        out[slot] = items[i]
    return out


# --------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True, kw_only=True)
class GroupingModel:
    """A logistic model over :data:`FEATURES`: ``p = sigmoid(weights . features + bias)``.

    The feature names are stored with the weights (``grouping_model.json``, written by
    ``scripts/fit_grouping.py``) and must be this code's, so a model fitted on other features is refused.
    """

    features: tuple[str, ...] = FEATURES
    weights: tuple[float, ...]
    bias: float
    merge_threshold: float  # > 1 turns merging off
    merge_features: tuple[str, ...] = MERGE_FEATURES
    merge_weights: tuple[float, ...] = (0.0,) * 5  # over MERGE_FEATURES
    merge_bias: float = -10.0
    # for pairs where either side has no MiniLM vector (an analysis without embeddings): over FEATURES
    fallback_weights: tuple[float, ...] = (20.0,) + (0.0,) * (len(FEATURES) - 1)
    fallback_bias: float = -4.0
    trained_on: str = ""

    def __post_init__(self) -> None:
        if tuple(self.features) != FEATURES or tuple(self.merge_features) != MERGE_FEATURES:
            raise ValueError(
                f"model features {list(self.features)} {list(self.merge_features)} are not "
                f"{list(FEATURES)} {list(MERGE_FEATURES)}"
            )

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        z = features @ np.asarray(self.weights, dtype=np.float64) + self.bias
        no_vector = features[:, FEATURES.index("no_vector")] > 0
        if no_vector.any():
            fallback = features @ np.asarray(self.fallback_weights, dtype=np.float64) + self.fallback_bias
            z = np.where(no_vector, fallback, z)
        return 1.0 / (1.0 + np.exp(-z))

    def merge_probability(self, features: list[float]) -> float:
        z = sum(w * f for w, f in zip(self.merge_weights, features)) + self.merge_bias
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def load_model() -> GroupingModel:
    """The fitted model shipped with the package (``grouping_model.json``)."""
    text = resources.files(__package__).joinpath("grouping_model.json").read_text(encoding="utf-8")
    return from_data(GroupingModel, json.loads(text), where="grouping_model.json")


# --------------------------------------------------------------------------------------
# Per-article signals


@dataclass(frozen=True)
class ArticleSignals:
    """What the index reads off one article: term counts, pooled MiniLM vector, entities, time."""

    article_id: str
    term_counts: dict[str, float]
    vector: np.ndarray | None  # unit float32, or None without embeddings
    entities: frozenset[str]
    time: float | None  # POSIX seconds, or None without a date


def _entity_key(text: str) -> str:
    key = " ".join(text.lower().replace("’", "'").split())
    for prefix in ("the ",):
        key = key.removeprefix(prefix)
    return key.removesuffix("'s")


def _pooled_vector(packed: str, n_sents: int) -> np.ndarray | None:
    """The unit mean of the first :data:`POOLED_SENTS` sentence vectors (zero rows skipped), decoding
    only those rows of the packed record (one row is 1,024 base64 characters)."""
    if not packed:
        return None
    rows = unpack(packed[: min(n_sents, POOLED_SENTS) * ROW_CHARS])
    rows = rows[np.any(rows != 0, axis=1)]
    if not len(rows):
        return None
    pooled = rows.astype(np.float64).sum(axis=0)
    norm = float(np.linalg.norm(pooled))
    return (pooled / norm).astype(np.float32) if norm > 0 else None


def _term_counts(item: AnalyzedArticle) -> dict[str, float]:
    """The article's content terms with their counts: read off the fact terms the analysis stored for
    each sentence (terms inside an attribution frame count less), or worked out from the text."""
    counts: dict[str, float] = {}
    if item.analysis.fact_terms:
        for sent in item.analysis.fact_terms:
            for term, mass in zip(sent.sentence.keys, sent.sentence.mass):
                if term not in (NEGATION, UNRESOLVED):
                    counts[term] = counts.get(term, 0.0) + mass
    else:
        for term in terms(item.text):
            counts[term] = counts.get(term, 0.0) + 1.0
    return counts


def article_signals(item: AnalyzedArticle) -> ArticleSignals:
    """The signals of one article, worked out from its analysis record (nothing is kept on it)."""
    counts = _term_counts(item)
    for word in terms(item.article.title):  # the title counts twice
        counts[word] = counts.get(word, 0.0) + 2.0
    text = item.text
    entities = frozenset(
        key
        for ent in item.analysis.entities
        if ent.label in ENTITY_LABELS and len(key := _entity_key(text[ent.start : ent.end])) > 1
    )
    vector = _pooled_vector(item.analysis.vectors, len(item.analysis.sents))
    return ArticleSignals(item.id, counts, vector, entities, _timestamp(item.article.published))


# --------------------------------------------------------------------------------------
# Stories


def pair_features(*, tfidf: float, minilm: float | None, entities: float, size: int) -> list[float]:
    """The first features of an (article, story) pair, in :data:`FEATURES` order (the rest, relative
    to the article's other candidates, are added by :func:`~storybrief.stories.relative.relative_features`).

    ``tfidf`` and ``minilm`` are cosines with the story's centroids (``minilm`` is ``None`` when
    either side has no vector), ``entities`` the rarity-weighted share of the article's entities
    that the story names, ``size`` the story's article count."""
    m = 0.0 if minilm is None else minilm
    # the size counts up to SIZE_CAP, so that a very big story keeps taking the copies of its articles
    size_term = math.log(min(size, SIZE_CAP))
    # the features relative to the other candidates are added by relative_features
    return [tfidf, m, entities, size_term, tfidf * m, 1.0 if minilm is None else 0.0]


# --------------------------------------------------------------------------------------
# The index


class StoryIndex:
    """Online story grouping with stable ids (see the module docstring)."""

    def __init__(self, options: Options | None = None, *, model: GroupingModel | None = None) -> None:
        self.options = options or Options()
        self.model = model or load_model()  # another model: for fitting one
        self._store = StoryStore()  # the stories and memberships (in memory, or backed by SQLite: load)
        self._aliases: dict[str, str] = {}  # merged id -> the id it merged into
        self._members = 0  # articles added
        self._terms = Frequencies(TERMS_TABLE, ids=True)  # term -> its id and document frequency
        self._entities = Frequencies(ENTITIES_TABLE, ids=False)  # entity -> document frequency
        self._docs = 0
        self._next_seq = 0
        self._listings = 0  # how many listings were ever made (numbers them, so a reload keeps their order)
        # what changed since the last save/load
        self._new_members: list[tuple[str, str, int]] = []
        self._moved: list[tuple[str, str]] = []  # (from story, to story)
        self._new_aliases: list[tuple[str, str]] = []

    # ---- public API ------------------------------------------------------------------

    def __len__(self) -> int:
        return self._members

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self._store.joined(article_id) is not None

    def add(self, item: AnalyzedArticle) -> str:
        """Join ``item`` to the story it belongs to, or open a new story; returns the story's id.

        Adding an article that is already in the index (same article id) changes nothing."""
        if item.id in self:
            return self.story_of(item.id)
        signals = article_signals(item)
        weights = self._observe(signals)
        candidates = self._candidates(weights, signals)
        probs = self._probabilities(weights, signals, candidates)
        order = sorted(range(len(candidates)), key=lambda k: (-probs[k], candidates[k].seq))
        if order and probs[order[0]] >= self.options.story_threshold:
            story = candidates[order[0]]
            self._attach(story, signals, weights)
            if self.model.merge_threshold <= 1.0:
                for k in order[1 : 1 + MERGE_CANDIDATES]:
                    other = candidates[k]
                    if other is not story and self._store.is_live(other.id):
                        if (
                            self.model.merge_probability(self._story_features(story, other))
                            >= self.model.merge_threshold
                        ):
                            story = self._merge(story, other)
        else:
            story = self._open(signals, weights)
        self._store.trim()
        return story.id

    def _story_features(self, a: _Story, b: _Story) -> list[float]:
        """:data:`MERGE_FEATURES` of two stories: cosines of their TF-IDF and MiniLM centroids, sizes."""
        small, large = (a, b) if len(a.centroid) <= len(b.centroid) else (b, a)
        dot = sum(
            map(operator.mul, small.centroid.values(), map(large.centroid.get, small.centroid, repeat(0.0)))
        )
        tfidf = dot / math.sqrt(a.norm2 * b.norm2) if a.norm2 > 0 and b.norm2 > 0 else 0.0
        minilm = 0.0
        if a.vector is not None and b.vector is not None:
            norms = float(np.linalg.norm(a.vector) * np.linalg.norm(b.vector))
            minilm = float(a.vector @ b.vector) / norms if norms > 0 else 0.0
        sizes = sorted((a.size, b.size))
        return [tfidf, minilm, tfidf * minilm, math.log(sizes[0]), math.log(sizes[1])]

    def story_of(self, article_id: str) -> str:
        """The id of the (live) story that holds ``article_id``; ``KeyError`` if it was never added."""
        story_id = self._store.joined(article_id)
        if story_id is None:
            raise KeyError(article_id)
        return self.resolve(story_id)

    def resolve(self, story_id: str) -> str:
        """Follow merge aliases from ``story_id`` to the story that survives (a live id is itself)."""
        seen = 0
        while story_id in self._aliases:
            story_id = self._aliases[story_id]
            seen += 1
            if seen > len(self._aliases):
                raise StoreError(f"alias cycle at {story_id}", where="story index")
        return story_id

    def stories(self) -> dict[str, list[str]]:
        """Every live story's id and its article ids in the order they were added, oldest story first."""
        groups: dict[str, list[str]] = {}
        for article_id, story_id in self._store.memberships():
            groups.setdefault(self.resolve(story_id), []).append(article_id)
        seqs = self._store.seqs()
        return {story_id: groups[story_id] for story_id in sorted(groups, key=seqs.__getitem__)}

    # ---- signals -----------------------------------------------------------------------

    def _observe(self, signals: ArticleSignals) -> dict[int, float]:
        """Count the article in the document frequencies; its unit TF-IDF vector (term id -> weight)."""
        self._docs += 1
        weights: dict[int, float] = {}
        log_docs, log = math.log(self._docs + PRIOR_DOCS), math.log
        counts = signals.term_counts
        for (tid, df), count in zip(self._terms.count(counts), counts.values()):
            tf = 1.0 + log(count) if count >= 1.0 else count  # a term seen only in frames weighs less
            weights[tid] = tf * (log_docs - log(df + PRIOR_DF) + 1.0)  # the online IDF
        self._entities.count(signals.entities)
        norm = math.sqrt(sum(w * w for w in weights.values()))
        if norm > 0:
            weights = {tid: w / norm for tid, w in weights.items()}
        return weights

    @staticmethod
    def _top_terms(weights: dict[int, float], n: int) -> list[int]:
        """The ``n`` heaviest terms (ties: in the article's order, so the choice is deterministic)."""
        return sorted(weights, key=weights.__getitem__, reverse=True)[:n]

    # ---- candidates and decision ---------------------------------------------------------

    def _candidates(self, weights: dict[int, float], signals: ArticleSignals) -> list[_Story]:
        """The stories listed under the article's heaviest terms, best scored first (at most
        :data:`CANDIDATES`), within the time window when dates are known."""
        scores: dict[int, float] = {}
        for tid in self._top_terms(weights, QUERY_TERMS):
            posting = self._store.posting(tid, POSTING_SCAN)
            if not posting:
                continue
            w = weights[tid]
            for seq in posting:
                scores[seq] = scores.get(seq, 0.0) + w
        found = []
        window = TIME_WINDOW_DAYS * 86400.0
        for seq in heapq.nlargest(CANDIDATES * 2, scores, key=scores.__getitem__):  # ties: first listed first
            story = self._store.story(seq)
            if story is None:  # merged away
                continue
            if signals.time is not None and story.first is not None and story.last is not None:
                if signals.time < story.first - window or signals.time > story.last + window:
                    continue
            found.append(story)
            if len(found) == CANDIDATES:
                break
        return found

    def _features(
        self, weights: dict[int, float], signals: ArticleSignals, stories: list[_Story]
    ) -> np.ndarray:
        rows = []
        ent_weight = {key: self._entity_idf(key) for key in signals.entities}
        ent_total = sum(ent_weight.values())
        tids, tweights = list(weights), list(weights.values())
        cosines: list[float | None] = [None] * len(stories)
        with_vector = [k for k, story in enumerate(stories) if story.vector is not None]
        if signals.vector is not None and with_vector:
            matrix = np.stack([cast(np.ndarray, stories[k].vector) for k in with_vector])
            norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
            dots = matrix @ signals.vector.astype(np.float64)
            for k, dot, norm in zip(with_vector, dots.tolist(), norms.tolist()):
                cosines[k] = dot / norm if norm > 0 else None
        for story, minilm in zip(stories, cosines):
            dot = sum(map(operator.mul, tweights, map(story.centroid.get, tids, repeat(0.0))))
            tfidf = dot / math.sqrt(story.norm2) if story.norm2 > 0 else 0.0
            shared = sum(w for key, w in ent_weight.items() if key in story.entities)
            entities = shared / ent_total if ent_total > 0 else 0.0
            rows.append(pair_features(tfidf=tfidf, minilm=minilm, entities=entities, size=story.size))
        pair_rows = np.asarray(rows, dtype=np.float64).reshape(len(stories), -1)
        return relative_features(pair_rows, n_terms=len(weights), pool=CANDIDATES)

    def _entity_idf(self, key: str) -> float:
        return math.log((self._docs + PRIOR_DOCS) / (self._entities.df(key) + PRIOR_DF))

    def _probabilities(
        self, weights: dict[int, float], signals: ArticleSignals, stories: list[_Story]
    ) -> list[float]:
        if not stories:
            return []
        probabilities: list[float] = self.model.probabilities(
            self._features(weights, signals, stories)
        ).tolist()
        return probabilities

    # ---- changes -------------------------------------------------------------------------

    def _open(self, signals: ArticleSignals, weights: dict[int, float]) -> _Story:
        story_id = "s-" + hash_text(signals.article_id)[:12]
        while self._store.is_live(story_id) or story_id in self._aliases:  # a hash collision: stay unique
            story_id = "s-" + hash_text(story_id)[:12]
        story = _Story(id=story_id, seq=self._next_seq)
        self._next_seq += 1
        self._store.add(story)
        self._attach(story, signals, weights)
        return story

    def _attach(self, story: _Story, signals: ArticleSignals, weights: dict[int, float]) -> None:
        centroid = story.centroid
        dot = 0.0
        for tid, w in weights.items():
            old = centroid.get(tid, 0.0)
            dot += w * old
            centroid[tid] = old + w
        story.norm2 += 2.0 * dot + sum(w * w for w in weights.values())
        if len(centroid) > MAX_TERMS:
            self._prune(story)
        if signals.vector is not None:
            v = signals.vector.astype(np.float64)
            story.vector = v if story.vector is None else story.vector + v
            story.n_vectors += 1
        for key in signals.entities:
            story.entities[key] = story.entities.get(key, 0) + 1
        if signals.time is not None:
            story.first = signals.time if story.first is None else min(story.first, signals.time)
            story.last = signals.time if story.last is None else max(story.last, signals.time)
        for tid in self._top_terms(weights, POSTED_TERMS):
            if tid not in story.posted:
                self._list(story, tid)
        position = self._members
        self._members += 1
        story.size += 1
        if self._store.db is None:
            story.members.append(signals.article_id)
        self._store.join(signals.article_id, story.id)
        self._new_members.append((signals.article_id, story.id, position))
        self._store.touch(story)

    def _list(self, story: _Story, tid: int) -> None:
        story.posted[tid] = self._listings
        self._listings += 1
        self._store.list(tid, story.seq)

    def _prune(self, story: _Story) -> None:
        keep = heapq.nsmallest(KEEP_TERMS, story.centroid, key=lambda tid: (-story.centroid[tid], tid))
        story.centroid = {tid: story.centroid[tid] for tid in keep}
        story.norm2 = sum(w * w for w in story.centroid.values())

    def _merge(self, a: _Story, b: _Story) -> _Story:
        """Merge two stories into the older one; the younger id becomes an alias of it."""
        keep, gone = (a, b) if a.seq < b.seq else (b, a)
        dot = sum(w * keep.centroid.get(tid, 0.0) for tid, w in gone.centroid.items())
        for tid, w in gone.centroid.items():
            keep.centroid[tid] = keep.centroid.get(tid, 0.0) + w
        keep.norm2 += 2.0 * dot + gone.norm2
        if len(keep.centroid) > MAX_TERMS:
            self._prune(keep)
        if gone.vector is not None:
            keep.vector = gone.vector.copy() if keep.vector is None else keep.vector + gone.vector
            keep.n_vectors += gone.n_vectors
        for key, n in gone.entities.items():
            keep.entities[key] = keep.entities.get(key, 0) + n
        for attr, pick in (("first", min), ("last", max)):
            values = [v for v in (getattr(keep, attr), getattr(gone, attr)) if v is not None]
            setattr(keep, attr, pick(values) if values else None)
        for tid in sorted(gone.posted):
            self._store.unlist(tid, gone.seq, gone.posted[tid])
            if tid not in keep.posted:
                self._list(keep, tid)
        keep.size += gone.size
        keep.members.extend(gone.members)
        self._store.drop(gone)
        self._aliases[gone.id] = keep.id
        self._new_aliases.append((gone.id, keep.id))
        self._moved.append((gone.id, keep.id))
        self._store.touch(keep)
        return keep

    # ---- storage -------------------------------------------------------------------------

    def save(self, db: sqlite3.Connection) -> None:
        """Write what changed since the last save or load into the ``story_index_*`` tables.

        Does not commit: the caller commits, so an article and its story membership are stored
        in one transaction."""
        try:
            for statement in SCHEMA:
                db.execute(statement)
            meta = {
                "format": FORMAT_VERSION,
                "docs": self._docs,
                "next_seq": self._next_seq,
                "listings": self._listings,
                "members": self._members,
            }
            db.executemany(
                "INSERT INTO story_index_meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [(k, json.dumps(v)) for k, v in meta.items()],
            )
            self._terms.save(db)
            self._entities.save(db)
            db.executemany(
                "INSERT INTO story_index_members (article_id, story_id, position) VALUES (?, ?, ?)",
                self._new_members,
            )
            for gone, keep in self._moved:
                db.execute("UPDATE story_index_members SET story_id = ? WHERE story_id = ?", (keep, gone))
            db.executemany(
                "INSERT INTO story_index_aliases (alias, story_id) VALUES (?, ?)"
                " ON CONFLICT (alias) DO UPDATE SET story_id = excluded.story_id",
                self._new_aliases,
            )
            dropped, changed, listed, unlisted = self._store.changes()
            db.executemany("DELETE FROM story_index_states WHERE id = ?", [(i,) for i in dropped])
            db.executemany("INSERT INTO story_index_postings (term, listing, seq) VALUES (?, ?, ?)", listed)
            db.executemany("DELETE FROM story_index_postings WHERE term = ? AND listing = ?", unlisted)
            db.executemany(
                f"INSERT OR REPLACE INTO story_index_states VALUES ({','.join('?' * 12)})", changed
            )
        except sqlite3.Error as e:
            raise StoreError(f"cannot save the story index: {e}", where="story index") from e
        self._clear_changes()

    def _clear_changes(self) -> None:
        self._store.saved(self._listings)
        self._new_members.clear()
        self._moved.clear()
        self._new_aliases.clear()
        self._terms.saved()
        self._entities.saved()

    @classmethod
    def load(
        cls,
        db: sqlite3.Connection,
        options: Options | None = None,
        *,
        backed: bool = False,
        working_set: int | None = WORKING_SET,
        working_set_terms: int = WORKING_SET_TERMS,
        keys_held: int | None = KEYS_HELD,
    ) -> StoryIndex:
        """The index saved in ``db`` (an empty index when nothing was saved there yet).

        By default it is read whole into memory and needs ``db`` no more.  With ``backed`` (a long
        ingest), its stories and memberships stay in ``db`` and are read when asked for, with no
        more than ``working_set`` saved stories held (``None``: no limit), and no more than
        ``working_set_terms`` centroid terms in those stories together, and likewise its terms and
        entities, with no more than ``keys_held`` saved ones of each held: it is then saved into
        ``db`` only, and used while ``db`` is open, on its thread."""
        index = cls(options)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            stored = "story_index_meta" in tables
            index._store = StoryStore(db, cap=working_set, term_cap=working_set_terms, stored=stored)
            if stored:
                index._read_saved(db)
            if stored and not backed:
                index._store = StoryStore.read_whole(db)
                index._terms = Frequencies.read_whole(TERMS_TABLE, ids=True, db=db)
                index._entities = Frequencies.read_whole(ENTITIES_TABLE, ids=False, db=db)
            else:
                index._terms = Frequencies(TERMS_TABLE, ids=True, db=db, cap=keys_held, stored=stored)
                index._entities = Frequencies(ENTITIES_TABLE, ids=False, db=db, cap=keys_held, stored=stored)
            index._store.saved_listings = index._listings
        except (sqlite3.Error, KeyError, ValueError, TypeError) as e:
            raise StoreError(f"cannot load the story index: {e!r}", where="story index") from e
        return index

    def _read_saved(self, db: sqlite3.Connection) -> None:
        meta = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM story_index_meta")}
        if meta.get("format") == 1:  # saved by an earlier storybrief: rewritten in place
            upgrade_format_1(db)
            meta = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM story_index_meta")}
        if meta.get("format") != FORMAT_VERSION:
            raise StoreError(
                f"story index format {meta.get('format')} is not {FORMAT_VERSION}",
                where="story index",
                hint="the index was written by another storybrief version: ingest into a new --db",
            )
        self._docs = int(meta["docs"])
        self._next_seq = int(meta["next_seq"])
        self._listings = int(meta["listings"])
        self._members = int(meta["members"])
        self._aliases = dict(db.execute("SELECT alias, story_id FROM story_index_aliases"))


def add_all(index: StoryIndex, items: Iterable[AnalyzedArticle]) -> list[str]:
    """Add ``items`` in :func:`order_for_index` order; the story id of each, in input order."""
    items = list(items)
    for item in order_for_index(items):
        index.add(item)
    return [index.story_of(item.id) for item in items]
