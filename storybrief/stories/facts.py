"""Cross-article fact groups: the heart of storybrief.

Sentences from different outlets that report the same thing are grouped.

**Similarity.**  Each sentence is a TF-IDF vector over stemmed content terms,
with IDF taken over the story's own sentences so that the story's topic words
weigh little and the specific details (names, numbers, rare words) weigh a lot.
Two refinements make it see paraphrases and resist false merges:

* *Soft matching.*  Two different terms also match, partly, when their static
  word vectors (distilled from all-MiniLM-L6-v2, see :mod:`.vectors`) are
  close: "injured" ~ "hurt", "collapsed" ~ "caved".  Word similarity below
  :data:`SOFT_FLOOR` counts as nothing, so unrelated words never add up; names
  and numbers have no vector and match only themselves.  The score is the
  soft cosine ``x·K·y / sqrt(x·K·x · y·K·y)``, which is exactly the old
  lexical cosine when no two distinct terms are similar, so thresholds keep
  their meaning.
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

from ..analysis.terms import terms
from .model import FactGroup, SentRef, Story
from .vectors import WordVectors, load_word_vectors

__all__ = [
    "FACT_THRESHOLD",
    "FRAME_WEIGHT",
    "SOFT_FLOOR",
    "attribution_frames",
    "group_facts",
    "sentence_similarities",
    "sentence_vectors",
    "weighted_terms",
]

# Pairs whose similarity reaches this state the same fact; below it they share only the topic.
# Calibrated on tests/data/fact_pairs.json (Multi-News train pairs) and the bundled example.
FACT_THRESHOLD = 0.38
# Word vectors closer than this (cosine) start to count as a partial match; at 1.0 a full one.
SOFT_FLOOR = 0.55
# The weight of terms inside an attribution frame ("X, chief fire officer of Y, said").
FRAME_WEIGHT = 0.35


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


# --------------------------------------------------------------------------------------
# Attribution frames

_SPEECH = (
    r"(?:said|says|say|told|tells|added|adds|explained|explains|stated|states|noted|notes|wrote|writes|"
    r"confirmed|confirms|insisted|insists|argued|argues|claimed|claims|warned|warns|stressed|acknowledged|"
    r"admitted|recalled|declared|replied|tweeted|described|describes|announced|reported|reports)"
)
_QUOTE = "\"'“”‘’"
# One character of a phrase inside a sentence: no clause punctuation and no quote mark, but an
# apostrophe inside a word ("Kellhaven's") is fine.
_IN = rf"(?:[^,;:.!?{_QUOTE}]|(?<=\w)['’](?=\w))"
_IN_DOT = rf"(?:[^,;:!?{_QUOTE}]|(?<=\w)['’](?=\w))"  # may hold a dot: "E. J. Pardoe", "Chief Supt."
_LINK = {"and", "of", "the", "for", "de", "van", "von", "der", "la", "le", "st", "st."}
# "Name[, role,] said[ that]" / "He said:" / "Mr Threlfall told Radio Kellhaven's Breakfast Show:"
_LEAD_RE = re.compile(
    rf"^\s*[{_QUOTE}]?(?P<subject>{_IN_DOT}{{1,80}}?)(?P<role>,(?:{_IN_DOT}|,){{1,160}}?,)?\s+{_SPEECH}\b"
    rf"(?P<object>\s+{_IN_DOT}{{1,60}}?(?=\s*:))?(?:\s+that\b)?\s*:?"
)
# ", the fire service confirmed." / "," Mr Pardoe said." / ", said the chief fire officer."
_TRAIL_RE = re.compile(
    rf"(?:^|,|[{_QUOTE}](?=\s))\s*(?P<frame>(?:(?P<subject>{_IN_DOT}{{1,60}}?)\s+{_SPEECH}|{_SPEECH}\s+"
    rf"(?P<inverted>{_IN_DOT}{{1,60}}?)|according to\s+{_IN_DOT}{{1,80}}?)(?:\s+(?:on|in|at|during|last|this)\b"
    rf"{_IN_DOT}{{0,40}}?)?)\s*[.!?]?[{_QUOTE}]?\s*$"
)
# '"It was a very difficult fire to fight," she said, "because ...'
_MIDDLE_RE = re.compile(
    rf"[,.!?][{_QUOTE}]\s*(?P<frame>(?P<subject>{_IN}{{1,40}}?)\s+{_SPEECH})\s*[,:.]\s*[{_QUOTE}]"
)
_LEADING_ACCORDING_RE = re.compile(rf"^\s*According to\s+{_IN_DOT}{{1,80}},")


_PASSIVE = {"was", "were", "is", "are", "be", "been", "being", "am"}


def _is_speaker(subject: str, *, limit: int = 6) -> bool:
    """A short noun phrase that can name a speaker: a pronoun, a name, or "the fire service".

    "Residents were told ..." is passive: the subject is the news, not a speaker.
    """
    words = subject.split()
    if not words or words[-1].lower() in _PASSIVE:
        return False
    if len(words) <= limit:
        return True
    # Long names of organisations: every word capitalised or a linking word.
    return len(words) <= 12 and all(w[0].isupper() or w.lower() in _LINK for w in words)


def attribution_frames(text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` that attribute rather than report: who said it, and in what role.

    Only short, well-formed frames are taken (a subject of at most six words,
    or a longer name, with an optional ", role," apposition); a clause such as
    "Investigators have yet to establish what started the blaze, and Ms
    Marrick said" is left alone, because its subject is itself news.
    """
    spans: list[tuple[int, int]] = []
    m = _LEAD_RE.match(text)
    if m and _is_speaker(m.group("subject")) and (not m.group("role") or len(m.group("role").split()) <= 20):
        spans.append((m.start("subject"), m.end()))
    else:
        m = _LEADING_ACCORDING_RE.match(text)
        if m:
            spans.append((m.start(), m.end()))
    m = _TRAIL_RE.search(text)
    if m:
        subject = m.group("subject") or m.group("inverted") or ""
        if (not subject or _is_speaker(subject, limit=5)) and not (spans and m.start("frame") < spans[-1][1]):
            spans.append((m.start("frame"), m.end("frame")))
    for m in _MIDDLE_RE.finditer(text):
        if _is_speaker(m.group("subject"), limit=4) and all(m.start("frame") >= e or m.end("frame") <= s for s, e in spans):
            spans.append((m.start("frame"), m.end("frame")))
    return sorted(spans)


