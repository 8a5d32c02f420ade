"""Measure candidate same-fact signals on the labelled pair set (tests/data/fact_pairs.json).

Each option is a pairwise decision over features of the two sentences; it is fitted and its
threshold chosen on the calibration two-thirds only (threshold: the highest recall whose
out-of-fold precision reaches --precision), then applied once to the held-out third.  The
held-out *curve* (the best recall at each precision, threshold read off the held-out pairs
themselves) is printed beside it as a ceiling, not as a result.

    LABEL_FACT_PAIRS_CACHE=1 python scripts/fact_pair_options.py [--precision 0.95] [--save FILE]

Features of a pair (A, B):

* ``sim``, ``cos``, ``overlap``: storybrief's fact similarity, its MiniLM cosine and its gated
  term overlap (:class:`storybrief.stories.facts.FactSimilarity`);
* ``bertscore``: greedy token alignment of MiniLM's contextual token vectors (last hidden
  states, word pieces IDF-weighted over the story's sentences), the F of the two directions;
  ``bertscore_min``: the weaker direction;
* agreement: numbers shared / all different, capitalised names shared (Jaccard) / all
  different, main-verb lemmas shared (spaCy's tagger; "say" and "tell" left out), negation
  and modality ("may", "could", "plans to" ...) present in one only, length ratio.

``grouped`` (the pair ends in one fact group, as ``label_fact_pairs.py score`` counts it) is
printed as the reference.  The token encoder's CPU time per sentence is printed too: it is
the extra cost a briefing would pay for ``bertscore`` (the analysis stores pooled vectors only).

Measured on the 624 pairs (threshold for precision >= 0.95 on calibration; held-out P / R):
fact groups today 0.914 / 0.320; ``sim`` alone 1.000 / 0.050; ``bertscore`` alone 0.957 /
0.220; logistic over sim, cos, overlap 1.000 / 0.050; + token alignment 1.000 / 0.050;
+ agreement 1.000 / 0.140; all 0.964 / 0.270.  No option reaches recall 0.4 at precision
0.95 even on the held-out curve (best 0.36, ``overlap``); Multi-News text is lower-cased, so
the name features see almost nothing there.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from label_fact_pairs import find_ref, half_of, load_stories, read_pairs, same_fact_groups

from storybrief.analysis.frames import reported_content
from storybrief.stories.facts import story_similarity
from storybrief.stories.model import Story

# --------------------------------------------------------------------------------------
# Contextual token vectors (MiniLM's last hidden states)


class TokenEncoder:
    """MiniLM's last hidden states of a text (word pieces, [CLS]/[SEP] dropped, unit rows), from
    the same safetensors and graph builders as :mod:`storybrief.analysis.embeddings` (float32)."""

    def __init__(self, cache: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from storybrief.analysis import embeddings

        model_dir = embeddings._model_dir()
        path = cache / f"minilm-hidden-v{embeddings.GRAPH_VERSION}.onnx"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_hidden_graph(model_dir, path)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(embeddings.MAX_TOKENS)
        self.cpu = 0.0
        self.count = 0

    def ids(self, text: str) -> list[int]:
        return list(self.tokenizer.encode(text).ids[1:-1])

    def __call__(self, text: str) -> tuple[list[int], np.ndarray]:
        start = time.process_time()
        ids = self.tokenizer.encode(text).ids
        row = np.asarray([ids], dtype=np.int64)
        (hidden,) = self.session.run(["hidden"], {"input_ids": row, "attention_mask": np.ones_like(row)})
        vecs = hidden[0, 1:-1]
        self.cpu += time.process_time() - start
        self.count += 1
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return list(ids[1:-1]), vecs / np.maximum(norms, 1e-12)


def _write_hidden_graph(model_dir: Path, path: Path) -> None:
    import onnx
    from onnx import TensorProto, helper

    from storybrief.analysis import embeddings

    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    g = embeddings._Graph(
        embeddings._read_safetensors(model_dir / "model.safetensors"), float(config["layer_norm_eps"])
    )
    x = embeddings._embed(g, "input_ids")
    mask32 = g.node("Cast", ["attention_mask"], to=TensorProto.INT32)
    for layer in range(config["num_hidden_layers"]):
        x = embeddings._encoder_layer(g, x, mask32, f"encoder.layer.{layer}", config["num_attention_heads"])
    g.nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "tokens"])
        for name in ("input_ids", "attention_mask")
    ]
    output = helper.make_tensor_value_info(
        "hidden", TensorProto.FLOAT, ["batch", "tokens", config["hidden_size"]]
    )
    model = helper.make_model(
        helper.make_graph(g.nodes, "minilm_l6_hidden", inputs, [output], g.inits),
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
    )
    model.ir_version = 8
    onnx.save(model, str(path))


def bertscore(
    a: tuple[Sequence[int], np.ndarray], b: tuple[Sequence[int], np.ndarray], idf: Callable[[int], float]
) -> tuple[float, float]:
    """Greedy token alignment of two texts' unit token vectors: each token takes its best cosine
    in the other text, averaged with IDF weights; (F of the two directions, the weaker one)."""
    (ids_a, va), (ids_b, vb) = a, b
    if not len(ids_a) or not len(ids_b):
        return 0.0, 0.0
    cos = va @ vb.T
    wa = np.array([idf(i) for i in ids_a])
    wb = np.array([idf(i) for i in ids_b])
    recall = float(cos.max(axis=1) @ wa / wa.sum())
    precision = float(cos.max(axis=0) @ wb / wb.sum())
    f = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return f, min(precision, recall)


# --------------------------------------------------------------------------------------
# Agreement features

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve dozen dozens hundred hundreds "
    "thousand thousands million millions billion billions half".split()
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|nobody|none|nothing|neither|nor|without|den(?:y|ies|ied))\b|n't", re.I
)
_MODALITY = re.compile(
    r"\b(?:may|might|could|would|should|will|shall|can|plans?|planned|expected|likely|possibly|proposed?)\b",
    re.I,
)
_NAME = re.compile(r"\b[A-Z][\w'’-]+")
_SAY_VERBS = frozenset({"say", "tell", "add", "report"})


def numbers(text: str) -> set[str]:
    """The figures of a text: digit strings without separators, and number words."""
    found = {m.replace(",", "").rstrip(".") for m in _NUMBER.findall(text)}
    return found | {w for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}


def names(text: str) -> set[str]:
    """Capitalised words, the sentence's first word left out."""
    found = _NAME.findall(text)
    first = _NAME.match(text.lstrip(" \"'“‘("))
    return set(found) - ({first.group(0)} if first else set())


