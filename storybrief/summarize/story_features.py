"""Per-story features: one row of cheap numbers for every n-gram type the story's candidates carry.

A type is a stemmed word or a pair of adjacent ones.  Its row says how many outlets use it, how early
and how often, whether a reference summary usually keeps it (the :class:`~.priors.Priors` counted on
Multi-News train) and how well supported the sentences holding it are.  The candidate x type incidence
lists say which candidates carry which types, and :func:`coverage_table` turns a predicted count into
the expected ROUGE matches of using a type ``n`` times.

Everything is numpy over the story's tokens laid out as parallel arrays (:class:`_StoryTokens`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np

from ..stories.model import Story
from .features import _SIGNALS, STOP_STEMS, ArticlePrep, Candidate, article_prep, story_candidates
from .priors import Priors, _prior_cols

# what a word and a word pair are both described by: counts, spread, position, the train prior
# fmt: off
_TYPE_FEATURES = (
    "log_tf",
    "df",
    "df_frac",
    "n_docs",
    "first_rel_pos",
    "first_sent",
    "mean_rel_pos",
    "prior_p",
    "prior_mean",
    "prior_log_src",
)
# fmt: on
UNI_FEATURES = _TYPE_FEATURES + (
    "is_stop",
    "is_digit",
    "length",
    "log_total_tokens",
    "tf_selectable",
    "tf_rank",
    "max_doc_rel",
    "density",
    "tf_lead",
    "max_outlets",
    "tf_quoted",
)
BI_FEATURES = _TYPE_FEATURES + (
    "log_total_tokens",
    "tf_selectable",
    "max_doc_rel",
    "tf_lead",
    "max_outlets",
    "tf_quoted",
    "p1",
    "p2",
    "stop1",
    "stop2",
    "df1",
    "df2",
    "known",
)


@dataclass
class StoryFeatures:
    """Everything the summariser needs about one story.

    ``cu_*`` and ``cb_*`` are the candidate x type incidence lists, flattened:
    entry ``k`` says candidate ``cu_cand[k]`` holds type ``cu_type[k]``
    ``cu_count[k]`` times (sorted by candidate).
    """

    cands: list[Candidate]
    uni_keys: list[str]
    bi_pairs: tuple[np.ndarray, np.ndarray]  # the two words (indices into uni_keys) of each bigram type
    uni_x: np.ndarray
    bi_x: np.ndarray
    cu_cand: np.ndarray
    cu_type: np.ndarray
    cu_count: np.ndarray
    cb_cand: np.ndarray
    cb_type: np.ndarray
    cb_count: np.ndarray
    tokens: np.ndarray  # ROUGE-style token count of each candidate
    doc_of: np.ndarray  # document order (0..) of each candidate
    doc_rel: np.ndarray  # per document: cosine with the rest of the story
    outlets: np.ndarray  # fact-group support (outlets) of each candidate
    quoted: np.ndarray  # share of the candidate inside quotation marks
    signals: np.ndarray  # text signals of each candidate (see ArticlePrep)

    @property
    def bi_keys(self) -> list[str]:
        """Bigram types as "w1 w2" strings (for training; the summariser never needs them)."""
        u = self.uni_keys
        return [u[a] + " " + u[b] for a, b in zip(self.bi_pairs[0].tolist(), self.bi_pairs[1].tolist())]


def story_features(story: Story, priors: Priors) -> StoryFeatures:
    """The story's candidates, the rows of its word and word-pair types, and which candidate holds which."""
    cands = story_candidates(story)
    preps = [article_prep(story.articles[i]) for i in story.originals]
    tk = _story_tokens(story, cands, preps)
    uni_x, up, df, gid = _unigram_rows(tk, priors)
    b_tok, codes, b_type = _bigram_types(tk)
    bi_pairs, bi_x = _bigram_rows(tk, priors, b_tok, codes, b_type, up, df, gid)
    cu = _incidence(tk.t_cand, tk.t_type, len(tk.uni_keys))
    cb = _incidence(tk.t_cand[b_tok], b_type, len(codes))
    return StoryFeatures(
        cands=cands,
        uni_keys=tk.uni_keys,
        bi_pairs=bi_pairs,
        uni_x=uni_x,
        bi_x=bi_x,
        cu_cand=cu[0],
        cu_type=cu[1],
        cu_count=cu[2],
        cb_cand=cb[0],
        cb_type=cb[1],
        cb_count=cb[2],
        tokens=tk.lens,
        doc_of=tk.doc_of,
        doc_rel=tk.doc_rel,
        outlets=tk.outlets,
        quoted=tk.quoted,
        signals=tk.signals,
    )


