"""Cross-article fact groups: the heart of storybrief.

Sentences from different outlets that report the same thing are grouped.

**Similarity.**  Two signals must agree:

* *MiniLM sentence embeddings* (all-MiniLM-L6-v2, computed per article in the analysis stage and
  cached with it, see :mod:`storybrief.analysis.embeddings`): the cosine of two sentences sees
  paraphrases ("No one was injured" ~ "Nobody was hurt") but also rates sentences on one topic
  high whatever they say.
* *Term overlap*: each sentence's content terms (stems, TF-IDF weighted with IDF over the story's
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

The fact similarity is their weighted geometric mean (cosine weight :data:`COSINE_WEIGHT`) (:func:`sentence_similarities`): a paraphrase needs
some shared specific term and a high cosine; shared words on one topic need the embedding's
agreement.  A sentence without a vector (too short to be embedded, or a hand-built analysis)
falls back to the overlap alone.  Compound sentences are also compared clause by clause (pass 3
below), their clauses taking the term overlap of the clause and the sentence's vector.
* *Attribution frames.*  "Helena Marrick, chief fire officer of ..., said",
  "the fire service confirmed", "he told Radio Kellhaven:" say who speaks, not
  what happened.  Their terms weigh :data:`FRAME_WEIGHT`, so two different
  statements by one person no longer look alike because of the long title
  they share.

**Grouping** is greedy average-link over cross-outlet pairs, strongest first,
with the rule that a group never holds two sentences of one outlet: the same
outlet saying a thing twice is not two confirmations.  Syndicated copies are
left out entirely; their support is their original's.  When an outlet states
a fact in two of its articles, the group keeps its first report (earliest
article), so coverage dates say when the outlet first had it.

Everything is float64 over a sorted vocabulary: groups near the threshold do
not depend on hash seeds or input order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..analysis.frames import MIN_CLAUSE_WORDS, attribution_frames, clauses, main_clause, name_words
from ..analysis.terms import terms
from .model import FactGroup, SentRef, Story

__all__ = [
    "FACT_THRESHOLD",
    "MIN_CLAUSE_WORDS",
    "clauses",
    "FRAME_WEIGHT",
    "LEXICAL_THRESHOLD",
    "TIME_WEIGHT",
    "UNRESOLVED",
    "attribution_frames",
    "group_facts",
    "sentence_similarities",
    "sentence_vectors",
    "story_embeddings",
    "term_overlap",
    "weighted_terms",
]

# Pairs whose similarity reaches this state the same fact; below it they share only the topic.
# Calibrated on tests/data/fact_pairs.json (Multi-News train pairs) and the bundled example.
FACT_THRESHOLD = 0.5
# The threshold of the old lexical grouping (TF-IDF cosine), kept as the evaluation baseline.
LEXICAL_THRESHOLD = 0.38
# The weight of the embedding cosine in the weighted geometric mean with the term overlap.
COSINE_WEIGHT = 0.7
# The weight of terms inside an attribution frame ("X, chief fire officer of Y, said").
FRAME_WEIGHT = 0.2
# The weight of the negation term (0 turns it off).
NEGATION_WEIGHT = 1.0


def sentence_vectors(sent_terms: list[list[str]]) -> np.ndarray:
    """L2-normalised TF-IDF rows (log-scaled tf, smoothed idf over these sentences).

    The vocabulary is sorted and the arithmetic is float64, so the result does
    not depend on hash seeds: fact groups near the threshold are reproducible.
    """
    df: Counter[str] = Counter()
    for ts in sent_terms:
        df.update(set(ts))
    vocab = {word: i for i, word in enumerate(sorted(df))}
    n = len(sent_terms)
    matrix = np.zeros((n, max(len(vocab), 1)), dtype=np.float64)
    for row, ts in enumerate(sent_terms):
        for word, count in Counter(ts).items():
            matrix[row, vocab[word]] = (1.0 + math.log(count)) * (math.log((1 + n) / (1 + df[word])) + 1.0)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


_NEGATION_RE = re.compile(r"\b(?:no|not|nobody|none|noone|never|neither|nor|nothing|no-one)\b|n['’]t\b", re.IGNORECASE)
# The term that stands for "this statement is negated": "No one was injured", "Nobody was hurt"
# and "There were no casualties" share it, "Two people were injured" does not.
NEGATION = "¬"
# The term that stands for "this is not known yet / is being investigated": "The cause of the fire
# is not yet known", "The cause is being investigated" and "Investigators have yet to establish
# what started the blaze" share it, though they share no content word.
UNRESOLVED = "?"
_UNRESOLVED_RE = re.compile(
    r"\b(?:not\s+(?:yet\s+)?(?:known|clear|been\s+(?:established|determined|confirmed|identified))|unknown|unclear|"
    r"undetermined|unexplained|yet\s+to\s+(?:be\s+)?(?:establish|determin|confirm|identif|discover|explain)\w*|"
    r"under\s+investigation|being\s+investigated|remains?\s+(?:a\s+)?mystery)\b",
    re.IGNORECASE,
)
UNRESOLVED_WEIGHT = 1.0
_UNRESOLVED_HINTS = ("know", "clear", "determin", "explain", "yet", "investigat", "myster")


def _maybe_unresolved(text: str) -> bool:
    """A cheap test that :data:`_UNRESOLVED_RE` may match (substring search is much faster)."""
    low = text.lower()
    return any(h in low for h in _UNRESOLVED_HINTS)


# Words of time expressions ("during the early hours of Wednesday", "last night"): when a thing
# happened is a circumstance outlets report in different ways (and the timeline compares), not
# what happened, so these terms weigh :data:`TIME_WEIGHT`.
_TIME_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december today yesterday tonight tomorrow morning afternoon evening "
    "night overnight daybreak dawn midnight midday noon hour hours early week weekend"
)
TIME_TERMS = frozenset(terms(_TIME_WORDS))
TIME_WEIGHT = 0.3


def weighted_terms(text: str, *, frame_weight: float | None = None) -> list[tuple[str, float]]:
    """Content terms of a sentence, each with weight 1, or ``frame_weight`` inside an attribution
    frame; a negated statement also gets the :data:`NEGATION` term with weight :data:`NEGATION_WEIGHT`,
    and one that says something is not known yet the :data:`UNRESOLVED` term."""
    frame_weight = FRAME_WEIGHT if frame_weight is None else frame_weight
    out: list[tuple[str, float]] = []
    if NEGATION_WEIGHT and _NEGATION_RE.search(text):
        out.append((NEGATION, NEGATION_WEIGHT))
    if UNRESOLVED_WEIGHT and _maybe_unresolved(text) and _UNRESOLVED_RE.search(text):
        out.append((UNRESOLVED, UNRESOLVED_WEIGHT))
    if frame_weight == 1.0:
        return out + [(t, TIME_WEIGHT if t in TIME_TERMS else 1.0) for t in terms(text)]
    pos = 0
    for s, e in attribution_frames(text):
        out.extend((t, 1.0) for t in terms(text[pos:s]))
        out.extend((t, frame_weight) for t in terms(text[s:e]))
        pos = e
    out.extend((t, 1.0) for t in terms(text[pos:]))
    if TIME_WEIGHT != 1.0:
        out = [(t, w * TIME_WEIGHT) if t in TIME_TERMS else (t, w) for t, w in out]
    return out


# --------------------------------------------------------------------------------------
# Similarity


@dataclass(frozen=True)
class _Weights:
    """TF-IDF weights of n sentences over a sorted vocabulary (float64)."""

    vocab: list[str]
    matrix: np.ndarray  # n x m, rows not normalised


def _tfidf(sents: list[list[tuple[str, float]]], n_docs: int | None = None) -> _Weights:
    """TF-IDF rows for ``sents``; document frequencies come from the first ``n_docs`` rows only
    (the story's sentences), so that extra rows (clauses) are weighed on the story's own scale."""
    n = len(sents) if n_docs is None else n_docs
    df: Counter[str] = Counter()
    for ts in sents[:n]:
        df.update({t for t, _ in ts})
    vocab = sorted({t for ts in sents for t, _ in ts})
    col = {t: i for i, t in enumerate(vocab)}
    matrix = np.zeros((len(sents), max(len(vocab), 1)), dtype=np.float64)
    for row, ts in enumerate(sents):
        mass: dict[str, float] = {}
        for t, w in ts:
            mass[t] = mass.get(t, 0.0) + w
        for t, m in mass.items():
            # log-scaled tf on the (possibly fractional) mass: 1 occurrence -> 1, frame-only -> its weight
            tf = 1.0 + math.log(m) if m >= 1.0 else m
            matrix[row, col[t]] = tf * (math.log((1 + n) / (1 + df[t])) + 1.0)
    return _Weights(vocab, matrix)


def term_overlap(
    texts: list[str], *, frame_weight: float | None = None, extra: list[str] | None = None
) -> np.ndarray:
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
    extra = extra or []
    all_texts = [*texts, *extra]
    mains = [main_clause(t) for t in all_texts]
    changed = [k for k, (t, m) in enumerate(zip(all_texts, mains)) if m != t]
    term_lists = [weighted_terms(t, frame_weight=frame_weight) for t in all_texts]
    # main-clause rows go after the others so that they do not count in the document frequencies
    term_lists += [weighted_terms(mains[k], frame_weight=frame_weight) for k in changed]
    weights = _tfidf(term_lists, n_docs=len(texts))
    x = weights.matrix
    overlap = _harmonic_overlap(x[: len(all_texts)])
    if changed:
        x[changed] = x[len(all_texts) :]
        overlap = np.minimum(overlap, _harmonic_overlap(x[: len(all_texts)]))
    # The predicate gate: the main clauses must share a term that is neither a name nor part of
    # an attribution frame (a verb, a common noun, a number, the negation).  "The cold store was
    # run by Threlfall Seafoods" and "Threlfall Seafoods has promised to keep paying its staff"
    # share only the company: they say different things about it.
    col = {t: i for i, t in enumerate(weights.vocab)}
    main_terms = list(term_lists[: len(all_texts)])
    for pos, k in enumerate(changed):
        main_terms[k] = term_lists[len(all_texts) + pos]
    predicate = np.zeros((len(all_texts), len(col) or 1), dtype=np.float64)
    for k, (ts, main) in enumerate(zip(main_terms, mains)):
        names = {t for w in name_words(main) for t in terms(w)}
        for t, w in ts:
            if w >= 1.0 and t not in names:
                predicate[k, col[t]] = 1.0
    return np.where(predicate @ predicate.T > 0, overlap, 0.0)


def _harmonic_overlap(x: np.ndarray) -> np.ndarray:
    has = (x > 0).astype(np.float64)
    mass = x.sum(axis=1)
    mass[mass == 0] = 1.0
    covered = (x @ has.T) / mass[:, None]  # covered[i, j]: share of i's terms that j has
    both = covered * covered.T
    total = covered + covered.T
    sims = np.divide(2.0 * both, total, out=np.zeros_like(both), where=total > 0)
    return np.clip(np.round(sims, 12), 0.0, 1.0)


def sentence_similarities(
    texts: list[str],
    embeddings: np.ndarray | None = None,
    *,
    lexical: bool = False,
    frame_weight: float | None = None,
    extra: list[str] | None = None,
) -> np.ndarray:
    """Pairwise fact similarity of sentences (n x n, symmetric, in [0, 1]).

    The weighted geometric mean of :func:`term_overlap` and the cosine of the ``embeddings``
    (unit rows, one per text and then one per ``extra`` text (clauses); a zero row, or no matrix
    at all, leaves the overlap alone).  With ``lexical=True`` this is the plain TF-IDF cosine of the original
    lexical grouping (no frames, no embeddings): the evaluation baseline.
    """
    if lexical:
        vecs = sentence_vectors([terms(t) for t in texts])
        return vecs @ vecs.T
    extra = extra or []
    overlap = term_overlap(texts, frame_weight=frame_weight, extra=extra)
    if embeddings is None:
        return overlap
    rows = np.asarray(embeddings, dtype=np.float64)
    has = np.linalg.norm(rows, axis=1) > 0.5
    cos = np.clip(np.round(rows @ rows.T, 6), 0.0, 1.0)
    both = has[:, None] & has[None, :]
    sims = np.where(both, overlap ** (1.0 - COSINE_WEIGHT) * cos**COSINE_WEIGHT, overlap)
    return np.clip(np.round(sims, 12), 0.0, 1.0)


# --------------------------------------------------------------------------------------
# Grouping


def _article_order(story: Story) -> dict[int, tuple]:
    """Articles from first published to last (undated last, then input order)."""
    out = {}
    for i in story.originals:
        published = story.articles[i].article.published
        out[i] = (published is None, published.timestamp() if published else 0.0, i)
    return out


def story_embeddings(
    story: Story, refs: list[SentRef], ref_clauses: list[list[str]] | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """The analysis-stage vectors of ``refs`` and, after them, of the clauses of each in order (as
    :func:`clauses` splits them; pass them as ``ref_clauses``, aligned with ``refs``, to save
    splitting again): (sentence rows, clause rows), zero rows where an article has none; ``None``
    when no article of the story has any."""
    if ref_clauses is None:
        ref_clauses = [clauses(story.sent_text(r)) for r in refs]
    per_article = {i: story.articles[i].analysis.sent_vectors() for i in {r.article for r in refs}}
    if all(v is None for v in per_article.values()):
        return None
    # An article's clause rows follow its sentence rows, in sentence order.
    n_clauses: dict[SentRef, int] = {r: len(parts) for r, parts in zip(refs, ref_clauses)}
    clause_start: dict[SentRef, int] = {}
    for i, vecs in per_article.items():
        if vecs is None:
            continue
        n_sents = len(story.articles[i].analysis.sents)
        row = n_sents
        for j in range(n_sents):
            ref = SentRef(i, j)
            clause_start[ref] = row
            count = n_clauses.get(ref)
            row += len(clauses(story.sent_text(ref))) if count is None else count
    sent_rows = np.zeros((len(refs), 384), dtype=np.float32)
    clause_rows = np.zeros((sum(len(p) for p in ref_clauses), 384), dtype=np.float32)
    c = 0
    for k, (r, parts) in enumerate(zip(refs, ref_clauses)):
        vecs = per_article[r.article]
        n_parts = len(parts)
        if vecs is not None and clause_start[r] + n_parts <= len(vecs):
            sent_rows[k] = vecs[r.sent]
            clause_rows[c : c + n_parts] = vecs[clause_start[r] : clause_start[r] + n_parts]
        c += n_parts
    return sent_rows, clause_rows


def group_facts(
    story: Story,
    *,
    threshold: float | None = None,
    lexical: bool = False,
) -> tuple[tuple[FactGroup, ...], dict[SentRef, int]]:
    """Fact groups of a story and the group of every sentence of its original articles.

    Three passes over one similarity matrix (sentences, then clauses of compound sentences):

    1. greedy average-link merging of cross-outlet pairs, strongest first, never two
       sentences of one outlet in a group;
    2. *restatements*: a sentence whose outlet already has a member in a group, in another
       of its articles, and that matches the group as well as members must, joins it
       without being a member (``group_of`` points to the group; the outlet still counts
       once).  The group's member for that outlet is its earliest article's sentence, so
       coverage dates say when the outlet first had the fact;
    3. *compound sentences*: a clause that matches another group (with no sentence of its
       outlet) better than the sentence's own group makes the sentence a member of that
       group too.  ``group_of`` keeps the sentence's own group.

    ``lexical=True`` gives the original purely lexical grouping of pass 1 alone (kept as the
    baseline for evaluation).
    """
    semantic = not lexical
    if threshold is None:
        threshold = FACT_THRESHOLD if semantic else LEXICAL_THRESHOLD
    refs = story.sent_refs()
    if not refs:
        return (), {}
    outlets = [story.outlet(r.article) for r in refs]
    texts = [story.sent_text(r) for r in refs]
    n = len(refs)
    clause_of: list[int] = []  # sentence index of each clause row
    clause_texts: list[str] = []
    ref_clauses = [clauses(text) for text in texts] if semantic else []
    for k, parts in enumerate(ref_clauses):
        clause_of.extend([k] * len(parts))
        clause_texts.extend(parts)
    found = story_embeddings(story, refs, ref_clauses) if semantic else None
    embeddings = np.concatenate(found) if found is not None else None
    sims = sentence_similarities(texts, embeddings, lexical=lexical, extra=clause_texts)
    same_outlet = np.array(outlets)[:, None] == np.array(outlets)[None, :]
    candidates = np.argwhere(np.triu(sims[:n, :n] >= threshold, k=1) & ~same_outlet)
    order = sorted(candidates.tolist(), key=lambda ij: (-sims[ij[0], ij[1]], ij[0], ij[1]))

    group = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for i, j in order:
        gi, gj = group[i], group[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        if {outlets[k] for k in a} & {outlets[k] for k in b}:
            continue
        if float(sims[np.ix_(a, b)].mean()) < threshold:
            continue
        keep, drop = (gi, gj) if gi < gj else (gj, gi)
        members[keep] = sorted(members[keep] + members[drop])
        for k in members.pop(drop):
            group[k] = keep

    repeats: dict[int, list[int]] = {}  # group -> sentences that restate a member's fact
    extra_members: dict[int, list[int]] = {}  # group -> compound sentences that also support it
    if semantic:
        _restatements(story, refs, outlets, sims, threshold, group, members, repeats)
        _compound_support(outlets, sims, threshold, n, clause_of, group, members, repeats, extra_members)

    groups: list[FactGroup] = []
    group_of: dict[SentRef, int] = {}
    for gid, (key, idx) in enumerate(sorted(members.items())):
        support = sorted(idx + extra_members.get(key, []))
        sent_refs = tuple(refs[k] for k in support)
        groups.append(FactGroup(id=gid, members=sent_refs, outlets=tuple(sorted({outlets[k] for k in support}))))
        for k in idx + repeats.get(key, []):
            group_of[refs[k]] = gid
    return tuple(groups), group_of


def _restatements(story, refs, outlets, sims, threshold, group, members, repeats) -> None:
    """Pass 2 of :func:`group_facts` (in place): same-outlet restatements join the group."""
    order = _article_order(story)
    # Sentences still alone, strongest match first, so the result does not depend on input order.
    alone = [k for k, g in enumerate(group) if members.get(g) == [k]]
    moves = []
    for k in alone:
        best = None
        for g, idx in members.items():
            if len(idx) < 2 or k in idx:
                continue
            own = [m for m in idx if outlets[m] == outlets[k]]
            if not own or refs[own[0]].article == refs[k].article:
                continue
            # average link to the whole group, the outlet's own report of the fact included:
            # a restatement is judged like a member would be
            score = float(sims[k, idx].mean())
            if score >= threshold and (best is None or score > best[0]):
                best = (score, g, own[0])
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


def _compound_support(outlets, sims, threshold, n, clause_of, group, members, repeats, extra_members) -> None:
    """Pass 3 of :func:`group_facts` (in place): a clause of a compound sentence supports a second group.

    A clause is compared with every sentence of a group, its restatements (pass 2) included."""
    taken: dict[int, set[str]] = {g: {outlets[m] for m in idx} for g, idx in members.items()}
    found = []
    for c, k in enumerate(clause_of):
        row = n + c
        own_group = members[group[k]] + repeats.get(group[k], [])
        own_others = [m for m in own_group if m != k]
        own_score = float(sims[row, own_others].max()) if own_others else 0.0
        best = None
        for g, idx in members.items():
            if g == group[k] or outlets[k] in taken[g]:
                continue
            score = float(sims[row, idx + repeats.get(g, [])].max())
            if score >= threshold and score > own_score and (best is None or score > best[0]):
                best = (score, g)
        if best:
            found.append((-best[0], k, best[1]))
    for _, k, g in sorted(found):
        if outlets[k] in taken[g]:
            continue
        taken[g].add(outlets[k])
        extra_members.setdefault(g, []).append(k)
