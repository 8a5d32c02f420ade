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

**Grouping** is greedy average-link over cross-outlet pairs, strongest first,
with the rule that a group never holds two sentences of one outlet: the same
outlet saying a thing twice is not two confirmations.  Nor does a group hold two
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

from collections.abc import Callable

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
from .model import FactGroup, SentRef, Story

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

# Pairs whose similarity reaches this state the same fact; below it they share only the topic
# (the default of Options.facts.min_similarity, which a run uses).
FACT_THRESHOLD = FactOptions().min_similarity
# The threshold of the old lexical grouping (TF-IDF cosine), kept as the evaluation baseline.
LEXICAL_THRESHOLD = 0.38


# --------------------------------------------------------------------------------------
# Similarity


def _tfidf(
    rows: list[tuple[tuple[str, ...], tuple[float, ...]]], n_docs: int
) -> tuple[np.ndarray, dict[str, int]]:
    """TF-IDF rows (float64, not normalised) of ``rows`` = (sorted unique terms, their weight
    mass) over their sorted vocabulary, and the vocabulary's column of each term.  Document
    frequencies come from the first ``n_docs`` rows only (the story's sentences), so that extra
    rows (clauses, main clauses) are weighed on the story's own scale."""
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
    matrix = np.zeros((len(rows), max(len(column), 1)), dtype=np.float64)
    matrix[np.repeat(np.arange(len(rows)), lengths), col] = tf * idf[col]
    return matrix, column


def profile_overlap(profiles: list[TermProfile], n_docs: int) -> np.ndarray:
    """Pairwise term overlap of texts given by their :class:`TermProfile` (n x n, symmetric, in
    [0, 1]); the first ``n_docs`` are the story's sentences, the rest (clauses) get rows and
    columns but do not count in the document frequencies.  See :func:`term_overlap`."""
    n = len(profiles)
    changed = [k for k, p in enumerate(profiles) if p.main_keys is not None]
    # main-clause rows go after the others so that they do not count in the document frequencies
    rows = [(p.keys, p.mass) for p in profiles] + [
        (profiles[k].main_keys or (), profiles[k].main_mass or ()) for k in changed
    ]
    x, column = _tfidf(rows, n_docs)
    overlap = _harmonic_overlap(x[:n])
    if changed:
        x[changed] = x[n:]
        overlap = np.minimum(overlap, _harmonic_overlap(x[:n]))
    # The predicate gate: the main clauses must share a term that is neither a name nor part of
    # an attribution frame (a verb, a common noun, a number, the negation).  "The cold store was
    # run by Threlfall Seafoods" and "Threlfall Seafoods has promised to keep paying its staff"
    # share only the company: they say different things about it.
    predicate = np.zeros((n, x.shape[1]), dtype=np.float64)
    predicate[
        [k for k, p in enumerate(profiles) for _ in p.predicate],
        [column[t] for p in profiles for t in p.predicate],
    ] = 1.0
    return np.where(predicate @ predicate.T > 0, overlap, 0.0)


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


def _harmonic_overlap(x: np.ndarray) -> np.ndarray:
    has = (x > 0).astype(np.float64)
    mass = x.sum(axis=1)
    mass[mass == 0] = 1.0
    covered = (x @ has.T) / mass[:, None]  # covered[i, j]: share of i's terms that j has
    both = covered * covered.T
    total = covered + covered.T
    sims = np.divide(2.0 * both, total, out=np.zeros_like(both), where=total > 0)
    similarities: np.ndarray = np.clip(np.round(sims, 12), 0.0, 1.0)
    return similarities


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
    return _with_cosine(term_overlap(texts, extra=extra), embeddings, cosine_weight)