def _jaccard(a: set[Any], b: set[Any]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def agreement(a: str, b: str, verbs_a: set[str], verbs_b: set[str]) -> dict[str, float]:
    na, nb, ca, cb = numbers(a), numbers(b), names(a), names(b)
    wa, wb = len(a.split()), len(b.split())
    return {
        "numbers_shared": float(len(na & nb)),
        "numbers_differ": float(bool(na) and bool(nb) and not na & nb),
        "names_jaccard": _jaccard(ca, cb),
        "names_differ": float(bool(ca) and bool(cb) and not ca & cb),
        "verbs_jaccard": _jaccard(verbs_a, verbs_b),
        "negation_mismatch": float(bool(_NEGATION.search(a)) != bool(_NEGATION.search(b))),
        "modality_mismatch": float(bool(_MODALITY.search(a)) != bool(_MODALITY.search(b))),
        "length_ratio": min(wa, wb) / max(wa, wb, 1),
    }


# --------------------------------------------------------------------------------------
# Features of the labelled pairs


class StoryContext:
    """What a story's pairs share: its fact similarity, word-piece document frequencies, groups."""

    def __init__(self, story: Story, encoder: TokenEncoder) -> None:
        self.refs = story.sent_refs()
        self.index = {r: k for k, r in enumerate(self.refs)}
        self.sims, _ = story_similarity(story, self.refs)
        df: dict[int, int] = {}
        for r in self.refs:
            for i in set(encoder.ids(story.sent_text(r))):
                df[i] = df.get(i, 0) + 1
        n = len(self.refs)
        self.idf = lambda i: max(float(np.log((n + 1) / (df.get(i, 0) + 1))), 1e-3)
        self.group_of = same_fact_groups(story)


def pair_features(pairs: list[dict], stories: dict, encoder: TokenEncoder, nlp: Any) -> list[dict]:
    contexts: dict[tuple[str, str], StoryContext] = {}
    rows = []
    for p in pairs:
        key = (p["file"], p["cluster"])
        story = stories[key]
        a, b = find_ref(story, p["a"]), find_ref(story, p["b"])
        if a is None or b is None:
            continue
        ctx = contexts.get(key) or contexts.setdefault(key, StoryContext(story, encoder))
        i, j = np.array([ctx.index[a]]), np.array([ctx.index[b]])
        vectors = ctx.sims._vectors
        ta, tb = reported_content(story.sent_text(a)), reported_content(story.sent_text(b))
        bs, bs_min = bertscore(encoder(ta), encoder(tb), ctx.idf)
        verbs = [
            {t.lemma_.lower() for t in doc if t.pos_ == "VERB"} - _SAY_VERBS for doc in nlp.pipe([ta, tb])
        ]
        row = {
            "id": p["id"],
            "label": p["label"],
            "half": half_of(p),
            "grouped": float(ctx.group_of.get(a) is not None and ctx.group_of.get(a) == ctx.group_of.get(b)),
            "sim": float(ctx.sims.block(i, j)[0, 0]),
            "cos": float(np.clip(vectors[i[0]] @ vectors[j[0]], 0, 1)) if vectors is not None else 0.0,
            "overlap": float(min(side.overlap(i, j)[0, 0] for side in ctx.sims._sides)),
            "bertscore": bs,
            "bertscore_min": bs_min,
        }
        row.update(agreement(ta, tb, *verbs))
        rows.append(row)
    return rows


# --------------------------------------------------------------------------------------
# Decisions and their scores


def precision_recall(decision: np.ndarray, labels: np.ndarray) -> tuple[float, float, int, int]:
    tp = int((decision & (labels == 1)).sum())
    fp = int((decision & (labels == 0)).sum())
    positives = int((labels == 1).sum())
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / positives if positives else 1.0), tp, fp


