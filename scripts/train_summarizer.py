#!/usr/bin/env python
"""Rebuild the model of the default ``storybrief`` summariser from Multi-News *train*.

Usage (from the repository root; about 17 minutes on 2 cores, analysing the 14,000 clusters it
reads included; ``--cache`` keeps those analyses on disk for reruns)::

    python scripts/train_summarizer.py
    python scripts/train_summarizer.py --data ../shared/data/multinews --out storybrief/summarize/model --eval

It reads ``train.0*.jsonl.gz`` only, never val.  The clusters are used in file
order and split into disjoint parts, so no model is fitted to data that also
produced its inputs:

1. the first ``--priors`` clusters: word and word-pair priors (how often a
   reference keeps a source n-gram), stored as lookup arrays in ``model.npz``;
2. the next ``--token`` clusters: the two LightGBM Poisson models of an
   n-gram's count in the reference -> ``uni.txt.gz``, ``bi.txt.gz``;
3. the next ``--sent`` clusters: the sentence-level correction, fitted to
   what the token models get wrong on clusters they never saw -> ``sent.txt.gz``;
4. the last ``--dev`` clusters of train are held out for development
   (``--eval`` scores the new model on them with ``rouge-score-rs``).

The LightGBM models are saved in LightGBM's text format (``*.txt.gz``) and
converted to numpy tree arrays in ``model.npz``, which is all the summariser
loads: it needs neither LightGBM nor any parsing at run time.  LightGBM is
needed only here (``pip install -e '.[train]'``).

Everything is seeded and single-process; the same data gives the same files.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import itertools

from storybrief.analysis import analyze_articles
from storybrief.config import Options
from storybrief.sources.multinews import Cluster, iter_clusters
from storybrief.stories import build_story
from storybrief.summarize.features import ngram_tokens
from storybrief.summarize.methods.storybrief import SummaryModel, save_model
from storybrief.summarize.priors import Priors, count_priors
from storybrief.summarize.sentence_features import SENT_FEATURES, sentence_features
from storybrief.summarize.story_features import (
    BI_DEPTH,
    BI_FEATURES,
    UNI_DEPTH,
    UNI_FEATURES,
    coverage_table,
    exact_table,
    standalone_values,
    story_features,
)
from storybrief.summarize.trees import from_lightgbm_text

BETA = 2.0  # bigram matches weigh twice unigram matches (the summariser's default)
# seeded, deterministic, quiet: the same data gives the same trees
_COMMON_PARAMS = dict(
    num_leaves=31,
    feature_fraction=0.9,
    bagging_fraction=0.8,
    bagging_freq=1,
    seed=1,
    deterministic=True,
    force_row_wise=True,
    verbose=-1,
)
TOKEN_PARAMS = dict(
    _COMMON_PARAMS, objective="poisson", learning_rate=0.3, min_data_in_leaf=200, lambda_l2=1.0
)
TOKEN_ROUNDS = 30
SENT_PARAMS = dict(_COMMON_PARAMS, objective="regression", learning_rate=0.1, min_data_in_leaf=100)
SENT_ROUNDS = 100
GAMMA = 0.5  # weight of the sentence correction in the selection objective


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def read_clusters(data: Path) -> list[Cluster]:
    files = sorted(glob.glob(str(data / "train.0*.jsonl.gz")))
    if not files:
        raise SystemExit(f"no train.0*.jsonl.gz under {data}")
    out: list[Cluster] = []
    for f in files:
        out.extend(iter_clusters(f))
    return out


def stories_of(clusters: list[Cluster], cache: bool = False):
    """Each cluster with its story; ``cache``: read and fill the on-disk analysis
    cache (~/.cache/storybrief), which makes repeated runs much faster and
    gives the same analyses."""
    options = Options(ner=False, cache=cache)
    for c in clusters:
        analysed = analyze_articles(c.articles, options=options)
        yield c, build_story(analysed, options=options, id=c.id)


def reference_counts(summary: str) -> tuple[Counter, Counter]:
    ref = ngram_tokens(summary)
    return Counter(ref), Counter(f"{a} {b}" for a, b in itertools.pairwise(ref))


def token_rows(clusters: list[Cluster], priors: Priors, cache: bool = False):
    xu, yu, xb, yb = [], [], [], []
    for c, story in stories_of(clusters, cache):
        sf = story_features(story, priors)
        ru, rb = reference_counts(c.summary)
        xu.append(sf.uni_x)
        yu.append(np.array([ru.get(k, 0) for k in sf.uni_keys], np.float32))
        xb.append(sf.bi_x)
        yb.append(np.array([rb.get(k, 0) for k in sf.bi_keys], np.float32))
    return np.vstack(xu), np.concatenate(yu), np.vstack(xb), np.concatenate(yb)


def sentence_rows(clusters: list[Cluster], priors: Priors, uni, bi, cache: bool = False):
    xs, ys = [], []
    for c, story in stories_of(clusters, cache):
        sf = story_features(story, priors)
        if not sf.cands:
            continue
        mu_u = uni.predict(sf.uni_x, num_threads=1) if len(sf.uni_x) else np.zeros(0)
        mu_b = bi.predict(sf.bi_x, num_threads=1) if len(sf.bi_x) else np.zeros(0)
        words = np.maximum([x.words for x in sf.cands], 1)
        predicted = (
            standalone_values(sf, coverage_table(mu_u, UNI_DEPTH), coverage_table(mu_b, BI_DEPTH), BETA)
            / words
        )
        ru, rb = reference_counts(c.summary)
        cu = np.array([ru.get(k, 0) for k in sf.uni_keys], np.float64)
        cb = np.array([rb.get(k, 0) for k in sf.bi_keys], np.float64)
        actual = standalone_values(sf, exact_table(cu, UNI_DEPTH), exact_table(cb, BI_DEPTH), BETA) / words
        x = sentence_features(story, sf, mu_u, mu_b, predicted)
        sel = np.array([x_.selectable for x_ in sf.cands])
        xs.append(x[sel])
        ys.append((actual - predicted)[sel])
    return np.vstack(xs), np.concatenate(ys)


def save_booster(booster, path: Path) -> str:
    """Write ``booster`` in LightGBM's text format, gzipped, and return the text."""
    text = booster.model_to_string(num_iteration=-1)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(text.encode("utf-8"))
    return text


