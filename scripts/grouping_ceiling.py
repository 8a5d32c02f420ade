#!/usr/bin/env python
"""How high can grouping score on pooled Multi-News clusters when every article is known up front?

The story index decides online: an article joins a story, or opens one, knowing only the articles
before it.  This script measures what an *offline* grouping reaches on the same pool, with the whole
pool in hand and the same signals (the index's TF-IDF terms, the pooled MiniLM vectors, the MiniLM
sentence vectors), so the online figures can be read against a ceiling:

* ``tfidf``: average-linkage clustering of the TF-IDF cosines (IDF over the whole pool);
* ``pairs``: average-linkage clustering of the probabilities of a pair model fitted on train pools.
  Each article is paired with its 20 nearest by TF-IDF and by MiniLM; a pair's features are both
  cosines, the best MiniLM cosine of their sentences (and the mean of the best three), their
  lengths, the years and numbers they share, and, known only offline, where each stands among the
  *other's* neighbours in the whole pool (ranks, and the gap to each one's nearest).  The model is
  scikit-learn's histogram gradient boosting.

For each it prints B-cubed precision, recall and F1 at the cut chosen on a train pool, and at the
best cut for the pool itself (a bound that peeks at the answers), then the shipped online index on
the same pool.  Val is only reported on; the pair model and the cuts come from train.

    python scripts/grouping_ceiling.py --clusters 1000
    python scripts/grouping_ceiling.py --clusters 6000    # all 5,622 val clusters

It holds two dense n x n matrices of cosines (float32: 1.2 GB for the 12,461 articles of val).

The analysis is read from the analysis cache, as ``storybrief eval grouping`` reads it.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storybrief.analysis import AnalyzedArticle, analyze_articles
from storybrief.analysis.embeddings import DIMS, unpack
from storybrief.config import Options
from storybrief.evaluate.grouping import b_cubed, pool_clusters, run_index
from storybrief.stories.index import article_signals

DATA = ROOT.parent / "shared" / "data" / "multinews"
NEIGHBOURS = 20  # each article's nearest by TF-IDF and by MiniLM are paired with it
SENTS = 60  # sentences of an article whose vectors are compared
YEAR = re.compile(r"\b(19[89]\d|20[0-3]\d)\b")
NUMBER = re.compile(r"\b\d[\d,.]*\d\b")
FEATURES = (
    "tfidf", "minilm", "sent_max", "sent_top3", "year_jaccard", "year_differs", "log_shared_numbers",
    "log_min_sents", "log_max_sents", "log_rank_tfidf_ij", "log_rank_tfidf_ji", "log_rank_minilm_ij",
    "log_rank_minilm_ji", "tfidf_gap_i", "tfidf_gap_j", "tfidf_x_minilm",
)  # fmt: skip


def tfidf_cosines(counts: list[dict[str, float]]) -> np.ndarray:
    """The n x n TF-IDF cosines of the index's term counts, with the IDF of the whole pool (float32)."""
    from scipy import sparse

    df = Counter(term for c in counts for term in c)
    vocab = {term: k for k, term in enumerate(df)}
    rows, cols, vals = [], [], []
    for r, c in enumerate(counts):
        for term, x in c.items():
            tf = 1.0 + math.log(x) if x >= 1.0 else x
            rows.append(r)
            cols.append(vocab[term])
            vals.append(tf * (math.log(len(counts) / df[term]) + 1))
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(counts), len(vocab)), dtype=np.float32)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1))).ravel()
    m = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ m
    return np.asarray((m @ m.T).todense(), dtype=np.float32)


def sentence_vectors(item: AnalyzedArticle) -> np.ndarray:
    rows = unpack(item.analysis.vectors).astype(np.float32) if item.analysis.vectors else np.zeros((0, DIMS))
    rows = rows[np.any(rows != 0, axis=1)][:SENTS]
    return rows if len(rows) else np.zeros((1, DIMS), np.float32)