def pick_threshold(scores: np.ndarray, labels: np.ndarray, precision: float) -> float:
    """The lowest threshold whose precision on (scores, labels) reaches ``precision`` and whose
    recall is the highest such (inf when none does)."""
    best, best_recall = np.inf, -1.0
    for t in np.unique(scores):
        p, r, _, _ = precision_recall(scores >= t, labels)
        if p >= precision and r > best_recall:
            best, best_recall = float(t), r
    return best


def curve(scores: np.ndarray, labels: np.ndarray, levels: Sequence[float] = (0.95, 0.9, 0.85, 0.8)) -> str:
    out = []
    for level in levels:
        t = pick_threshold(scores, labels, level)
        out.append(f"{level:.2f}:{precision_recall(scores >= t, labels)[1]:.2f}")
    return " ".join(out)


AGREEMENT = (
    "numbers_shared numbers_differ names_jaccard names_differ verbs_jaccard negation_mismatch "
    "modality_mismatch length_ratio"
).split()
FEATURE_SETS = {
    "current (sim, cos, overlap)": ["sim", "cos", "overlap"],
    "+ token alignment": ["sim", "cos", "overlap", "bertscore", "bertscore_min"],
    "+ agreement": ["sim", "cos", "overlap", *AGREEMENT],
}
FEATURE_SETS["all"] = sorted(set(FEATURE_SETS["+ token alignment"]) | set(FEATURE_SETS["+ agreement"]))