def evaluate(clusters: list[Cluster], words: int, model_dir: Path, cache: bool = False) -> dict[str, float]:
    """ROUGE F1 x 100 of the freshly written model (in ``model_dir``) on held-out train clusters."""
    from rouge_score_rs import rouge_scorer

    import storybrief.summarize.methods.storybrief as method
    from storybrief.evaluate.summary import to_reference_text, to_summary_text

    summarizer = method.StorybriefSummarizer(model=method.load_model_dir(model_dir))
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    scorer = rouge_scorer.RougeScorer(types, use_stemmer=True)
    refs, preds = [], []
    for c, story in stories_of(clusters, cache):
        refs.append(to_reference_text(c.summary))
        preds.append(to_summary_text(story, summarizer.summarize(story, words=words)))
    scores = [scorer.score(r, p) for r, p in zip(refs, preds)]
    return {t: round(100 * float(np.mean([s[t].fmeasure for s in scores])), 2) for t in types}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--data",
        type=Path,
        default=ROOT.parent / "shared" / "data" / "multinews",
        help="folder with train.0*.jsonl.gz",
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=ROOT / "storybrief" / "summarize" / "model",
        help="where the model files go",
    )
    ap.add_argument("--priors", type=int, default=30000, help="clusters for the n-gram priors")
    ap.add_argument("--token", type=int, default=7000, help="clusters for the n-gram count models")
    ap.add_argument("--sent", type=int, default=6000, help="clusters for the sentence correction")
    ap.add_argument("--dev", type=int, default=1000, help="last train clusters held out")
    ap.add_argument(
        "--threads",
        type=int,
        default=1,
        help="LightGBM threads (the shipped model was fitted with 1; other counts may change the trees slightly)",
    )
    ap.add_argument(
        "--token-leaves",
        type=int,
        default=TOKEN_PARAMS["num_leaves"],
        help="leaves per tree of the n-gram count models",
    )
    ap.add_argument(
        "--eval",
        action="store_true",
        help="score the new model on the held-out clusters (needs rouge-score-rs)",
    )
    ap.add_argument("--words", type=int, default=230, help="summary budget for --eval")
    ap.add_argument(
        "--cache", action="store_true", help="use the on-disk analysis cache (faster reruns, same model)"
    )
    args = ap.parse_args(argv)

    import lightgbm as lgb

    t0 = time.time()
    clusters = read_clusters(args.data)
    n_dev = args.dev
    usable = clusters[: len(clusters) - n_dev]
    dev = clusters[len(clusters) - n_dev :]
    p_set = usable[: args.priors]
    a_set = usable[args.priors : args.priors + args.token]
    b_set = usable[args.priors + args.token : args.priors + args.token + args.sent]
    log(
        f"{len(clusters)} train clusters: priors {len(p_set)}, token models {len(a_set)}, sentence model {len(b_set)}, held out {len(dev)}"
    )
    if not (p_set and a_set):
        raise SystemExit("not enough clusters for priors and token models")

    priors = count_priors(([a.text for a in c.articles], c.summary) for c in p_set)
    log(f"priors: {len(priors.words)} words, {len(priors.bi_codes)} word pairs")

    xu, yu, xb, yb = token_rows(a_set, priors, args.cache)
    log(f"token rows: {len(yu)} words, {len(yb)} word pairs")
    TOKEN_PARAMS["num_leaves"] = args.token_leaves
    params = dict(TOKEN_PARAMS, num_threads=args.threads)
    uni = lgb.train(params, lgb.Dataset(xu, yu, feature_name=list(UNI_FEATURES)), TOKEN_ROUNDS)
    bi = lgb.train(params, lgb.Dataset(xb, yb, feature_name=list(BI_FEATURES)), TOKEN_ROUNDS)
    del xu, yu, xb, yb
    log("token models trained")

    sent = None
    if b_set:
        xs, ys = sentence_rows(b_set, priors, uni, bi, args.cache)
        sent = lgb.train(
            dict(SENT_PARAMS, num_threads=args.threads),
            lgb.Dataset(xs, ys, feature_name=list(SENT_FEATURES)),
            SENT_ROUNDS,
        )
        log(f"sentence model trained on {len(ys)} candidates")

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    uni_text = save_booster(uni, out / "uni.txt.gz")
    bi_text = save_booster(bi, out / "bi.txt.gz")
    sent_text = save_booster(sent, out / "sent.txt.gz") if sent is not None else None
    if sent is None and (out / "sent.txt.gz").exists():
        os.remove(out / "sent.txt.gz")
    meta = {
        "kind": "storybrief.summary-model",
        "version": 1,
        "trained_on": "Multi-News train (train.0*.jsonl.gz), file order",
        "clusters": {"priors": len(p_set), "token": len(a_set), "sent": len(b_set), "held_out": len(dev)},
        "beta": BETA,
        "gamma": GAMMA if sent is not None else 0.0,
        "sent": sent is not None,
        "token_params": TOKEN_PARAMS,
        "token_rounds": TOKEN_ROUNDS,
        "sent_params": SENT_PARAMS,
        "sent_rounds": SENT_ROUNDS,
        "uni_features": list(UNI_FEATURES),
        "bi_features": list(BI_FEATURES),
        "sent_features": list(SENT_FEATURES),
    }
    # what the summariser loads: the priors' arrays and the trees as numpy arrays (model.npz) + meta.json
    save_model(
        out,
        SummaryModel(
            priors=priors,
            uni=from_lightgbm_text(uni_text),
            bi=from_lightgbm_text(bi_text),
            sent=from_lightgbm_text(sent_text) if sent_text is not None else None,
            meta=meta,
        ),
    )
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    log(f"wrote {out} ({size / 1e6:.2f} MB) in {time.time() - t0:.0f} s")

    if args.eval and dev:
        log(f"held-out train clusters, {args.words} words: {evaluate(dev, args.words, out, args.cache)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