@dataclass
class _StoryTokens:
    """The story's candidate tokens as parallel arrays (``t_*``: one entry per token, in reading order),
    with what each token inherits from its candidate and its document."""

    uni_keys: list[str]  # the word types, in order of first sight (tf_rank breaks ties by it)
    n_docs: int
    total: int  # tokens in the story (at least 1)
    is_stop: np.ndarray  # per type
    lens: np.ndarray  # per candidate: its token count
    doc_of: np.ndarray  # per candidate: the order of its document
    outlets: np.ndarray  # per candidate: fact-group support
    quoted: np.ndarray  # per candidate: share inside quotation marks
    signals: np.ndarray  # per candidate: text signals
    doc_rel: np.ndarray  # per document: cosine with the rest of the story
    t_type: np.ndarray
    t_cand: np.ndarray
    t_doc: np.ndarray
    first_tok: np.ndarray  # relative position of the token in its document
    t_sent: np.ndarray
    t_sel: np.ndarray
    t_out: np.ndarray
    t_quo: np.ndarray
    t_rel: np.ndarray


def _story_tokens(story: Story, cands: list[Candidate], preps: list[ArticlePrep]) -> _StoryTokens:
    nc = len(cands)
    # documents that hold a candidate, in reading order
    doc_index = {a: d for d, a in enumerate(dict.fromkeys(c.article for c in cands))}
    per_cand = [toks for prep in preps for toks in prep.tokens]
    all_toks = list(chain.from_iterable(per_cand))
    # ids in order of first sight (tf_rank breaks ties by it)
    uni_keys = list(dict.fromkeys(all_toks))
    vocab = {k: i for i, k in enumerate(uni_keys)}
    t_type = np.fromiter(map(vocab.__getitem__, all_toks), dtype=np.int64, count=len(all_toks))
    nu = len(uni_keys)
    n_docs = max(len(doc_index), 1)
    lens = np.fromiter(map(len, per_cand), dtype=np.int64, count=nc)
    t_cand = np.repeat(np.arange(nc), lens)
    doc_of = np.fromiter((doc_index[c.article] for c in cands), dtype=np.int64, count=nc)
    sent_of = np.fromiter((c.sents[0] for c in cands), dtype=np.float32, count=nc)
    sel_of = np.fromiter((c.selectable for c in cands), dtype=np.float32, count=nc)
    outlets = _fact_outlets(story, cands)
    quoted = np.concatenate([prep.quoted for prep in preps]) if preps else np.zeros(0, np.float32)
    signals = (
        np.concatenate([prep.signals for prep in preps]) if preps else np.zeros((0, _SIGNALS), np.float32)
    )
    t_doc = doc_of[t_cand]
    is_stop = np.fromiter(map(STOP_STEMS.__contains__, uni_keys), dtype=np.float32, count=nu)
    doc_rel = _doc_relevance(t_doc, t_type, is_stop == 0, n_docs, nu) if nu else np.ones(n_docs, np.float32)
    return _StoryTokens(
        uni_keys=uni_keys,
        n_docs=n_docs,
        total=max(len(t_type), 1),
        is_stop=is_stop,
        lens=lens,
        doc_of=doc_of,
        outlets=outlets,
        quoted=quoted,
        signals=signals,
        doc_rel=doc_rel,
        t_type=t_type,
        t_cand=t_cand,
        t_doc=t_doc,
        first_tok=_positions_in_doc(t_doc, len(t_type), n_docs),
        t_sent=sent_of[t_cand],
        t_sel=sel_of[t_cand],
        t_out=outlets[t_cand],
        t_quo=quoted[t_cand],
        t_rel=doc_rel[t_doc],
    )