def fit_logistic(
    x: np.ndarray, y: np.ndarray, precision: float
) -> tuple[Callable[[np.ndarray], np.ndarray], float, float]:
    """Logistic regression on standardised features; its threshold from 5-fold out-of-fold
    scores.  (score function, threshold, out-of-fold recall at it)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=0.3, max_iter=5000)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    oof = cross_val_predict(model, (x - mean) / scale, y, cv=folds, method="predict_proba")[:, 1]
    threshold = pick_threshold(oof, y, precision)
    model.fit((x - mean) / scale, y)
    return (
        (lambda z: model.predict_proba((z - mean) / scale)[:, 1]),
        threshold,
        precision_recall(oof >= threshold, y)[1],
    )


def report(rows: list[dict], precision: float) -> None:
    cal = [r for r in rows if r["half"] == "calibration"]
    held = [r for r in rows if r["half"] == "held-out"]
    y_cal = np.array([r["label"] for r in cal])
    y_held = np.array([r["label"] for r in held])

    def matrix(part: list[dict], names: list[str]) -> np.ndarray:
        return np.array([[r[n] for n in names] for r in part], dtype=np.float64)

    print(f"{len(cal)} calibration pairs ({y_cal.sum()} same), {len(held)} held-out ({y_held.sum()} same)")
    print(
        f"threshold chosen on calibration for precision >= {precision}; held-out P/R; held-out curve = best R at P>="
    )
    grouped = matrix(held, ["grouped"])[:, 0] > 0
    p, r, tp, fp = precision_recall(grouped, y_held)
    print(f"  {'fact groups (storybrief today)':34} held-out P {p:.3f} R {r:.3f} (tp {tp} fp {fp})")
    for name in ("sim", "cos", "overlap", "bertscore", "bertscore_min"):
        t = pick_threshold(matrix(cal, [name])[:, 0], y_cal, precision)
        s = matrix(held, [name])[:, 0]
        p, r, tp, fp = precision_recall(s >= t, y_held)
        print(
            f"  {name:34} thr {t:.3f}  held-out P {p:.3f} R {r:.3f} (tp {tp} fp {fp})  curve {curve(s, y_held)}"
        )
    for name, features in FEATURE_SETS.items():
        score, t, oof_recall = fit_logistic(matrix(cal, features), y_cal, precision)
        s = score(matrix(held, features))
        p, r, tp, fp = precision_recall(s >= t, y_held)
        print(
            f"  {'logistic ' + name:34} thr {t:.3f}  held-out P {p:.3f} R {r:.3f} (tp {tp} fp {fp})  "
            f"curve {curve(s, y_held)}  (calibration out-of-fold R {oof_recall:.3f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--precision", type=float, default=0.95)
    parser.add_argument("--save", help="write the pair features to this JSON file")
    parser.add_argument("--load", help="read pair features written by --save instead of computing them")
    args = parser.parse_args()
    if args.load:
        rows = json.loads(Path(args.load).read_text(encoding="utf-8"))
    else:
        import spacy

        from storybrief.analysis.embeddings import _cache_dir
        from storybrief.analysis.entities import MODEL_NAME

        pairs = [p for p in read_pairs() if p["label"] is not None]
        stories = load_stories(pairs)
        encoder = TokenEncoder(_cache_dir())
        rows = pair_features(pairs, stories, encoder, spacy.load(MODEL_NAME, exclude=["parser", "ner"]))
        per = encoder.cpu / max(encoder.count, 1)
        print(f"token encoder: {encoder.count} texts, {1000 * per:.1f} ms CPU each ({1 / per:.0f} a second)")
        if args.save:
            Path(args.save).write_text(json.dumps(rows), encoding="utf-8")
    report(rows, args.precision)


if __name__ == "__main__":
    main()
