"""Per-candidate features: one row of :data:`SENT_FEATURES` per candidate sentence, for the
summariser's second, sentence-level correction (position, quotes, what the n-gram model predicts
for its words, similarity to the other outlets' candidates, fact-group support, the document's
relevance to the story)."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from ..stories.model import Story
from .story_features import UNI_FEATURES, StoryFeatures

# The most cells of the candidate x candidate similarity worked out at once (float64, a few
# temporaries of that size): some 10 MB per block however many candidates a story has.
BLOCK_CELLS = 1 << 20

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
    unit = unit_rows(sf)
    doc = sf.doc_of
    sim_max, top3 = other_doc_similarity(unit, doc)
    sim_centroid = unit @ _unit_vector(np.asarray(unit.sum(axis=0)).ravel())
    sim_leads = unit @ _unit_vector(np.asarray(unit[np.flatnonzero(sent0 == 0)].sum(axis=0)).ravel())
    n_docs = int(doc.max()) + 1
    membership = sparse.csr_array((np.ones(len(doc)), (doc, np.arange(len(doc)))), shape=(n_docs, len(doc)))
    doc_vec = membership @ unit
    dn = np.sqrt(np.asarray(doc_vec.multiply(doc_vec).sum(axis=1)).ravel())
    dn[dn == 0] = 1.0
    doc_unit = sparse.csr_array(sparse.diags_array(1.0 / dn) @ doc_vec)
    sim_own = np.asarray(unit.multiply(doc_unit[doc]).sum(axis=1)).ravel()
    return np.column_stack([sim_max, top3, sim_centroid, sim_own, sim_leads])


def unit_rows(sf: StoryFeatures) -> sparse.csr_array:
    """Each candidate's tf-idf row over the story's content words (log-scaled tf, idf over the
    story's candidates), of unit length: a sparse float64 matrix, candidates x word types."""
    n = len(sf.cands)
    nu = len(sf.uni_keys)
    content = _content(sf)
    rows, cols = sf.cu_cand[content], sf.cu_type[content]  # a type occurs once per candidate
    tf = 1.0 + np.log(sf.cu_count[content].astype(np.float64))
    df = np.bincount(cols, minlength=nu)
    weights = tf * (np.log((1.0 + n) / (1.0 + df)) + 1.0)[cols]
    norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n))
    norms[norms == 0] = 1.0
    return sparse.csr_array((weights / norms[rows], (rows, cols)), shape=(n, max(nu, 1)))


def other_doc_similarity(
    unit: sparse.csr_array, doc: np.ndarray, *, block_cells: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``unit``: the highest cosine with a row of another document, and the mean of its
    three highest (a row of its own document counts 0), worked out a block of rows at a time so
    that a story of thousands of candidates never holds its n x n similarity.  A cosine is a
    sparse dot product summed in the row's own term order, so it is the same in any block."""
    n = unit.shape[0]
    columns = sparse.csr_array(unit.T)
    k3 = min(3, n)
    sim_max = np.zeros(n)
    top3 = np.zeros(n)
    step = max(1, (block_cells or BLOCK_CELLS) // max(n, 1))
    for start in range(0, n, step):
        rows = np.arange(start, min(n, start + step))
        sims = (unit[rows] @ columns).toarray()
        sims[doc[rows, None] == doc[None, :]] = 0.0
        sim_max[rows] = sims.max(axis=1)
        top = np.sort(np.partition(sims, n - k3, axis=1)[:, n - k3 :], axis=1)
        top3[rows] = top.mean(axis=1)
    return sim_max, top3


def _unit_vector(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v) or 1.0)