def _fact_outlets(story: Story, cands: list[Candidate]) -> np.ndarray:
    """Per candidate: the most outlets of a fact group one of its sentences belongs to (1 if none)."""
    group_of = story.group_of
    groups = story.fact_groups
    return np.fromiter(
        (
            max(
                (
                    groups[g].size
                    for g in (group_of.get(r) for r in c.refs)
                    if g is not None and g < len(groups)
                ),
                default=1,
            )
            for c in cands
        ),
        dtype=np.float32,
        count=len(cands),
    )


def _positions_in_doc(t_doc: np.ndarray, n_tokens: int, n_docs: int) -> np.ndarray:
    """Relative position of each token in its document (0 at the document's start)."""
    doc_len = np.bincount(t_doc, minlength=n_docs).astype(np.float32)
    first_tok = np.zeros(n_tokens, dtype=np.float32)
    if n_tokens:
        order_in_doc: np.ndarray
        if np.all(np.diff(t_doc) >= 0):
            order_in_doc = np.arange(n_tokens) - np.searchsorted(t_doc, t_doc, side="left")
        else:  # documents are contiguous by construction; keep a safe fallback
            order_in_doc = np.zeros(n_tokens)
            seen: dict[int, int] = {}
            for k, d in enumerate(t_doc.tolist()):
                order_in_doc[k] = seen.get(d, 0)
                seen[d] = seen.get(d, 0) + 1
        first_tok = (order_in_doc / np.maximum(doc_len[t_doc], 1)).astype(np.float32)
    return first_tok


def _doc_relevance(
    doc_of_tok: np.ndarray, type_of_tok: np.ndarray, content: np.ndarray, n_docs: int, n_types: int
) -> np.ndarray:
    """Cosine of each document's content-word vector with the other documents' sum."""
    if n_docs <= 1:
        return np.ones(max(n_docs, 1), dtype=np.float32)
    mask = content[type_of_tok]
    m = np.zeros((n_docs, n_types), dtype=np.float32)
    np.add.at(m, (doc_of_tok[mask], type_of_tok[mask]), 1.0)
    m = np.log1p(m)
    others = m.sum(axis=0, keepdims=True) - m
    num = (m * others).sum(axis=1)
    den = np.linalg.norm(m, axis=1) * np.linalg.norm(others, axis=1)
    den[den == 0] = 1.0
    return (num / den).astype(np.float32)


def _type_stats(tk: _StoryTokens, types: np.ndarray, n: int, tok: np.ndarray) -> list[np.ndarray]:
    """Per type (``types[k]`` is the type of token ``tok[k]``): tf, df, first position, first sentence,
    mean position, tf in selectable candidates, best document relevance, tf in leads, most outlets and
    quoted share."""
    n_docs = tk.n_docs
    d = tk.t_doc[tok]
    tf = np.bincount(types, minlength=n).astype(np.float32)
    pair = np.unique(types * n_docs + d)
    df = np.bincount(pair // n_docs, minlength=n).astype(np.float32)
    # per-type minima and maxima by one sort and reduceat (every type 0..n-1 occurs)
    order = np.argsort(types, kind="stable")
    sorted_types = types[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_types[1:] != sorted_types[:-1])))
    tok_sorted = tok[order]

    def group(values: np.ndarray, ufunc: np.ufunc, init: float) -> np.ndarray:
        return ufunc(ufunc.reduceat(values[tok_sorted], starts), np.float32(init)).astype(np.float32)

    first_pos = group(tk.first_tok, np.minimum, 1.0)
    first_sent = group(tk.t_sent, np.minimum, 50.0)
    mean_pos = np.bincount(types, weights=tk.first_tok[tok], minlength=n).astype(np.float32) / np.maximum(
        tf, 1
    )
    tf_sel = np.bincount(types, weights=tk.t_sel[tok], minlength=n).astype(np.float32)
    maxrel = group(tk.t_rel, np.maximum, 0.0)
    lead = np.bincount(types, weights=(tk.t_sent[tok] == 0), minlength=n).astype(np.float32)
    maxout = group(tk.t_out, np.maximum, 1.0)
    quo = np.bincount(types, weights=tk.t_quo[tok], minlength=n).astype(np.float32) / np.maximum(tf, 1)
    return [tf, df, first_pos, first_sent, mean_pos, tf_sel, maxrel, lead, maxout, quo]