def weighted_terms(text: str, *, frame_weight: float = FRAME_WEIGHT) -> list[tuple[str, float]]:
    """Content terms of a sentence, each with weight 1, or ``frame_weight`` inside an attribution frame."""
    if frame_weight == 1.0:
        return [(t, 1.0) for t in terms(text)]
    out: list[tuple[str, float]] = []
    pos = 0
    for s, e in attribution_frames(text):
        out.extend((t, 1.0) for t in terms(text[pos:s]))
        out.extend((t, frame_weight) for t in terms(text[s:e]))
        pos = e
    out.extend((t, 1.0) for t in terms(text[pos:]))
    return out


# --------------------------------------------------------------------------------------
# Similarity


@dataclass(frozen=True)
class _Weights:
    """TF-IDF weights of n sentences over a sorted vocabulary (float64)."""

    vocab: list[str]
    matrix: np.ndarray  # n x m, rows not normalised


def _tfidf(sents: list[list[tuple[str, float]]]) -> _Weights:
    df: Counter[str] = Counter()
    for ts in sents:
        df.update({t for t, _ in ts})
    vocab = sorted(df)
    col = {t: i for i, t in enumerate(vocab)}
    n = len(sents)
    matrix = np.zeros((n, max(len(vocab), 1)), dtype=np.float64)
    for row, ts in enumerate(sents):
        mass: dict[str, float] = {}
        for t, w in ts:
            mass[t] = mass.get(t, 0.0) + w
        for t, m in mass.items():
            # log-scaled tf on the (possibly fractional) mass: 1 occurrence -> 1, frame-only -> its weight
            tf = 1.0 + math.log(m) if m >= 1.0 else m
            matrix[row, col[t]] = tf * (math.log((1 + n) / (1 + df[t])) + 1.0)
    return _Weights(vocab, matrix)


