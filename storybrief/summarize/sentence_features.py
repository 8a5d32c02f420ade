"""Per-candidate features: one row of :data:`SENT_FEATURES` per candidate sentence, for the
summariser's second, sentence-level correction (position, quotes, what the n-gram model predicts
for its words, similarity to the other outlets' candidates, fact-group support, the document's
relevance to the story)."""

from __future__ import annotations

import numpy as np

from ..stories.model import Story
from .story_features import UNI_FEATURES, StoryFeatures

# fmt: off
SENT_FEATURES = (
    "sent",
    "rel_sent",
    "doc_order",
    "n_docs",
    "words",
    "run",
    "trimmed",
    "pronoun_start",
    "quoted",
    "starts_quote",
    "has_said",
    "question",
    "digits",
    "value",
    "p_content_mean",
    "p_content_max",
    "p_bi_mean",
    "content_frac",
    "prior_content_mean",
    "sim_other_max",
    "sim_other_top3",
    "sim_centroid",
    "sim_own_doc",
    "sim_leads",
    "fact_outlets",
    "fact_outlets_frac",
    "doc_rel",
    "doc_words",
    "doc_sents",
)
# fmt: on


def sentence_features(
    story: Story, sf: StoryFeatures, mu_uni: np.ndarray, mu_bi: np.ndarray, value: np.ndarray
) -> np.ndarray:
    """One row of :data:`SENT_FEATURES` per candidate; ``value`` is its standalone predicted value per word."""
    cands = sf.cands
    n = len(cands)
    out = np.zeros((n, len(SENT_FEATURES)), dtype=np.float32)
    if n == 0:
        return out
    doc = sf.doc_of
    sent0 = np.fromiter((c.sents[0] for c in cands), dtype=np.int64, count=n)
    n_docs = int(doc.max()) + 1
    words = np.fromiter((c.words for c in cands), dtype=np.float32, count=n)
    doc_words = np.bincount(doc, weights=words, minlength=n_docs)
    doc_sents = np.bincount(doc, minlength=n_docs).astype(np.float32)
    pos_in_doc = np.zeros(n, dtype=np.float32)
    seen: dict[int, int] = {}
    for i, d in enumerate(doc.tolist()):
        pos_in_doc[i] = seen.get(d, 0)
        seen[d] = seen.get(d, 0) + 1

    out[:, 0] = sent0
    out[:, 1] = pos_in_doc / np.maximum(doc_sents[doc], 1)
    out[:, 2] = doc
    out[:, 3] = n_docs
    out[:, 4] = words
    out[:, 5] = [len(c.sents) for c in cands]
    out[:, 6] = [c.trimmed for c in cands]
    out[:, 7] = [c.pronoun_start for c in cands]
    out[:, 8] = sf.quoted
    out[:, 9:13] = sf.signals
    out[:, 13] = value
    out[:, 14:19] = _predicted_columns(sf, mu_uni, mu_bi)
    out[:, 19:24] = _similarity_columns(sf, sent0)
    out[:, 24] = sf.outlets
    out[:, 25] = sf.outlets / n_docs
    out[:, 26] = sf.doc_rel[doc]
    out[:, 27] = doc_words[doc]
    out[:, 28] = doc_sents[doc]
    return out


def _content(sf: StoryFeatures) -> np.ndarray:
    """Per entry of the candidate x word incidence: is the word a content word (not a stop word)?"""
    nu = len(sf.uni_keys)
    stop = sf.uni_x[:, UNI_FEATURES.index("is_stop")] > 0 if nu else np.zeros(0, bool)
    return ~stop[sf.cu_type] if nu else np.zeros(0, bool)