def _unigram_rows(tk: _StoryTokens, priors: Priors) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(rows of :data:`UNI_FEATURES`, the prior columns, df, each type's row in the priors or -1)."""
    nu = len(tk.uni_keys)
    if not nu:
        return (
            np.zeros((0, len(UNI_FEATURES)), np.float32),
            np.zeros((0, 3), np.float32),
            np.zeros(0, np.float32),
            np.zeros(0, np.int64),
        )
    uni_keys, n_docs, total = tk.uni_keys, tk.n_docs, tk.total
    tf, df, first_pos, first_sent, mean_pos, tf_sel, maxrel, lead, maxout, quo = _type_stats(
        tk, tk.t_type, nu, np.arange(len(tk.t_type))
    )
    index, uni_rows, _, _ = priors.tables()
    gid = np.fromiter(map(index.get, uni_keys, repeat(-1, nu)), dtype=np.int64, count=nu)
    up = _prior_cols(uni_rows[gid], 0.05)
    is_digit = np.fromiter(map(str.isdigit, uni_keys), dtype=np.float32, count=nu)
    length = np.fromiter(map(len, uni_keys), dtype=np.float32, count=nu)
    rank = np.empty(nu, dtype=np.float32)
    rank[np.argsort(-tf, kind="stable")] = np.arange(nu, dtype=np.float32) / nu
    uni_x = np.column_stack(
        [
            *_counted_columns(tf, df, n_docs, first_pos, first_sent, mean_pos),
            up,
            tk.is_stop,
            is_digit,
            length,
            np.full(nu, math.log(total), np.float32),
            tf_sel,
            rank,
            maxrel,
            tf * 1000.0 / total,
            lead,
            maxout,
            quo,
        ]
    ).astype(np.float32)
    return uni_x, up, df, gid


def _counted_columns(
    tf: np.ndarray,
    df: np.ndarray,
    n_docs: int,
    first_pos: np.ndarray,
    first_sent: np.ndarray,
    mean_pos: np.ndarray,
) -> list[np.ndarray]:
    """The columns words and word pairs share before the prior: log_tf, df, df_frac, n_docs,
    first_rel_pos, first_sent, mean_rel_pos."""
    return [
        np.log1p(tf),
        df,
        df / n_docs,
        np.full(len(tf), n_docs, np.float32),
        first_pos,
        first_sent,
        mean_pos,
    ]


def _bigram_types(tk: _StoryTokens) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first token of each word pair inside a candidate, the pair types' codes, each pair's type)."""
    nu = len(tk.uni_keys)
    t_type, t_cand = tk.t_type, tk.t_cand
    if len(t_type) > 1:
        same = t_cand[1:] == t_cand[:-1]
        b_tok = np.nonzero(same)[0]
        code = t_type[b_tok] * max(nu, 1) + t_type[b_tok + 1]
        codes, b_type = np.unique(code, return_inverse=True)
    else:
        b_tok = np.zeros(0, np.int64)
        codes = np.zeros(0, np.int64)
        b_type = np.zeros(0, np.int64)
    return b_tok, codes, b_type


def _bigram_rows(
    tk: _StoryTokens,
    priors: Priors,
    b_tok: np.ndarray,
    codes: np.ndarray,
    b_type: np.ndarray,
    up: np.ndarray,
    df: np.ndarray,
    gid: np.ndarray,
) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """(the two words of each pair type, rows of :data:`BI_FEATURES`)."""
    nu, nb, n_docs, total, is_stop = len(tk.uni_keys), len(codes), tk.n_docs, tk.total, tk.is_stop
    if not nb:
        return (np.zeros(0, np.int64), np.zeros(0, np.int64)), np.zeros((0, len(BI_FEATURES)), np.float32)
    _, uni_rows, bi_codes, bi_rows = priors.tables()
    first = codes // max(nu, 1)
    second = codes % max(nu, 1)
    g1, g2 = gid[first], gid[second]
    code = g1 * (len(uni_rows) - 1) + g2
    at = np.minimum(np.searchsorted(bi_codes, code), max(len(bi_codes) - 1, 0))
    found = (g1 >= 0) & (g2 >= 0) & (bi_codes[at] == code) if len(bi_codes) else np.zeros(nb, bool)
    tf, bdf, first_pos, first_sent, mean_pos, tf_sel, maxrel, lead, maxout, quo = _type_stats(
        tk, b_type, nb, b_tok
    )
    bp = _prior_cols(bi_rows[np.where(found, at, len(bi_rows) - 1)], 0.01)
    known = (bp[:, 2] > 0).astype(np.float32)
    bi_x = np.column_stack(
        [
            *_counted_columns(tf, bdf, n_docs, first_pos, first_sent, mean_pos),
            bp,
            np.full(nb, math.log(total), np.float32),
            tf_sel,
            maxrel,
            lead,
            maxout,
            quo,
            up[first, 0],
            up[second, 0],
            is_stop[first],
            is_stop[second],
            df[first],
            df[second],
            known,
        ]
    ).astype(np.float32)
    return (first, second), bi_x


def _incidence(cand: np.ndarray, types: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(candidate, type, count) of every type a candidate holds, sorted by candidate."""
    if len(types) == 0:
        z = np.zeros(0, np.int64)
        return z, z, z
    key, count = np.unique(cand * max(n, 1) + types, return_counts=True)
    return key // max(n, 1), key % max(n, 1), count