def pair_features(items: list[AnalyzedArticle]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs (i < j), their :data:`FEATURES`, and the TF-IDF cosine of each."""
    n = len(items)
    signals = [article_signals(item) for item in items]
    t = tfidf_cosines([s.term_counts for s in signals])
    v = np.stack([s.vector if s.vector is not None else np.zeros(DIMS, np.float32) for s in signals])
    m = v @ v.T
    for sims in (t, m):
        np.fill_diagonal(sims, -9.0)  # an article is not its own neighbour
    k = min(NEIGHBOURS, n - 1)
    near = np.hstack([np.argpartition(-t, k, axis=1)[:, :k], np.argpartition(-m, k, axis=1)[:, :k]])
    pairs = np.array(sorted({(min(i, j), max(i, j)) for i in range(n) for j in near[i].tolist() if i != j}))
    i, j = pairs[:, 0], pairs[:, 1]
    tij, mij = t[i, j], m[i, j]
    ranks = [
        np.array([(s[a] > x).sum() for a, x in zip(side, sim)])
        for s, sim in ((t, tij), (m, mij))
        for side in (i, j)
    ]
    best = t.max(axis=1)
    del t, m
    sents = [sentence_vectors(item) for item in items]
    years = [set(YEAR.findall(item.text)) for item in items]
    numbers = [set(NUMBER.findall(item.text)) - y for item, y in zip(items, years)]
    lengths = [len(item.analysis.sents) for item in items]
    features = np.zeros((len(pairs), len(FEATURES)))
    for k, (a, b) in enumerate(pairs.tolist()):
        top = np.sort((sents[a] @ sents[b].T).ravel())[::-1]
        ya, yb = years[a], years[b]
        features[k] = [
            tij[k], mij[k], top[0], top[:3].mean(),
            len(ya & yb) / len(ya | yb) if ya and yb else -1.0,
            1.0 if ya and yb and max(ya) != max(yb) else 0.0,
            math.log1p(len(numbers[a] & numbers[b])),
            math.log1p(min(lengths[a], lengths[b])), math.log1p(max(lengths[a], lengths[b])),
            *(math.log1p(r[k]) for r in ranks),
            best[a] - tij[k], best[b] - tij[k], tij[k] * mij[k],
        ]  # fmt: skip
    return pairs, features, tij


def average_linkage(n: int, pairs: np.ndarray, similarity: np.ndarray):
    """The average-linkage tree of distances 1 - similarity (1 for pairs not listed)."""
    from scipy.cluster.hierarchy import linkage

    distances = np.ones(n * (n - 1) // 2)
    i, j = pairs[:, 0], pairs[:, 1]
    distances[n * i - i * (i + 1) // 2 + (j - i - 1)] = np.clip(1.0 - similarity, 0.0, None)
    return linkage(distances, method="average")


def scores_by_cut(tree, gold: list[str], cuts: np.ndarray) -> dict[float, tuple[float, float, float]]:
    from scipy.cluster.hierarchy import fcluster

    return {float(c): b_cubed([str(x) for x in fcluster(tree, c, "distance")], gold) for c in cuts}


def load(data: str, clusters: int, seed: int, options: Options) -> tuple[list[AnalyzedArticle], list[str]]:
    pool = pool_clusters(data, clusters=clusters, seed=seed)
    return analyze_articles(pool.articles, options=options), list(pool.gold)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default=str(DATA / "val.0*.jsonl.gz"), help="the pool reported on (glob)")
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--train", default=str(DATA / "train.0*.jsonl.gz"), help="train files (glob)")
    parser.add_argument(
        "--fit-pools",
        default="1000:0,2000:0,1000:1,2000:1",
        help="train pools CLUSTERS:SEED the pair model is fitted on",
    )
    parser.add_argument("--cut-pool", default="2000:0", help="the train pool the cuts are chosen on")
    args = parser.parse_args(argv)
    from sklearn.ensemble import HistGradientBoostingClassifier

    options = Options()
    train: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]] = {}
    for spec in dict.fromkeys(args.fit_pools.split(",") + [args.cut_pool]):
        clusters, seed = (int(x) for x in spec.split(":"))
        items, gold = load(args.train, clusters, seed, options)
        pairs, features, tfidf = pair_features(items)
        train[spec] = pairs, features, tfidf, gold
        print(f"train {spec}: {len(items)} articles, {len(pairs)} pairs", flush=True)
    fitted = [train[s] for s in args.fit_pools.split(",")]
    model = HistGradientBoostingClassifier(
        max_iter=300, learning_rate=0.05, early_stopping=False, random_state=0
    )
    model.fit(
        np.vstack([f for _, f, _, _ in fitted]),
        np.concatenate([np.asarray(g)[p[:, 0]] == np.asarray(g)[p[:, 1]] for p, _, _, g in fitted]),
    )

    items, gold = load(args.data, args.clusters, args.seed, options)
    pairs, features, tfidf = pair_features(items)
    cuts = np.round(np.arange(0.3, 0.975, 0.025), 3)
    print(f"\n{len(items)} articles from the first {args.clusters} clusters of {args.data}, seed {args.seed}")
    print(f"{'grouping':<44} {'cut':>5} {'P':>7} {'R':>7} {'F1':>7}")
    for name, similarity in (("tfidf", lambda f, t: t), ("pairs", lambda f, t: model.predict_proba(f)[:, 1])):
        cp, cf, ct, cg = train[args.cut_pool]
        on_train = scores_by_cut(average_linkage(len(cg), cp, similarity(cf, ct)), cg, cuts)
        cut = max(on_train, key=lambda c: on_train[c][2])
        here = scores_by_cut(average_linkage(len(items), pairs, similarity(features, tfidf)), gold, cuts)
        peek = max(here, key=lambda c: here[c][2])
        for label, c in (
            (f"offline {name}, cut chosen on train {args.cut_pool}", cut),
            (f"offline {name}, best cut here", peek),
        ):
            p, r, f1 = here[c]
            print(f"{label:<44} {c:5.3f} {p:7.4f} {r:7.4f} {f1:7.4f}")
    p, r, f1 = b_cubed(run_index(items, options=options)[0], gold)
    print(f"{'online: the shipped story index':<44} {'':>5} {p:7.4f} {r:7.4f} {f1:7.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