def _with_cosine(overlap: np.ndarray, embeddings: np.ndarray | None, cosine_weight: float) -> np.ndarray:
    """The weighted geometric mean of ``overlap`` and the cosine of the ``embeddings`` rows
    (see :func:`sentence_similarities`)."""
    if embeddings is None:
        return overlap
    rows = np.asarray(embeddings, dtype=np.float64)
    has = np.linalg.norm(rows, axis=1) > 0.5
    cos = np.clip(np.round(rows @ rows.T, 6), 0.0, 1.0)
    both = has[:, None] & has[None, :]
    sims = np.where(both, overlap ** (1.0 - cosine_weight) * cos**cosine_weight, overlap)
    return np.clip(np.round(sims, 12), 0.0, 1.0)


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
    baseline for evaluation).  ``options.facts`` holds the threshold and the cosine weight,
    ``options.disagreements`` what makes two sentences conflict.
    """
    options = options or Options()
    semantic = not lexical
    if threshold is None:
        threshold = options.facts.min_similarity if semantic else LEXICAL_THRESHOLD
    refs = story.sent_refs()
    if not refs:
        return (), {}
    outlets = [story.outlet(r.article) for r in refs]
    n = len(refs)
    clause_of: list[int] = []  # sentence index of each clause row
    if semantic:
        found_terms = story_terms(story, refs)
        profiles = [t.sentence for t in found_terms]
        for k, t in enumerate(found_terms):
            clause_of.extend([k] * len(t.clauses))
            profiles.extend(t.clauses)
        found = story_embeddings(story, refs, [len(t.clauses) for t in found_terms])
        sims = _with_cosine(
            profile_overlap(profiles, n),
            np.concatenate(found) if found is not None else None,
            options.facts.cosine_weight,
        )
    else:
        sims = sentence_similarities([story.sent_text(r) for r in refs], lexical=True)
    same_outlet = np.array(outlets)[:, None] == np.array(outlets)[None, :]
    candidates = np.argwhere(np.triu(sims[:n, :n] >= threshold, k=1) & ~same_outlet)
    order = sorted(candidates.tolist(), key=lambda ij: (-sims[ij[0], ij[1]], ij[0], ij[1]))
    clash = _clash(story, refs, options) if semantic and order else _never

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
        if any(clash(x, y) for x in a for y in b):
            continue
        keep, drop = (gi, gj) if gi < gj else (gj, gi)
        members[keep] = sorted(members[keep] + members[drop])
        for k in members.pop(drop):
            group[k] = keep

    repeats: dict[int, list[int]] = {}  # group -> sentences that restate a member's fact
    extra_members: dict[int, list[int]] = {}  # group -> compound sentences that also support it
    if semantic:
        _restatements(story, refs, outlets, sims, threshold, group, members, repeats, clash)
        _compound_support(
            outlets, sims, threshold, n, clause_of, group, members, repeats, extra_members, clash
        )

    # Pairs alike enough to be one fact but kept apart because they conflict: each disputes
    # the other's group.
    disputes: dict[int, list[tuple[SentRef, SentRef]]] = {}
    for i, j in sorted(order):
        if group[i] != group[j] and clash(i, j):
            disputes.setdefault(group[i], []).append((refs[i], refs[j]))
            disputes.setdefault(group[j], []).append((refs[j], refs[i]))

    groups: list[FactGroup] = []
    group_of: dict[SentRef, int] = {}
    for gid, (key, idx) in enumerate(sorted(members.items())):
        support = sorted(idx + extra_members.get(key, []))
        sent_refs = tuple(refs[k] for k in support)
        groups.append(
            FactGroup(
                id=gid,
                members=sent_refs,
                outlets=tuple(sorted({outlets[k] for k in support})),
                disputes=tuple(sorted(disputes.get(key, ()))),
            )
        )
        for k in idx + repeats.get(key, []):
            group_of[refs[k]] = gid
    return tuple(groups), group_of


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
    sims: np.ndarray,
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
    # average link to the whole group, the outlet's own report of the fact included:
    # a restatement is judged like a member would be
    n = len(group)
    link = np.stack([sims[:n, idx].mean(axis=1) for _, idx in multi], axis=1)
    own_member = [{outlets[m]: m for m in reversed(idx)} for _, idx in multi]  # outlet -> its first member
    moves = []
    for k in alone:
        best = None
        for j, (g, _) in enumerate(multi):
            own = own_member[j].get(outlets[k])
            if own is None or refs[own].article == refs[k].article:
                continue
            score = float(link[k, j])
            if (
                score >= threshold
                and (best is None or score > best[0])
                and not any(clash(k, m) for m in multi[j][1])
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
    sims: np.ndarray,
    threshold: float,
    n: int,
    clause_of: list[int],
    group: list[int],
    members: dict[int, list[int]],
    repeats: dict[int, list[int]],
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
    starts = np.flatnonzero(np.concatenate(([True], np.diff(by_group[order]) != 0)))
    clause_of_a = np.array(clause_of)
    rows = np.arange(len(clause_of))
    to_sents = sims[n:, :n][:, order]
    best_in = np.maximum.reduceat(to_sents, starts, axis=1)
    own_col = by_group[clause_of_a]
    # the own group's best match leaves the clause's own sentence out
    to_sents[rows, np.argsort(order)[clause_of_a]] = 0.0
    own_score = np.maximum.reduceat(to_sents, starts, axis=1)[rows, own_col]
    outlet_ids = {o: i for i, o in enumerate(sorted(set(outlets)))}
    blocked = np.zeros((len(keys), len(outlet_ids)), dtype=bool)
    for g, outs in taken.items():
        blocked[column[g], [outlet_ids[o] for o in outs]] = True
    open_ = ~blocked[:, [outlet_ids[outlets[k]] for k in clause_of]].T
    open_[rows, own_col] = False
    open_ &= (best_in >= threshold) & (best_in > own_score[:, None])
    found = []
    for c in np.flatnonzero(open_.any(axis=1)).tolist():
        j = int(np.argmax(np.where(open_[c], best_in[c], -1.0)))  # the first best, in group order
        found.append((-float(best_in[c, j]), clause_of[c], keys[j]))
    for _, k, g in sorted(found):
        if outlets[k] in taken[g] or any(clash(k, m) for m in members[g]):
            continue
        taken[g].add(outlets[k])
        extra_members.setdefault(g, []).append(k)