# -- value tables ---------------------------------------------------------------------------

UNI_DEPTH = 40  # a summary may use "the" forty times
_LOG_FACT = np.array([math.lgamma(k + 1.0) for k in range(64)])
BI_DEPTH = 10


def coverage_table(mu: np.ndarray, depth: int) -> np.ndarray:
    """``F[g, n] = E[min(n, C_g)]`` for ``C_g ~ Poisson(mu_g)``, ``n = 0..depth+1``.

    The expected number of ROUGE matches that ``n`` uses of n-gram ``g`` earn
    when the reference uses it ``C_g`` times: each further use is worth
    ``P(C_g >= n)``, so repeats pay less and less.
    """
    mu = np.maximum(np.asarray(mu, dtype=np.float64), 1e-9)
    k = np.arange(depth, dtype=np.float64)
    # log P(C = k) for k = 0..depth-1, then P(C >= k + 1) = 1 - P(C <= k)
    logpmf = k[None, :] * np.log(mu)[:, None] - mu[:, None] - _LOG_FACT[:depth][None, :]
    survival = 1.0 - np.cumsum(np.exp(logpmf), axis=1)
    table = np.zeros((len(mu), depth + 2), dtype=np.float64)
    np.cumsum(np.maximum(survival, 0.0), axis=1, out=table[:, 1 : depth + 1])
    table[:, depth + 1] = table[:, depth]
    return table


def exact_table(counts: np.ndarray, depth: int) -> np.ndarray:
    """``F[g, n] = min(n, counts_g)``: the same table when the reference is known (training)."""
    n = np.arange(depth + 2)
    return np.minimum(n[None, :], np.asarray(counts)[:, None]).astype(np.float64)


def standalone_values(sf: StoryFeatures, fu: np.ndarray, fb: np.ndarray, beta: float) -> np.ndarray:
    """Value of each candidate on its own (uni + beta * bi expected matches)."""
    nc = len(sf.cands)
    vu = fu[sf.cu_type, np.minimum(sf.cu_count, fu.shape[1] - 1)] if len(sf.cu_type) else np.zeros(0)
    vb = fb[sf.cb_type, np.minimum(sf.cb_count, fb.shape[1] - 1)] if len(sf.cb_type) else np.zeros(0)
    return np.bincount(sf.cu_cand, weights=vu, minlength=nc) + beta * np.bincount(
        sf.cb_cand, weights=vb, minlength=nc
    )
