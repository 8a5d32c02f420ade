"""Cross-article fact groups: the heart of storybrief.

Sentences from different outlets that report the same thing are grouped.

**Similarity.**  Two signals must agree:

* *MiniLM sentence embeddings* (all-MiniLM-L6-v2, computed per article in the analysis stage and
  cached with it, see :mod:`storybrief.analysis.embeddings`): the cosine of two sentences sees
  paraphrases ("No one was injured" ~ "Nobody was hurt") but also rates sentences on one topic
  high whatever they say.
* *Term overlap*: each sentence's content terms (worked out once in the analysis stage and cached,
  see :mod:`storybrief.analysis.factterms`; stems, TF-IDF weighted with IDF over the story's
  own sentences, so topic words weigh little and names, numbers and rare words a lot) and the
  weighted share of them the other sentence has, both ways, combined by harmonic mean.  A
  negated statement carries a :data:`NEGATION` term, so "No one was injured" and "Nobody was
  hurt" share it and "Two people were injured" does not; one that says something is not known
  yet carries :data:`UNRESOLVED` ("not yet known" / "being investigated" / "yet to establish").
  Words of time expressions (weekdays, "early hours", "night") weigh :data:`TIME_WEIGHT`.
* *Main clauses* (:func:`~storybrief.analysis.frames.main_clause`): the overlap is the lower of
  the whole sentences' and their main clauses' (asides dropped: non-restrictive relative clauses,
  an appositive after a short subject, brackets), and the main clauses must share a term that is
  not a (capitalised) name nor inside an attribution frame: sentences that share only background
  ("The warehouse, a cold store leased by Threlfall Seafoods, held 2,000 tonnes of fish" /
  "Threlfall Seafoods, which leased the building as a cold store, has promised to keep paying its
  staff") or only who they are about do not state the same fact.

The fact similarity is their weighted geometric mean (cosine weight ``Options.facts.cosine_weight``) (:func:`sentence_similarities`): a paraphrase needs
some shared specific term and a high cosine; shared words on one topic need the embedding's
agreement.  A sentence without a vector (too short to be embedded, or a hand-built analysis)
falls back to the overlap alone.  Compound sentences are also compared clause by clause (pass 3
below), their clauses taking the term overlap of the clause and the sentence's vector.
* *Attribution frames.*  "Helena Marrick, chief fire officer of ..., said",
  "the fire service confirmed", "he told Radio Kellhaven:" say who speaks, not
  what happened.  Their terms weigh :data:`FRAME_WEIGHT`, so two different
  statements by one person no longer look alike because of the long title
  they share.

**Grouping** is greedy average-link over cross-outlet pairs, strongest first.
An outlet counts once in a group: the same outlet saying a thing twice is not two
confirmations.  It may say it twice (an article's lead and a later paragraph): two
groups that each hold a sentence of one outlet merge only when those sentences match
each other too, and the later one restates the first (it belongs to the group without
being a member).  Two different things an outlet says never make one fact because
other outlets match each.  Nor does a group hold two
sentences that conflict (:class:`~storybrief.stories.conflicts.Conflicts`:
"Around 60 firefighters" / "Some 45 firefighters", different dates or named
actors for one event): a sentence that says something else is not a
confirmation.  Such pairs, alike enough to be one fact otherwise, are kept on
the groups as :attr:`~storybrief.stories.model.FactGroup.disputes`.  Syndicated copies are
left out entirely; their support is their original's.  When an outlet states
a fact in two of its articles, the group keeps its first report (earliest
article), so coverage dates say when the outlet first had it.

Everything is float64 over a sorted vocabulary: groups near the threshold do
not depend on hash seeds or input order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise

import numpy as np

from ..analysis.factterms import (
    FRAME_WEIGHT,
    TIME_WEIGHT,
    UNRESOLVED,
    SentenceTerms,
    TermProfile,
    sentence_terms,
    term_profile,
    weighted_terms,
)
from ..analysis.frames import MIN_CLAUSE_WORDS, attribution_frames, clauses
from ..config import FactOptions, Options
from ..language import sentence_vectors, terms
from .model import FactGroup, SentPairs, SentRef, Story

# fmt: off
__all__ = [
    "FACT_THRESHOLD",
    "FRAME_WEIGHT",
    "LEXICAL_THRESHOLD",
    "MIN_CLAUSE_WORDS",
    "TIME_WEIGHT",
    "UNRESOLVED",
    "attribution_frames",
    "clauses",
    "group_facts",
    "profile_overlap",
    "sentence_similarities",
    "sentence_vectors",
    "story_embeddings",
    "story_terms",
    "term_overlap",
    "weighted_terms",
]
# fmt: on

# The most cells of a similarity block worked out at once (8 bytes each, several temporaries).
BLOCK_CELLS = 1 << 19
# Pairs whose similarity reaches this state the same fact; below it they share only the topic
# (the default of Options.facts.min_similarity, which a run uses).
FACT_THRESHOLD = FactOptions().min_similarity
# The threshold of the old lexical grouping (TF-IDF cosine), kept as the evaluation baseline.
LEXICAL_THRESHOLD = 0.38


# --------------------------------------------------------------------------------------
# Similarity


def _tfidf(
    rows: list[tuple[tuple[str, ...], tuple[float, ...]]], n_docs: int
) -> tuple[_Rows, dict[str, int]]:
    """TF-IDF rows (not normalised) of ``rows`` = (sorted unique terms, their weight mass) over
    their sorted vocabulary, and the vocabulary's column of each term.  Document frequencies come
    from the first ``n_docs`` rows only (the story's sentences), so that extra rows (clauses,
    main clauses) are weighed on the story's own scale."""
    keys = [t for k, _ in rows for t in k]
    column = {t: i for i, t in enumerate(sorted(set(keys)))}
    col = np.fromiter(map(column.__getitem__, keys), dtype=np.int64, count=len(keys))
    mass = np.fromiter((m for _, ms in rows for m in ms), dtype=np.float64, count=len(keys))
    lengths = [len(k) for k, _ in rows]
    first = sum(lengths[:n_docs])
    df = np.bincount(col[:first], minlength=len(column))  # terms are unique within a row
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0
    # log-scaled tf on the (possibly fractional) mass: 1 occurrence -> 1, frame-only -> its weight
    tf = np.where(mass >= 1.0, 1.0 + np.log(np.maximum(mass, 1.0)), mass)
    weights = tf * idf[col]
    if (weights <= 0).any():  # a term without weight is not had (it would not count in the overlap)
        kept = weights > 0
        lengths = np.bincount(np.repeat(np.arange(len(rows)), lengths)[kept], minlength=len(rows)).tolist()
        col, weights = col[kept], weights[kept]
    return _Rows(lengths, col, weights), column