def _soft_pairs(vocab: list[str], vectors: WordVectors, floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, strength) for distinct terms of the vocabulary whose vectors are close."""
    known = np.array([t in vectors for t in vocab], dtype=bool)
    cols = np.nonzero(known)[0]
    if len(cols) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    emb = vectors.matrix[[vectors.index[vocab[c]] for c in cols]]
    cos = emb @ emb.T
    np.fill_diagonal(cos, -1.0)
    a, b = np.nonzero(cos > floor)
    strength = (cos[a, b] - floor) / (1.0 - floor)
    return cols[a], cols[b], np.round(strength, 12)


def sentence_similarities(
    texts: list[str],
    *,
    semantic: bool = True,
    vectors: WordVectors | None = None,
    soft_floor: float = SOFT_FLOOR,
    frame_weight: float = FRAME_WEIGHT,
) -> np.ndarray:
    """Pairwise fact similarity of sentences (n x n, symmetric, 1 on the diagonal of non-empty rows).

    With ``semantic=False`` this is the plain TF-IDF cosine of the original
    lexical grouping (no frames, no soft matching): the baseline.
    """
    if not semantic:
        vecs = sentence_vectors([terms(t) for t in texts])
        return vecs @ vecs.T
    weights = _tfidf([weighted_terms(t, frame_weight=frame_weight) for t in texts])
    x = weights.matrix
    gram = x @ x.T
    vectors = vectors if vectors is not None else load_word_vectors()
    i, j, strength = _soft_pairs(weights.vocab, vectors, soft_floor)
    if len(i):
        # x K y with K = I + S (S sparse, symmetric): accumulate S's columns into x S, then (x S) y.
        order = np.lexsort((i, j))
        i, j, strength = i[order], j[order], strength[order]
        contrib = x[:, i] * strength  # n x nnz
        starts = np.nonzero(np.r_[True, j[1:] != j[:-1]])[0]
        xs = np.zeros_like(x)
        xs[:, j[starts]] = np.add.reduceat(contrib, starts, axis=1)
        gram = gram + xs @ x.T
    diag = np.sqrt(np.clip(np.diag(gram), 0.0, None))
    diag[diag == 0] = 1.0
    sims = gram / diag[:, None] / diag[None, :]
    sims = np.round((sims + sims.T) / 2.0, 12)  # exact symmetry; rounding keeps ties stable
    return sims


# --------------------------------------------------------------------------------------
# Grouping


def group_facts(
    story: Story,
    *,
    threshold: float = FACT_THRESHOLD,
    semantic: bool = False,
    vectors: WordVectors | None = None,
) -> tuple[tuple[FactGroup, ...], dict[SentRef, int]]:
    """Fact groups of a story and the group of every sentence of its original articles.

    ``semantic=False`` gives the original purely lexical grouping (kept as the
    baseline for evaluation); ``vectors`` overrides the shipped word vectors.
    """
    refs = story.sent_refs()
    if not refs:
        return (), {}
    outlets = [story.outlet(r.article) for r in refs]
    sims = sentence_similarities([story.sent_text(r) for r in refs], semantic=semantic, vectors=vectors)
    n = len(refs)
    same_outlet = np.array(outlets)[:, None] == np.array(outlets)[None, :]
    candidates = np.argwhere(np.triu(sims >= threshold, k=1) & ~same_outlet)
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

    groups: list[FactGroup] = []
    group_of: dict[SentRef, int] = {}
    for gid, (_, idx) in enumerate(sorted(members.items())):
        sent_refs = tuple(refs[k] for k in idx)
        groups.append(FactGroup(id=gid, members=sent_refs, outlets=tuple(sorted({outlets[k] for k in idx}))))
        for ref in sent_refs:
            group_of[ref] = gid
    return tuple(groups), group_of