def _predicted_columns(sf: StoryFeatures, mu_uni: np.ndarray, mu_bi: np.ndarray) -> np.ndarray:
    """p_content_mean, p_content_max, p_bi_mean, content_frac, prior_content_mean: what the n-gram
    model predicts for the candidate's words and word pairs, and the train prior of its words."""
    n = len(sf.cands)
    nu = len(sf.uni_keys)
    prior = sf.uni_x[:, UNI_FEATURES.index("prior_p")] if nu else np.zeros(0, np.float32)
    p_uni = 1.0 - np.exp(-np.asarray(mu_uni, dtype=np.float64))
    p_bi = 1.0 - np.exp(-np.asarray(mu_bi, dtype=np.float64))
    cc, ct, cn = sf.cu_cand, sf.cu_type, sf.cu_count
    content = _content(sf)
    ntok = np.maximum(np.bincount(cc, weights=cn, minlength=n), 1)
    ccount: np.ndarray
    pc_sum: np.ndarray
    prior_sum: np.ndarray
    if nu:
        ccount = np.bincount(cc[content], weights=cn[content], minlength=n)
        pc_sum = np.bincount(cc[content], weights=(p_uni[ct] * cn)[content], minlength=n)
        pc_max = np.zeros(n)
        np.maximum.at(pc_max, cc[content], p_uni[ct][content])
        prior_sum = np.bincount(cc[content], weights=(prior[ct] * cn)[content], minlength=n)
    else:
        ccount = pc_sum = pc_max = prior_sum = np.zeros(n)
    nbt = np.maximum(np.bincount(sf.cb_cand, weights=sf.cb_count, minlength=n), 1)
    pb_sum = (
        np.bincount(sf.cb_cand, weights=p_bi[sf.cb_type] * sf.cb_count, minlength=n)
        if len(sf.cb_type)
        else np.zeros(n)
    )
    return np.column_stack(
        [
            pc_sum / np.maximum(ccount, 1),
            pc_max,
            pb_sum / nbt,
            ccount / ntok,
            prior_sum / np.maximum(ccount, 1),
        ]
    )


def _similarity_columns(sf: StoryFeatures, sent0: np.ndarray) -> np.ndarray:
    """sim_other_max, sim_other_top3, sim_centroid, sim_own_doc, sim_leads: cosines of the candidate's
    tf-idf vector (content words, idf over the story's candidates) with the other documents'
    candidates, the story's centroid, its own document and the leads."""
    n = len(sf.cands)
    nu = len(sf.uni_keys)
    m = np.zeros((n, max(nu, 1)), dtype=np.float32)
    cc, ct, cn = sf.cu_cand, sf.cu_type, sf.cu_count
    content = _content(sf)
    if nu:
        m[cc[content], ct[content]] = 1.0 + np.log(cn[content])
        df = (m > 0).sum(axis=0)
        m *= (np.log((1.0 + n) / (1.0 + df)) + 1.0)[None, :]
    norms = np.linalg.norm(m, axis=1)
    norms[norms == 0] = 1.0
    unit = m / norms[:, None]
    sims = unit @ unit.T
    doc = sf.doc_of
    same = doc[:, None] == doc[None, :]
    other = np.where(same, 0.0, sims)
    sim_max = other.max(axis=1)
    k3 = min(3, n)
    top3 = np.sort(other, axis=1)[:, -k3:].mean(axis=1)
    centroid = unit.sum(axis=0)
    sim_centroid = unit @ (centroid / (np.linalg.norm(centroid) or 1.0))
    lead_vec = unit[sent0 == 0].sum(axis=0)
    sim_leads = unit @ (lead_vec / (np.linalg.norm(lead_vec) or 1.0))
    n_docs = int(doc.max()) + 1
    doc_vec = np.zeros((n_docs, unit.shape[1]), dtype=np.float32)
    np.add.at(doc_vec, doc, unit)
    dn = np.linalg.norm(doc_vec, axis=1)
    dn[dn == 0] = 1.0
    sim_own = (unit * (doc_vec / dn[:, None])[doc]).sum(axis=1)
    return np.column_stack([sim_max, top3, sim_centroid, sim_own, sim_leads])
