"""Where the story index loses B-cubed F1: each decision classified against the gold clusters.

    python scripts/grouping_errors.py [--data GLOB] [--clusters 1000] [--seed 0] [--oracle]

Pools and shuffles the documents as ``storybrief eval grouping`` does, runs the shipped decision and
sorts every article into one of these (its *right story* is the live story holding most of the
earlier articles of its gold cluster; none for the first article of a cluster):

* ``first_opened``: the first of its cluster, opened a story (right);
* ``first_joined``: the first of its cluster, joined a story (a wrong join: precision);
* ``joined_right``: joined its right story;
* ``declined``: its right story was a candidate, but it opened a story (a split: recall);
* ``joined_wrong``: its right story was a candidate, but it joined another;
* ``not_retrieved_opened`` / ``not_retrieved_joined``: its right story was not among the candidates.

It prints B-cubed precision, recall and F1, the count of each kind, how many predicted stories each
gold cluster is split into, and with ``--oracle`` the F1 when the articles of one kind are decided
right (the others as the model decides): what fixing that kind of error is worth.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storybrief.analysis import AnalyzedArticle, analyze_articles
from storybrief.config import Options
from storybrief.evaluate.grouping import b_cubed, pool_clusters
from storybrief.stories.index import StoryIndex, article_signals

VAL = str(ROOT.parent / "shared" / "data" / "multinews" / "val.0*.jsonl.gz")
KINDS = (
    "first_opened",
    "first_joined",
    "joined_right",
    "declined",
    "joined_wrong",
    "not_retrieved_opened",
    "not_retrieved_joined",
)
# each error kind and the kinds an oracle fixes for it
ORACLES = {
    "first_joined": ("first_joined",),
    "declined": ("declined",),
    "joined_wrong": ("joined_wrong",),
    "not_retrieved": ("not_retrieved_opened", "not_retrieved_joined"),
}


class Audit(StoryIndex):
    """The shipped index, classifying each decision; articles of the kinds in ``fix`` are decided right."""

    def __init__(self, gold_of: dict[str, str], fix: tuple[str, ...] = ()) -> None:
        super().__init__(Options())
        self.gold_of, self.fix = gold_of, fix
        self.held: defaultdict[str, Counter[str]] = defaultdict(
            Counter
        )  # gold cluster -> story id -> articles
        self.kinds: Counter[str] = Counter()

    def add(self, item: AnalyzedArticle) -> str:
        gold = self.gold_of[item.id]
        signals = article_signals(item)
        weights = self._observe(signals)
        candidates = self._candidates(weights, signals)
        probs = self._probabilities(weights, signals, candidates)
        order = sorted(range(len(candidates)), key=lambda k: (-probs[k], candidates[k].seq))
        chosen = candidates[order[0]] if order and probs[order[0]] >= self.options.story_threshold else None
        right = None
        if self.held[gold]:
            right_id = max(self.held[gold].items(), key=lambda kv: (kv[1], -self._seq(kv[0])))[0]
            right = self._store.by_id(right_id)
        retrieved = right is not None and any(story is right for story in candidates)
        if right is None:
            kind = "first_opened" if chosen is None else "first_joined"
        elif chosen is right:
            kind = "joined_right"
        elif retrieved:
            kind = "declined" if chosen is None else "joined_wrong"
        else:
            kind = "not_retrieved_opened" if chosen is None else "not_retrieved_joined"
        self.kinds[kind] += 1
        if kind in self.fix:
            chosen = right
        if chosen is None:
            chosen = self._open(signals, weights)
        else:
            self._attach(chosen, signals, weights)
        self.held[gold][chosen.id] += 1
        return chosen.id

    def _seq(self, story_id: str) -> int:
        story = self._store.by_id(story_id)
        return story.seq if story is not None else -1


def audit(
    items: list[AnalyzedArticle], gold: list[str], fix: tuple[str, ...] = ()
) -> tuple[list[str], Audit]:
    index = Audit({item.id: g for item, g in zip(items, gold)}, fix)
    for item in items:
        index.add(item)
    return [index.story_of(item.id) for item in items], index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default=VAL, help="Multi-News files (glob) [default: val]")
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--oracle", action="store_true", help="also score with each kind of error fixed")
    args = parser.parse_args(argv)
    pool = pool_clusters(args.data, clusters=args.clusters, seed=args.seed)
    items, gold = analyze_articles(pool.articles, options=Options()), list(pool.gold)
    predicted, index = audit(items, gold)
    p, r, f1 = b_cubed(predicted, gold)
    print(f"{len(items)} articles, {len(set(gold))} gold clusters, {len(set(predicted))} stories found")
    print(f"B-cubed P {p:.4f} R {r:.4f} F1 {f1:.4f}")
    for kind in KINDS:
        print(f"  {kind:<22} {index.kinds[kind]:>6}")
    parts = Counter(len({s for s, g2 in zip(predicted, gold) if g2 == g}) for g in set(gold))
    print("gold clusters split into k stories (k: clusters):", dict(sorted(parts.items())))
    if args.oracle:
        for name, kinds in ORACLES.items():
            p, r, f1 = b_cubed(audit(items, gold, kinds)[0], gold)
            print(f"  {name} decided right: P {p:.4f} R {r:.4f} F1 {f1:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