class _Rows:
    """Sparse rows: each row's terms (columns of a sorted vocabulary, ascending) and weights."""

    def __init__(self, lengths: Sequence[int] | np.ndarray, terms: np.ndarray, weights: np.ndarray) -> None:
        self.start = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
        self.terms = terms
        self.weights = weights
        row = np.repeat(np.arange(len(lengths)), lengths)
        # each row's weight mass, summed in term order
        self.mass = np.bincount(row, weights=weights, minlength=len(lengths))
        self.mass[self.mass == 0] = 1.0

    def take(self, rows: np.ndarray) -> _Rows:
        local, at = self._entries(rows)
        return _Rows(np.bincount(local, minlength=len(rows)), self.terms[at], self.weights[at])

    def _entries(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The entries of ``rows``, row by row: (position in ``rows``, index into the entries)."""
        starts = self.start[rows]
        lengths = self.start[rows + 1] - starts
        local = np.repeat(np.arange(len(rows)), lengths)
        return local, np.arange(len(local)) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)

    def matches(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every term a pair of ``rows`` x ``cols`` shares, found through an inverted index over
        the columns' terms: (cell of the pair in the flattened block, entry of the row, entry of
        the column).  They come row by row, each row's terms in vocabulary order, so a sum over
        a cell's matches runs in one order whatever block it is computed in."""
        r_local, r_at = self._entries(rows)
        c_local, c_at = self._entries(cols)
        by_term = np.argsort(self.terms[c_at], kind="stable")
        c_local, c_at = c_local[by_term], c_at[by_term]
        c_terms, r_terms = self.terms[c_at], self.terms[r_at]
        lo = np.searchsorted(c_terms, r_terms, "left")
        count = np.searchsorted(c_terms, r_terms, "right") - lo
        match = np.repeat(lo - (np.cumsum(count) - count), count) + np.arange(int(count.sum()))
        return np.repeat(r_local * len(cols), count) + c_local[match], np.repeat(r_at, count), c_at[match]

    def overlap(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The harmonic term overlap of ``rows`` x ``cols``: the weighted share of A's terms that B
        has, and of B's that A has, combined by harmonic mean."""
        cell, r_at, c_at = self.matches(rows, cols)
        shape, size = (len(rows), len(cols)), len(rows) * len(cols)
        # the share of the row's terms that the column has, and of the column's that the row has
        a = np.bincount(cell, self.weights[r_at], size).reshape(shape) / self.mass[rows, None]
        b = np.bincount(cell, self.weights[c_at], size).reshape(shape) / self.mass[None, cols]
        both = a * b
        total = a + b
        sims = np.divide(2.0 * both, total, out=np.zeros_like(both), where=total > 0)
        return np.clip(np.round(sims, 12), 0.0, 1.0)


class FactSimilarity:
    """Pairwise fact similarity of texts (a story's sentences, then clauses), block by block.

    The similarity (see :func:`sentence_similarities`) is worked out only for the blocks of rows
    and columns asked for, from sparse term rows and the embedding rows: a story of 300 articles
    has some 10,000 texts, whose full matrix (and its temporaries) would take gigabytes.  A
    value is the same whichever block it is computed in, so grouping does not depend on the
    block size.  ``profiles``: the texts' :class:`TermProfile`, the first ``n_docs`` of them the
    sentences (they alone count in the document frequencies); ``embeddings``: one unit row per
    text (a zero row, or no matrix at all, leaves the overlap alone).
    """

    def __init__(
        self,
        profiles: list[TermProfile],
        n_docs: int,
        embeddings: np.ndarray | None = None,
        cosine_weight: float = FactOptions().cosine_weight,
    ) -> None:
        self.cosine_weight = cosine_weight
        n = self.size = len(profiles)
        changed = [k for k, p in enumerate(profiles) if p.main_keys is not None]
        # main-clause rows go after the others so that they do not count in the document frequencies
        rows = [(p.keys, p.mass) for p in profiles] + [
            (profiles[k].main_keys or (), profiles[k].main_mass or ()) for k in changed
        ]
        x, column = _tfidf(rows, n_docs)
        self._sides = [x.take(np.arange(n))]
        if changed:
            # the overlap is also compared on each text's main clause: the lower of the two counts
            main = np.arange(n)
            main[changed] = np.arange(n, n + len(changed))
            self._sides.append(x.take(main))
        # The predicate gate: the main clauses must share a term that is neither a name nor part of
        # an attribution frame (a verb, a common noun, a number, the negation).  "The cold store was
        # run by Threlfall Seafoods" and "Threlfall Seafoods has promised to keep paying its staff"
        # share only the company: they say different things about it.
        predicate = [sorted(column[t] for t in p.predicate) for p in profiles]
        self._predicate = _Rows(
            [len(t) for t in predicate],
            np.fromiter((c for t in predicate for c in t), dtype=np.int64),
            np.ones(sum(map(len, predicate))),
        )
        self._vectors = None if embeddings is None else np.asarray(embeddings, dtype=np.float64)
        if self._vectors is not None:
            self._has_vector = np.linalg.norm(self._vectors, axis=1) > 0.5

    def block(self, rows: Sequence[int] | np.ndarray, cols: Sequence[int] | np.ndarray) -> np.ndarray:
        """The similarity of ``rows`` x ``cols`` (a dense float64 block)."""
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        overlap = self._sides[0].overlap(rows, cols)
        for side in self._sides[1:]:
            overlap = np.minimum(overlap, side.overlap(rows, cols))
        cell = self._predicate.matches(rows, cols)[0]
        shared = np.bincount(cell, minlength=len(rows) * len(cols)).reshape(len(rows), len(cols)) > 0
        overlap = np.where(shared, overlap, 0.0)
        if self._vectors is None:
            return overlap
        cos = np.clip(np.round(self._vectors[rows] @ self._vectors[cols].T, 6), 0.0, 1.0)
        both = self._has_vector[rows, None] & self._has_vector[None, cols]
        sims = np.where(both, overlap ** (1.0 - self.cosine_weight) * cos**self.cosine_weight, overlap)
        return np.clip(np.round(sims, 12), 0.0, 1.0)

    def full(self) -> np.ndarray:
        """The whole matrix (for a few texts)."""
        every = np.arange(self.size)
        return self.block(every, every)

    def pairs(
        self, n: int, threshold: float, outlets: list[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The pairs ``i < j < n`` of different outlets whose similarity reaches ``threshold``:
        (i, j, similarity), computed block by block (at most :data:`BLOCK_CELLS` cells at once)."""
        codes = _outlet_codes(outlets)
        found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        start = 0
        while start < n:
            stop = min(n, start + max(1, BLOCK_CELLS // max(n - start, 1)))
            rows, cols = np.arange(start, stop), np.arange(start, n)
            sims = self.block(rows, cols)
            keep = (sims >= threshold) & (cols[None, :] > rows[:, None])
            keep &= codes[rows, None] != codes[None, cols]
            i, j = np.nonzero(keep)
            # int32: a big story has millions of pairs
            found.append((rows[i].astype(np.int32), cols[j].astype(np.int32), sims[i, j]))
            start = stop
        return tuple(np.concatenate(parts) for parts in zip(*found))  # type: ignore[return-value]


def term_overlap(texts: list[str], *, extra: list[str] | None = None) -> np.ndarray:
    """Pairwise term overlap (n x n, symmetric, in [0, 1]): the TF-IDF-weighted share of A's terms
    that B has, and of B's that A has, combined by harmonic mean, so a short sentence inside a
    long one scores well only if the long one has little else to say.  ``extra`` texts (clauses)
    get rows and columns after the sentences' but do not count in the document frequencies.

    The terms are also compared on each text's *main clause* (:func:`main_clause`: without the asides
    that interrupt it, "Threlfall Seafoods, which leased the building as a cold store, has
    promised to keep paying its staff"): an aside gives background, not what the sentence
    reports, so two sentences that share only background do not overlap.  The overlap is the
    lower of the whole texts' and the main clauses' (dropping an aside never raises it);
    document frequencies come from the whole sentences."""
    return profile_overlap([term_profile(t) for t in [*texts, *(extra or [])]], len(texts))


def profile_overlap(profiles: list[TermProfile], n_docs: int) -> np.ndarray:
    """Pairwise term overlap of texts given by their :class:`TermProfile` (n x n, symmetric, in
    [0, 1]); the first ``n_docs`` are the story's sentences, the rest (clauses) get rows and
    columns but do not count in the document frequencies.  See :func:`term_overlap`."""
    return FactSimilarity(profiles, n_docs).full()


def sentence_similarities(
    texts: list[str],
    embeddings: np.ndarray | None = None,
    *,
    lexical: bool = False,
    extra: list[str] | None = None,
    cosine_weight: float = FactOptions().cosine_weight,
) -> np.ndarray:
    """Pairwise fact similarity of sentences (n x n, symmetric, in [0, 1]).

    The weighted geometric mean of :func:`term_overlap` and the cosine of the ``embeddings``
    (unit rows, one per text and then one per ``extra`` text (clauses); a zero row, or no matrix
    at all, leaves the overlap alone).  With ``lexical=True`` this is the plain TF-IDF cosine of the original
    lexical grouping (no frames, no embeddings): the evaluation baseline.
    """
    if lexical:
        vecs = sentence_vectors([terms(t) for t in texts])
        return np.asarray(vecs @ vecs.T)
    profiles = [term_profile(t) for t in [*texts, *(extra or [])]]
    return FactSimilarity(profiles, len(texts), embeddings, cosine_weight).full()


# --------------------------------------------------------------------------------------
# Grouping


def _article_order(story: Story) -> dict[int, tuple[bool, float, int]]:
    """Articles from first published to last (undated last, then input order)."""
    out = {}
    for i in story.originals:
        published = story.articles[i].article.published
        out[i] = (published is None, published.timestamp() if published else 0.0, i)
    return out


def story_terms(story: Story, refs: list[SentRef]) -> list[SentenceTerms]:
    """The fact terms of ``refs``: from the analysis stage, or worked out now for a record
    without them (hand-built analyses)."""
    stored = {i: story.articles[i].analysis.fact_terms for i in {r.article for r in refs}}
    return [
        stored[r.article][r.sent] if stored[r.article] else sentence_terms(story.sent_text(r)) for r in refs
    ]


def story_embeddings(
    story: Story, refs: list[SentRef], n_clauses: list[int]
) -> tuple[np.ndarray, np.ndarray] | None:
    """The analysis-stage vectors of ``refs`` (every sentence of the articles they come from)
    and, after them, of the clauses of each in order (``n_clauses``, aligned with ``refs``, says
    how many each has: :func:`clauses`): (sentence rows, clause rows), zero rows where an article
    has none; ``None`` when no article of the story has any."""
    per_article = {i: story.articles[i].analysis.sent_vectors() for i in {r.article for r in refs}}
    if all(v is None for v in per_article.values()):
        return None
    # An article's clause rows follow its sentence rows, in sentence order.
    clause_start: dict[SentRef, int] = {}
    next_row = {i: len(story.articles[i].analysis.sents) for i in per_article}
    for r, count in sorted(zip(refs, n_clauses)):
        clause_start[r] = next_row[r.article]
        next_row[r.article] += count
    sent_rows = np.zeros((len(refs), 384), dtype=np.float32)
    clause_rows = np.zeros((sum(n_clauses), 384), dtype=np.float32)
    c = 0
    for k, (r, count) in enumerate(zip(refs, n_clauses)):
        vecs = per_article[r.article]
        if vecs is not None and clause_start[r] + count <= len(vecs):
            sent_rows[k] = vecs[r.sent]
            clause_rows[c : c + count] = vecs[clause_start[r] : clause_start[r] + count]
        c += count
    return sent_rows, clause_rows


def group_facts(
    story: Story,
    *,
    threshold: float | None = None,
    lexical: bool = False,
    options: Options | None = None,
) -> tuple[tuple[FactGroup, ...], dict[SentRef, int]]:
    """Fact groups of a story and the group of every sentence of its original articles.

    Three passes over one similarity (sentences, then clauses of compound sentences), worked
    out block by block (:class:`FactSimilarity`), so that memory stays bounded in a big story:

    1. greedy average-link merging of cross-outlet pairs, strongest first; one member an
       outlet (its other sentences of the fact, which must match the member, restate it);
    2. *restatements*: a sentence whose outlet already has a member in a group, in another
       of its articles, and that matches the group as well as members must, joins it
       without being a member (``group_of`` points to the group; the outlet still counts
       once).  The group's member for that outlet is its earliest article's sentence, so
       coverage dates say when the outlet first had the fact;
    3. *compound sentences*: a clause that matches another group (with no sentence of its
       outlet) better than the sentence's own group makes the sentence a member of that
       group too.  ``group_of`` keeps the sentence's own group.

    ``lexical=True`` gives the original purely lexical grouping of pass 1 alone (kept as the
    baseline for evaluation).  ``options.facts`` holds the threshold and the cosine weight,
    ``options.disagreements`` what makes two sentences conflict.
    """
    options = options or Options()
    if threshold is None:
        threshold = LEXICAL_THRESHOLD if lexical else options.facts.min_similarity
    refs = story.sent_refs()
    if not refs:
        return (), {}
    if lexical:
        matrix = sentence_similarities([story.sent_text(r) for r in refs], lexical=True)
        return _group(story, refs, DenseSimilarity(matrix), threshold, None, options)
    sims, clause_of = story_similarity(story, refs, options.facts.cosine_weight)
    return _group(story, refs, sims, threshold, clause_of, options)


def story_similarity(
    story: Story, refs: list[SentRef], cosine_weight: float = FactOptions().cosine_weight
) -> tuple[FactSimilarity, list[int]]:
    """The fact similarity of ``refs`` and, after them, of their clauses, and the sentence
    (index in ``refs``) of each clause row."""
    found_terms = story_terms(story, refs)
    profiles = [t.sentence for t in found_terms]
    clause_of: list[int] = []
    for k, t in enumerate(found_terms):
        clause_of.extend([k] * len(t.clauses))
        profiles.extend(t.clauses)
    found = story_embeddings(story, refs, [len(t.clauses) for t in found_terms])
    vectors = np.concatenate(found) if found is not None else None
    return FactSimilarity(profiles, len(refs), vectors, cosine_weight), clause_of


class DenseSimilarity:
    """A similarity matrix worked out whole, behind :class:`FactSimilarity`'s interface: the
    lexical baseline's, and the plain reference the blockwise grouping is tested against."""

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = matrix

    def block(self, rows: Sequence[int] | np.ndarray, cols: Sequence[int] | np.ndarray) -> np.ndarray:
        return np.asarray(self.matrix[np.ix_(np.asarray(rows), np.asarray(cols))])

    def pairs(
        self, n: int, threshold: float, outlets: list[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        codes = _outlet_codes(outlets)
        i, j = np.nonzero(np.triu(self.matrix[:n, :n] >= threshold, k=1) & (codes[:, None] != codes[None, :]))
        return i, j, self.matrix[i, j]


def _outlet_codes(outlets: list[str]) -> np.ndarray:
    ids = {o: k for k, o in enumerate(sorted(set(outlets)))}
    return np.array([ids[o] for o in outlets], dtype=np.int64)


Similarity = FactSimilarity | DenseSimilarity


def _group(
    story: Story,
    refs: list[SentRef],
    sims: Similarity,
    threshold: float,
    clause_of: list[int] | None,
    options: Options,
) -> tuple[tuple[FactGroup, ...], dict[SentRef, int]]:
    """The passes of :func:`group_facts` over ``sims`` (only pass 1 when ``clause_of`` is None)."""
    outlets = [story.outlet(r.article) for r in refs]
    n = len(refs)
    i, j, v = sims.pairs(n, threshold, outlets)
    strongest = np.lexsort((j, i, -v))  # strongest first; ties in sentence order
    i, j = i[strongest], j[strongest]
    del v, strongest
    clash = _clash(story, refs, options) if clause_of is not None and len(i) else _never

    group = list(range(n))
    members: dict[int, list[int]] = {k: [k] for k in range(n)}
    _merge(i, j, outlets, sims, threshold, group, members, clash)
    repeats: dict[int, list[int]] = {}  # group -> sentences that restate a member's fact
    _outlet_repeats(story, refs, outlets, members, repeats)
    extra_members: dict[int, list[int]] = {}  # group -> compound sentences that also support it
    if clause_of is not None:
        _restatements(story, refs, outlets, sims, threshold, group, members, repeats, clash)
        _compound_support(outlets, sims, threshold, n, clause_of, group, members, extra_members, clash)
    disputes = _disputes(refs, i, j, group, clash)

    groups: list[FactGroup] = []
    group_of: dict[SentRef, int] = {}
    for gid, (key, idx) in enumerate(sorted(members.items())):
        support = sorted(idx + extra_members.get(key, []))
        groups.append(
            FactGroup(
                id=gid,
                members=tuple(refs[k] for k in support),
                outlets=tuple(sorted({outlets[k] for k in support})),
                disputes=disputes.get(key, SentPairs()),
            )
        )
        for k in idx + repeats.get(key, []):
            group_of[refs[k]] = gid
    return tuple(groups), group_of


def _pair_lists(i: np.ndarray, j: np.ndarray) -> Iterator[tuple[int, int]]:
    """The pairs (i[k], j[k]) as Python ints, a slice at a time: a big story has millions."""
    step = 1 << 16
    for start in range(0, len(i), step):
        yield from zip(i[start : start + step].tolist(), j[start : start + step].tolist())


def _merge(
    i: np.ndarray,
    j: np.ndarray,
    outlets: list[str],
    sims: Similarity,
    threshold: float,
    group: list[int],
    members: dict[int, list[int]],
    clash: Callable[[int, int], bool],
) -> None:
    """Pass 1 of :func:`group_facts` (in place): greedy average-link merging over the pairs
    (``i``, ``j``), strongest first."""
    apart: set[tuple[int, int, int, int]] = set()  # groups (id, size) found apart: groups only grow
    for x, y in _pair_lists(i, j):
        gx, gy = group[x], group[y]
        if gx == gy:
            continue
        a, b = members[gx], members[gy]
        state = (gx, len(a), gy, len(b)) if gx < gy else (gy, len(b), gx, len(a))
        if state in apart:
            continue
        if (
            float(sims.block(a, b).mean()) < threshold
            or not _restates(a, b, outlets, sims, threshold)
            or any(clash(p, q) for p in a for q in b)
        ):
            apart.add(state)
            continue
        keep, drop = (gx, gy) if gx < gy else (gy, gx)
        members[keep] = sorted(members[keep] + members[drop])
        for k in members.pop(drop):
            group[k] = keep


def _restates(a: list[int], b: list[int], outlets: list[str], sims: Similarity, threshold: float) -> bool:
    """May groups ``a`` and ``b`` be one although an outlet has sentences in both?  Only if that
    outlet states the fact twice: each of its sentences in ``a`` matches each of its in ``b``
    (an article's lead and a later paragraph).  Two different things one outlet says, each
    matching some other outlet's sentence, do not make one fact."""
    of_a, of_b = _by_outlet(a, outlets), _by_outlet(b, outlets)
    return all(float(sims.block(of_a[o], of_b[o]).min()) >= threshold for o in of_a.keys() & of_b.keys())


def _by_outlet(sentences: list[int], outlets: list[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for k in sentences:
        out.setdefault(outlets[k], []).append(k)
    return out


def _outlet_repeats(
    story: Story,
    refs: list[SentRef],
    outlets: list[str],
    members: dict[int, list[int]],
    repeats: dict[int, list[int]],
) -> None:
    """After pass 1 (in place): a group holds one member an outlet, its first report (earliest
    article, then first sentence); the outlet's other sentences of the fact restate it (they
    point to the group and do not count again)."""
    order = _article_order(story)
    for g, idx in members.items():
        if len({outlets[k] for k in idx}) == len(idx):
            continue
        first: dict[str, int] = {}
        for k in sorted(idx, key=lambda k: (order[refs[k].article], refs[k].sent)):
            if outlets[k] in first:
                repeats.setdefault(g, []).append(k)
            else:
                first[outlets[k]] = k
        members[g] = sorted(first.values())


def _disputes(
    refs: list[SentRef], i: np.ndarray, j: np.ndarray, group: list[int], clash: Callable[[int, int], bool]
) -> dict[int, SentPairs]:
    """Pairs alike enough to be one fact but kept apart because they conflict: each disputes
    the other's group.  Each group's pairs are in story order, in one compact array: a big story
    with a figure that every outlet gives differently has millions."""
    if clash is _never:
        return {}
    of = np.asarray(group)
    apart = of[i] != of[j]
    i, j = i[apart], j[apart]
    hit = np.zeros(len(i), dtype=bool)
    for k, (x, y) in enumerate(_pair_lists(i, j)):
        hit[k] = clash(x, y)
    own, other = np.concatenate([i[hit], j[hit]]), np.concatenate([j[hit], i[hit]])
    del hit, i, j
    if not len(own):
        return {}
    at = of[own]
    order = np.lexsort((other, own, at))  # by group, then in story order (refs are in story order)
    own, other, at = own[order], other[order], at[order]
    cells = np.array(refs, dtype=np.int32).reshape(-1, 2)
    pairs = np.concatenate([cells[own], cells[other]], axis=1)
    starts = np.flatnonzero(np.concatenate(([True], np.diff(at) != 0))).tolist()
    return {int(at[a]): SentPairs(pairs[a:b]) for a, b in zip(starts, [*starts[1:], len(at)])}


def _never(i: int, j: int) -> bool:
    return False


def _clash(story: Story, refs: list[SentRef], options: Options) -> Callable[[int, int], bool]:
    """``clash(i, j)``: do sentences ``refs[i]`` and ``refs[j]`` conflict (a different figure, date
    or named actor for one thing)?  See :class:`~storybrief.stories.conflicts.Conflicts`."""
    from .conflicts import Conflicts  # disagreements reads fact groups: import when grouping

    conflicts = Conflicts(story, options=options)
    return lambda i, j: conflicts(refs[i], refs[j])


def _restatements(
    story: Story,
    refs: list[SentRef],
    outlets: list[str],
    sims: Similarity,
    threshold: float,
    group: list[int],
    members: dict[int, list[int]],
    repeats: dict[int, list[int]],
    clash: Callable[[int, int], bool] = _never,
) -> None:
    """Pass 2 of :func:`group_facts` (in place): same-outlet restatements join the group."""
    order = _article_order(story)
    # Sentences still alone, strongest match first, so the result does not depend on input order.
    alone = [k for k, g in enumerate(group) if members.get(g) == [k]]
    multi = [(g, idx) for g, idx in members.items() if len(idx) >= 2]
    if not alone or not multi:
        return
    own_member = [{outlets[m]: m for m in reversed(idx)} for _, idx in multi]  # outlet -> its first member
    columns = [m for _, idx in multi for m in idx]
    bounds = np.cumsum([0] + [len(idx) for _, idx in multi]).tolist()
    moves = []
    step = max(1, BLOCK_CELLS // len(columns))
    for start in range(0, len(alone), step):
        chunk = alone[start : start + step]
        block = sims.block(chunk, columns)
        # average link to the whole group, the outlet's own report of the fact included:
        # a restatement is judged like a member would be
        link = [np.ascontiguousarray(block[:, a:b]).mean(axis=1).tolist() for a, b in pairwise(bounds)]
        for row, k in enumerate(chunk):
            best = None
            for j, (g, idx) in enumerate(multi):
                own = own_member[j].get(outlets[k])
                if own is None or refs[own].article == refs[k].article:
                    continue
                score = link[j][row]
                if (
                    score >= threshold
                    and (best is None or score > best[0])
                    and not any(clash(k, m) for m in idx)
                ):
                    best = (score, g, own)
            if best:
                moves.append((-best[0], k, best[1], best[2]))
    for _, k, g, member in sorted(moves):
        idx = members[g]
        if member not in idx or members.get(group[k]) != [k]:
            continue
        del members[group[k]]
        group[k] = g
        if order[refs[k].article] < order[refs[member].article]:
            idx[idx.index(member)] = k  # the earlier article's report is the member
            idx.sort()
            repeats.setdefault(g, []).append(member)
        else:
            repeats.setdefault(g, []).append(k)


def _compound_support(
    outlets: list[str],
    sims: Similarity,
    threshold: float,
    n: int,
    clause_of: list[int],
    group: list[int],
    members: dict[int, list[int]],
    extra_members: dict[int, list[int]],
    clash: Callable[[int, int], bool] = _never,
) -> None:
    """Pass 3 of :func:`group_facts` (in place): a clause of a compound sentence supports a second group.

    A clause is compared with every sentence of a group, its restatements (pass 2) included."""
    taken: dict[int, set[str]] = {g: {outlets[m] for m in idx} for g, idx in members.items()}
    if not clause_of:
        return
    # every sentence is a member or a restatement of its own group: the best match of each clause
    # in each group (columns in group order) is one reduction over the sentences sorted by group
    keys = list(members)
    column = {g: j for j, g in enumerate(keys)}
    by_group = np.array([column[g] for g in group])
    order = np.argsort(by_group, kind="stable")
    position = np.argsort(order)  # each sentence's column in ``order``
    starts = np.flatnonzero(np.concatenate(([True], np.diff(by_group[order]) != 0)))
    outlet_ids = {o: i for i, o in enumerate(sorted(set(outlets)))}
    blocked = np.zeros((len(keys), len(outlet_ids)), dtype=bool)
    for g, outs in taken.items():
        blocked[column[g], [outlet_ids[o] for o in outs]] = True
    sentence = np.array(clause_of)
    clause_outlet = np.array([outlet_ids[outlets[k]] for k in clause_of])
    found = []
    step = max(1, BLOCK_CELLS // n)
    for start in range(0, len(clause_of), step):
        clauses = np.arange(start, min(len(clause_of), start + step))
        rows = np.arange(len(clauses))
        own = sentence[clauses]
        to_sents = sims.block(n + clauses, order)
        best_in = np.maximum.reduceat(to_sents, starts, axis=1)
        own_col = by_group[own]
        # the own group's best match leaves the clause's own sentence out
        to_sents[rows, position[own]] = 0.0
        own_score = np.maximum.reduceat(to_sents, starts, axis=1)[rows, own_col]
        del to_sents
        open_ = ~blocked[:, clause_outlet[clauses]].T
        open_[rows, own_col] = False
        open_ &= (best_in >= threshold) & (best_in > own_score[:, None])
        for r in np.flatnonzero(open_.any(axis=1)).tolist():
            j = int(np.argmax(np.where(open_[r], best_in[r], -1.0)))  # the first best, in group order
            found.append((-float(best_in[r, j]), clause_of[start + r], keys[j]))
    for _, k, g in sorted(found):
        if outlets[k] in taken[g] or any(clash(k, m) for m in members[g]):
            continue
        taken[g].add(outlets[k])
        extra_members.setdefault(g, []).append(k)
